// The appliance's root file system, in two stages:
//  1. Debian: debootstrap (minbase + DEBIAN.packages), then chroot-setup.sh (updates, trimming,
//     initramfs). Slow and network-bound, so its result is cached as a tarball under the output
//     folder, keyed by everything that goes into it; with the tarball and its package list kept, a
//     rebuild needs no network and gives the same image.
//  2. DCoD: the cached tree plus files/ (the boot step, sshd and journald settings), fstab, hostname,
//     every time stamp set to SOURCE_DATE_EPOCH. Cheap; done on every build.
// Both need root: debootstrap and chroot do, and the tree must keep its owners and capabilities.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from '../../e2e/lab/run';
import { APPLIANCE, DEBIAN, DISK } from './spec';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SETUP_SCRIPT = path.join(HERE, 'chroot-setup.sh');
const FILES = path.join(HERE, 'files');
/** Files of files/ that are programs. */
const EXECUTABLE_DIRS = ['usr/local/sbin/'];
const TAR_ARGS = ['--numeric-owner', '--xattrs', '--xattrs-include=*'];

export interface DebianTree {
  readonly tarball: string;
  /** `dpkg-query` list of every package and version in it: what the image was built from. */
  readonly packages: string;
}

/** The cache key: changes whenever anything that goes into stage 1 does. */
export function debianKey(): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ suite: DEBIAN.suite, mirror: DEBIAN.mirror, security: DEBIAN.securityMirror, packages: DEBIAN.packages }));
  h.update(fs.readFileSync(SETUP_SCRIPT));
  return h.digest('hex').slice(0, 16);
}

export async function debianTree(cacheDir: string, log: (line: string) => void): Promise<DebianTree> {
  const key = debianKey();
  const tarball = path.join(cacheDir, `debian-${DEBIAN.suite}-${key}.tar`);
  const packages = `${tarball}.packages`;
  fs.mkdirSync(cacheDir, { recursive: true });
  if (fs.existsSync(tarball) && fs.existsSync(packages)) {
    log(`debian: cached ${path.basename(tarball)}`);
    return { tarball, packages };
  }
  // Trees of earlier inputs are never used again.
  for (const f of fs.readdirSync(cacheDir, { withFileTypes: true })) if (f.isFile() && f.name.startsWith('debian-')) fs.rmSync(path.join(cacheDir, f.name));
  const work = path.join(cacheDir, `debootstrap-${key}`);
  const root = path.join(work, 'root');
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(work, { recursive: true });
  try {
    log(`debian: debootstrap ${DEBIAN.suite} from ${DEBIAN.mirror}`);
    await run(['debootstrap', '--variant=minbase', `--include=${DEBIAN.packages.join(',')}`, DEBIAN.suite, root, DEBIAN.mirror]);
    // No daemon may start inside the chroot when a package is upgraded there.
    fs.writeFileSync(path.join(root, 'usr/sbin/policy-rc.d'), '#!/bin/sh\nexit 101\n', { mode: 0o755 });
    fs.copyFileSync('/etc/resolv.conf', path.join(root, 'etc/resolv.conf'));
    fs.copyFileSync(SETUP_SCRIPT, path.join(root, 'chroot-setup.sh'));
    log('debian: chroot-setup.sh (updates, trimming, initramfs)');
    // /proc, /sys and /dev only for the chroot's lifetime: its private mount namespace takes them along.
    await run(
      [
        'unshare', '--mount', '--propagation', 'private', 'sh', '-ec',
        'mount -t proc proc "$1/proc"; mount -t sysfs sys "$1/sys"; mount --rbind /dev "$1/dev"; exec chroot "$1" /bin/sh /chroot-setup.sh',
        'chroot-setup', root,
      ],
      { env: { ...process.env, MIRROR: DEBIAN.mirror, SECURITY_MIRROR: DEBIAN.securityMirror, SUITE: DEBIAN.suite, LC_ALL: 'C' } },
    );
    for (const f of ['usr/sbin/policy-rc.d', 'etc/resolv.conf', 'chroot-setup.sh']) fs.rmSync(path.join(root, f), { force: true });
    const list = await run(['chroot', root, 'dpkg-query', '-W', '-f', '${Package} ${Version}\\n']);
    fs.writeFileSync(`${packages}.part`, list.stdout.split('\n').filter(Boolean).sort().join('\n') + '\n');
    await run(['tar', ...TAR_ARGS, '--sort=name', '-C', root, '-cf', `${tarball}.part`, '.']);
    fs.renameSync(`${tarball}.part`, tarball);
    fs.renameSync(`${packages}.part`, packages);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return { tarball, packages };
}

/** Copies files/ into the tree with fixed modes (git keeps only the executable bit, umask varies). */
function addFiles(root: string): void {
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(FILES, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      const dst = path.join(root, p);
      if (e.isDirectory()) {
        fs.mkdirSync(dst, { recursive: true, mode: 0o755 });
        walk(p);
      } else {
        fs.copyFileSync(path.join(FILES, p), dst);
        fs.chmodSync(dst, EXECUTABLE_DIRS.some((d) => p.startsWith(d)) ? 0o755 : 0o644);
        fs.chownSync(dst, 0, 0);
      }
    }
  };
  walk('');
}

/** Stage 2: the tree the file system is made from, in `root` (emptied first). */
export async function applianceTree(debian: DebianTree, root: string, o: { version: string; epoch: number }): Promise<void> {
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(root, { recursive: true });
  await run(['tar', ...TAR_ARGS, '-xpf', debian.tarball, '-C', root]);
  addFiles(root);
  const wants = path.join(root, 'etc/systemd/system/sysinit.target.wants');
  fs.mkdirSync(wants, { recursive: true });
  fs.symlinkSync('/etc/systemd/system/dcod-boot.service', path.join(wants, 'dcod-boot.service'));
  fs.writeFileSync(path.join(root, 'etc/fstab'), `UUID=${DISK.fsUuid} / ext4 errors=remount-ro 0 1\n`);
  fs.writeFileSync(path.join(root, 'etc/hostname'), `${APPLIANCE}\n`);
  fs.writeFileSync(path.join(root, 'etc/hosts'), `127.0.0.1\tlocalhost\n127.0.1.1\t${APPLIANCE}\n::1\tlocalhost ip6-localhost ip6-loopback\n`);
  fs.writeFileSync(path.join(root, `etc/${APPLIANCE}-release`), `NAME=${APPLIANCE}\nVERSION=${o.version}\n`);
  // Every mtime and atime; ctimes are set in the file system image (ext4.ts).
  await run(['find', root, '-exec', 'touch', '-h', '-d', `@${o.epoch}`, '{}', '+']);
}
