// `npm run build:proxy-image` (as root): builds dcod-proxy-<version>.ova, its .sha256 and the list of
// Debian packages it holds into build/proxy-image/out/ (or --out DIR). See README.md.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DMI_SYSTEM_PRODUCT, PROXY_PRODUCT } from '../../e2e/lab/vboxsim/dmi';
import { run } from '../../e2e/lab/run';
import { SECTOR, writeRawDisk } from './disk';
import { makeExt4 } from './ext4';
import { packOva, type Packed } from './ova';
import { applianceTree, debianTree } from './rootfs';
import { APPLIANCE, DEBIAN, DISK, HARDWARE, IDS, KERNEL_CMDLINE, ovaFileName } from './spec';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../..');
export const DEFAULT_OUT = path.join(HERE, 'out');
const GRUB_DIR = '/usr/lib/grub/i386-pc';
/** What the build runs, by the Debian package that provides it (for the error message). */
const TOOLS: Record<string, string> = {
  debootstrap: 'debootstrap',
  mke2fs: 'e2fsprogs',
  debugfs: 'e2fsprogs',
  'grub-mkimage': 'grub-common',
  unshare: 'util-linux',
};

export interface BuildOptions {
  readonly out?: string;
  readonly version?: string;
  readonly log?: (line: string) => void;
}

export interface BuildResult extends Packed {
  readonly version: string;
  readonly packages: string;
  readonly seconds: number;
}

function appVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
}

/** SOURCE_DATE_EPOCH, or the time of the last commit that changed this folder. */
export function sourceDateEpoch(): number {
  const env = process.env.SOURCE_DATE_EPOCH;
  if (env) return Number(env);
  const git = spawnSync('git', ['log', '-1', '--format=%ct', '--', HERE], { cwd: REPO, encoding: 'utf8' });
  const t = Number(git.stdout.trim());
  if (git.status !== 0 || !Number.isInteger(t) || t <= 0) throw new Error('set SOURCE_DATE_EPOCH: no git history to take it from');
  return t;
}

function checkHost(): void {
  if (process.getuid?.() !== 0) throw new Error('building the appliance needs root (debootstrap, chroot, file owners): run it with sudo');
  const missing = Object.entries(TOOLS).filter(([bin]) => spawnSync('sh', ['-c', `command -v ${bin}`]).status !== 0);
  if (!fs.existsSync(path.join(GRUB_DIR, 'boot.img'))) missing.push(['boot.img', 'grub-pc-bin']);
  if (missing.length) throw new Error(`missing build tools; apt-get install ${[...new Set(missing.map(([, pkg]) => pkg))].join(' ')}`);
}

/** GRUB's core image with its configuration built in: no menu, no modules to find on disk. */
async function grubCore(file: string): Promise<Buffer> {
  const cfg = `${file}.cfg`;
  fs.writeFileSync(cfg, ['set root=(hd0,msdos1)', `linux /vmlinuz ${KERNEL_CMDLINE}`, 'initrd /initrd.img', 'boot', ''].join('\n'));
  await run(['grub-mkimage', '-O', 'i386-pc', '-d', GRUB_DIR, '-o', file, '-c', cfg, '-p', '(hd0,msdos1)/boot/grub', 'biosdisk', 'part_msdos', 'ext2', 'linux', 'boot']);
  fs.rmSync(cfg);
  const core = fs.readFileSync(file);
  fs.rmSync(file);
  return core;
}

export async function buildImage(o: BuildOptions = {}): Promise<BuildResult> {
  const started = Date.now();
  const log = o.log ?? ((line: string) => console.log(line));
  const lap = (() => {
    let t = Date.now();
    return (what: string) => {
      const now = Date.now();
      log(`  ${what}: ${((now - t) / 1000).toFixed(1)} s`);
      t = now;
    };
  })();
  checkHost();
  const out = path.resolve(o.out ?? DEFAULT_OUT);
  const version = o.version ?? appVersion();
  const epoch = sourceDateEpoch();
  const work = path.join(out, 'work');
  fs.mkdirSync(work, { recursive: true });
  log(`${APPLIANCE} ${version} (SOURCE_DATE_EPOCH=${epoch}) → ${out}`);

  // The Debian tree is the slow, network-bound part: a machine-wide cache (npm test sets one) lets fresh
  // clones on the same machine skip it.
  const debian = await debianTree(process.env.DCOD_PROXY_IMAGE_CACHE ?? path.join(out, 'cache'), log);
  lap('debian tree');
  const root = path.join(work, 'root');
  await applianceTree(debian, root, { version, epoch });
  lap('appliance tree');
  const ext4 = path.join(work, 'root.ext4');
  await makeExt4(root, ext4, { bytes: DISK.bytes - DISK.partitionStartSector * SECTOR, uuid: DISK.fsUuid, label: DISK.fsLabel, epoch });
  fs.rmSync(root, { recursive: true, force: true });
  lap('ext4');
  const core = await grubCore(path.join(work, 'core.img'));
  const raw = path.join(work, 'disk.raw');
  const bootCode = fs.readFileSync(path.join(GRUB_DIR, 'boot.img'));
  writeRawDisk(raw, { diskBytes: DISK.bytes, layout: { bootCode, diskSignature: DISK.diskSignature, partitionStart: DISK.partitionStartSector }, core, fsImage: ext4 });
  fs.rmSync(ext4);
  lap('raw disk');

  const packed = packOva({
    rawDisk: raw,
    ova: path.join(out, ovaFileName(version)),
    mtime: epoch,
    descriptor: {
      name: APPLIANCE,
      description: `DCoD proxy appliance ${version} (Debian ${DEBIAN.suite}): the host's VxLAN overlay endpoint, configured at boot from the SMBIOS OEM string dcod-config.`,
      ...HARDWARE,
      machineUuid: IDS.machineUuid,
      disk: { uuid: IDS.diskUuid },
      extradata: { [DMI_SYSTEM_PRODUCT]: PROXY_PRODUCT },
      product: { name: APPLIANCE, version, vendor: 'DCoD' },
    },
  });
  fs.rmSync(raw);
  const packages = path.join(out, `${APPLIANCE}-${version}.packages`);
  fs.copyFileSync(debian.packages, packages);
  lap('vmdk + ova');
  const seconds = (Date.now() - started) / 1000;
  log(`${packed.ova}: ${(packed.bytes / 1e6).toFixed(1)} MB, sha256 ${packed.sha256}, ${seconds.toFixed(0)} s`);
  return { ...packed, version, packages, seconds };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  buildImage({ out: opt('--out'), version: opt('--version') }).catch((err: unknown) => {
    console.error(`build:proxy-image failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
