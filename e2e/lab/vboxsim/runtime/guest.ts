// Programs that run inside a simulated guest (its network namespace), started from the bundled
// simulator with DCOD_SIM_GUEST set:
//  - "dhcp": busybox udhcpc's event script. Applies the lease to the interface and, in ordinary
//    guests, publishes /VirtualBox/GuestInfo/Net/* the way the Guest Additions' VMInfo service does.
//  - "proxy-boot": the DCoD proxy appliance's boot step. It reads only what a guest without Guest
//    Additions can read — the firmware's DMI strings — and sets up the underlay on nic1 and an
//    OpenSSH server that accepts the configured keys.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { SimConfig } from '../config';
import { decodeApplianceConfig, type ApplianceConfig } from '../dmi';
import { nanoTimestamp, publishGuestNet, type GuestNetIf } from '../guestprops';
import { withState } from '../store';

/** Per-VM files of the running guest: console log, DMI tables, the appliance's sshd. */
export function guestDir(config: Pick<SimConfig, 'stateDir'>, uuid: string): string {
  return path.join(config.stateDir, 'guests', uuid);
}

/** The udhcpc event script: a two-line shell script that re-enters this bundle. */
function hookScript(config: Pick<SimConfig, 'stateDir'>): string {
  const file = path.join(config.stateDir, 'guests', 'udhcpc-hook');
  const body = `#!/bin/sh\nexec env DCOD_SIM_GUEST=dhcp '${process.execPath}' '${process.argv[1]}' "$@"\n`;
  if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== body) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, body, { mode: 0o755 });
  }
  return file;
}

/** A foreground DHCP client on `iface`, retrying for as long as the guest runs. */
export function udhcpcArgv(config: Pick<SimConfig, 'stateDir'>, uuid: string, iface: string, publish: boolean): string[] {
  return ['env', `DCOD_SIM_VM=${uuid}`, `DCOD_SIM_PUBLISH=${publish ? 1 : 0}`, 'busybox', 'udhcpc', '-f', '-i', iface, '-s', hookScript(config), '-t', '3', '-T', '2', '-A', '3'];
}

function ip(args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8' });
}

function prefixToMask(prefix: number): string {
  const n = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

function maskToPrefix(mask: string): number {
  return mask.split('.').reduce((n, o) => n + (Number(o) >>> 0).toString(2).replace(/0/g, '').length, 0);
}

/** The guest's interfaces with an IPv4 address, numbered as the Additions number them. */
export function guestInterfaces(): GuestNetIf[] {
  const addrs = JSON.parse(ip(['-j', '-4', 'addr', 'show'])) as {
    ifname: string;
    operstate: string;
    address?: string;
    addr_info: { local: string; prefixlen: number; broadcast?: string }[];
  }[];
  const links = new Map((JSON.parse(ip(['-j', 'link', 'show'])) as { ifname: string; address?: string }[]).map((l) => [l.ifname, l.address ?? '']));
  return addrs
    .filter((a) => /^nic[0-9]+$/.test(a.ifname) && a.addr_info.length > 0)
    .sort((a, b) => Number(a.ifname.slice(3)) - Number(b.ifname.slice(3)))
    .map((a) => {
      const v4 = a.addr_info[0] as { local: string; prefixlen: number; broadcast?: string };
      return {
        mac: (links.get(a.ifname) ?? '').replace(/:/g, '').toUpperCase(),
        ip: v4.local,
        netmask: prefixToMask(v4.prefixlen),
        broadcast: v4.broadcast ?? '',
        up: a.operstate !== 'DOWN',
      };
    });
}

function publish(config: SimConfig, uuid: string): void {
  const ifs = guestInterfaces();
  withState(config.stateDir, (tx) => {
    if (!tx.registry.machines.includes(uuid)) return;
    const m = tx.machine(uuid);
    if (!m.running) return;
    m.guestProperties = publishGuestNet(m.guestProperties, ifs, nanoTimestamp(Date.now()));
    tx.save(m);
  });
}

/** The interface MTU a lease carries (udhcpc exports option 26 as `mtu`), if it is a usable one. */
export function leaseMtu(env: NodeJS.ProcessEnv): number | undefined {
  const mtu = Number(env.mtu);
  return Number.isInteger(mtu) && mtu >= 576 && mtu <= 65535 ? mtu : undefined;
}

/** udhcpc's script protocol: $1 is the event, the lease comes in the environment. */
function dhcpEvent(event: string, config: SimConfig, env: NodeJS.ProcessEnv): void {
  const iface = env.interface ?? '';
  if (!/^nic[0-9]+$/.test(iface)) return;
  // Addresses from DHCP carry their own label, so addresses set by hand survive a deconfig.
  const label = `${iface}:d`;
  if (event === 'deconfig') {
    spawnSync('ip', ['addr', 'flush', 'dev', iface, 'label', label]);
    spawnSync('ip', ['link', 'set', iface, 'up']);
  } else if (event === 'bound' || event === 'renew') {
    const prefix = env.mask ? Number(env.mask) : maskToPrefix(env.subnet ?? '255.255.255.0');
    spawnSync('ip', ['addr', 'flush', 'dev', iface, 'label', label]);
    // Option 26, as real clients apply it (systemd-networkd's UseMTU, dhclient's interface-mtu): the
    // overlay hands out a smaller MTU so full-size frames fit VxLAN's 50 bytes.
    const mtu = leaseMtu(env);
    if (mtu !== undefined) spawnSync('ip', ['link', 'set', iface, 'mtu', String(mtu)]);
    const add = ['addr', 'add', `${env.ip}/${prefix}`, 'dev', iface, 'label', label];
    if (env.broadcast) add.splice(3, 0, 'broadcast', env.broadcast);
    spawnSync('ip', add);
    const router = (env.router ?? '').split(/\s+/).find(Boolean);
    if (router && !ip(['route', 'show', 'default']).trim()) spawnSync('ip', ['route', 'add', 'default', 'via', router, 'dev', iface]);
  } else return;
  if (env.DCOD_SIM_PUBLISH === '1' && env.DCOD_SIM_VM) publish(config, env.DCOD_SIM_VM);
}

function detached(argv: string[], log: string): void {
  const fd = fs.openSync(log, 'a');
  spawn(argv[0] as string, argv.slice(1), { detached: true, stdio: ['ignore', fd, fd] }).unref();
  fs.closeSync(fd);
}

/** Account files for the appliance's sshd: root logs in with the lean /bin/sh and its own home. */
function rootAccounts(dir: string): { passwd: string; shadow: string } {
  const home = path.join(dir, 'root');
  fs.mkdirSync(home, { recursive: true });
  // root first, so uid 0 resolves to root even when the host's copy has other uid-0 accounts.
  const replace = (file: string, line: string) =>
    [line, ...fs.readFileSync(file, 'utf8').split('\n').filter((l) => l && !l.startsWith('root:')), ''].join('\n');
  const passwd = path.join(dir, 'passwd');
  const shadow = path.join(dir, 'shadow');
  fs.writeFileSync(passwd, replace('/etc/passwd', `root:x:0:0:root:${home}:/bin/sh`));
  // '*' is "no password" without "locked": key logins stay allowed when sshd runs without PAM.
  fs.writeFileSync(shadow, replace('/etc/shadow', 'root:*:19000:0:99999:7:::'), { mode: 0o600 });
  return { passwd, shadow };
}

function startSshd(dir: string, cfg: ApplianceConfig, log: string): void {
  const key = path.join(dir, 'ssh_host_ed25519_key');
  if (!fs.existsSync(key)) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', cfg.hostname, '-f', key]);
  const authorized = path.join(dir, 'authorized_keys');
  fs.writeFileSync(authorized, cfg.sshAuthorizedKeys.map((k) => `${k}\n`).join(''), { mode: 0o600 });
  const conf = path.join(dir, 'sshd_config');
  fs.writeFileSync(
    conf,
    [
      // Both families, as OpenSSH's default: DCoD reaches proxies at their IPv6 link-local address.
      'ListenAddress 0.0.0.0:22',
      'ListenAddress [::]:22',
      `HostKey ${key}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${authorized}`,
      'PermitRootLogin prohibit-password',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'UseDNS no',
      'PrintMotd no',
      'PrintLastLog no',
      'StrictModes no',
      'Subsystem sftp internal-sftp',
      '',
    ].join('\n'),
  );
  const { passwd, shadow } = rootAccounts(dir);
  for (const d of ['/run/sshd', ...APPLIANCE_PRIVATE_DIRS]) fs.mkdirSync(d, { recursive: true });
  detached(applianceInitArgv({ passwd, shadow, hostname: cfg.hostname, sshdConfig: conf }), log);
}

/**
 * Directories of /run that are the appliance's own, as on a real VM: its named network namespaces and
 * DCoD's runtime files. Without a private copy, the appliances of all lab hosts would share the
 * machine's (a namespace named the same in two proxies would collide, and outlive them).
 */
export const APPLIANCE_PRIVATE_DIRS = ['/run/netns', '/run/dcod'] as const;

/**
 * How the appliance's "machine" starts: in its own mount, UTS and PID namespaces (with its own /proc),
 * so everything it runs — sshd, the sessions, daemons it starts inside nested network namespaces — dies
 * with its init when the VM powers off or crashes, as a real VM's processes do.
 */
export function applianceInitArgv(o: { passwd: string; shadow: string; hostname: string; sshdConfig: string }): string[] {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const script = [
    `mount --bind ${q(o.passwd)} /etc/passwd`,
    `mount --bind ${q(o.shadow)} /etc/shadow`,
    ...APPLIANCE_PRIVATE_DIRS.map((d) => `mount -t tmpfs -o mode=0755 appliance ${d}`),
    `hostname ${q(o.hostname)}`,
    `exec /usr/sbin/sshd -D -e -f ${q(o.sshdConfig)}`,
  ].join(' && ');
  return ['unshare', '--mount', '--uts', '--pid', '--fork', '--mount-proc', '--propagation', 'private', '--', 'sh', '-c', script];
}

function proxyBoot(config: SimConfig, env: NodeJS.ProcessEnv): number {
  const uuid = env.DCOD_SIM_VM ?? '';
  const dir = guestDir(config, uuid);
  const log = path.join(dir, 'console.log');
  const oem = fs.readFileSync(path.join(dir, 'dmi', 'oem-strings'), 'utf8').split('\n').filter(Boolean);
  const cfg = decodeApplianceConfig(oem);
  if (cfg) {
    const sshDir = path.join(dir, 'ssh');
    fs.mkdirSync(sshDir, { recursive: true });
    startSshd(sshDir, cfg, log);
  }
  // As the appliance's dcod-boot: no duplicate address detection, so nic1's link-local address, DCoD's
  // way in, is usable as soon as the link is up, not after a second or two.
  fs.writeFileSync('/proc/sys/net/ipv6/conf/nic1/accept_dad', '0');
  spawnSync('ip', ['link', 'set', 'nic1', 'up']);
  if (!cfg) {
    // As the appliance: nobody can log in, but DHCP on nic1 still shows the VM on the LAN.
    detached(udhcpcArgv(config, uuid, 'nic1', false), log);
    process.stdout.write('proxy-boot: no dcod-config OEM string; underlay nic1 by DHCP\n');
    return 0;
  }
  if ('address' in cfg.underlay) {
    execFileSync('ip', ['addr', 'add', cfg.underlay.address, 'dev', 'nic1']);
    if (cfg.underlay.gateway) execFileSync('ip', ['route', 'add', 'default', 'via', cfg.underlay.gateway, 'dev', 'nic1']);
  } else {
    detached(udhcpcArgv(config, uuid, 'nic1', false), log);
  }
  process.stdout.write(`proxy-boot: ${cfg.hostname} up, sshd on nic1\n`);
  return 0;
}

export function runGuestProgram(name: string, argv: string[], config: SimConfig, env: NodeJS.ProcessEnv): number {
  if (name === 'dhcp') {
    dhcpEvent(argv[0] ?? '', config, env);
    return 0;
  }
  if (name === 'proxy-boot') return proxyBoot(config, env);
  process.stderr.write(`vboxsim: unknown guest program ${name}\n`);
  return 64;
}
