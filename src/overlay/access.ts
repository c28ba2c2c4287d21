/**
 * How the app reaches a proxy without Guest Additions. DCoD sets the MAC of the proxy's LAN NIC, and the
 * appliance keeps the kernel's EUI-64 link-local address on it, so the proxy's IPv6 link-local address
 * is known before it boots: `fe80::<EUI-64 of the MAC>%<the laptop's interface on that LAN>`. No scan,
 * no DHCP server to ask, and it works whatever IPv4 addressing the LAN has (or lacks). It needs what the
 * alternatives need too: the laptop on the same Ethernet segment as the hosts (the bridged NIC puts the
 * proxy there). The proxy's IPv4 address (its VTEP) is then read from inside it.
 *
 * Host keys: the appliance makes its own on first boot, so each proxy VM (by UUID) has its own
 * known_hosts file, pinned on first use. A re-created proxy has a new UUID, hence a fresh pin, instead of
 * a HOST_KEY_CHANGED the user could not sensibly judge.
 */
import type { NetworkInterfaceInfo } from 'node:os';
import os from 'node:os';
import path from 'node:path';
import { parseIpv4 } from '../discovery/cidr';
import { DcodError } from '../errors';
import { KnownHosts } from '../ssh/known-hosts';
import { SshRunner } from '../ssh/ssh-runner';
import type { OverlayKey } from './keys';
import { linkLocalOf } from './names';

/**
 * The zone of link-local addresses on the LAN that holds `hostAddress`: the name of the local interface
 * whose IPv4 subnet contains it (Windows wants the interface's numeric scope id instead).
 */
export function lanZone(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>, hostAddress: string, platform: NodeJS.Platform = process.platform): string | undefined {
  const target = parseIpv4(hostAddress);
  if (target === undefined) return undefined;
  for (const [name, addrs] of Object.entries(interfaces)) {
    for (const a of addrs ?? []) {
      if (a.family !== 'IPv4' || a.internal) continue;
      const mine = parseIpv4(a.address);
      const mask = parseIpv4(a.netmask);
      if (mine === undefined || mask === undefined || ((mine & mask) >>> 0) !== ((target & mask) >>> 0)) continue;
      if (platform !== 'win32') return name;
      const v6 = addrs?.find((x) => x.family === 'IPv6' && x.address.startsWith('fe80'));
      return v6 && 'scopeid' in v6 && v6.scopeid !== undefined ? String(v6.scopeid) : undefined;
    }
  }
  return undefined;
}

export interface ProxyAccessOptions {
  readonly key: OverlayKey;
  /** Where the per-proxy known_hosts files are kept (`<configDir>/overlay/known_hosts`). */
  readonly knownHostsDir: string;
  /** The local interfaces (os.networkInterfaces() by default). */
  readonly interfaces?: NodeJS.Dict<NetworkInterfaceInfo[]>;
  /**
   * Keep trying for about half a minute, as right after the proxy was started: it may still be booting.
   * Tries come every 2 s at most, so a proxy is reached within 2 s of its sshd starting to listen.
   */
  readonly patient?: boolean;
}

/** Connection attempts into a proxy: 2 at once; patient, 0.25 + 0.5 + 1 + 2 × 14 s of waits between 18. */
const PROXY_CONNECT = { backoffMs: 250, maxBackoffMs: 2_000, quick: 2, patient: 18 } as const;

export interface ProxyTarget {
  readonly host: string;
  /** The host's address in the inventory: its LAN is the proxy's. */
  readonly hostAddress: string;
  /** The proxy VM's UUID and the MAC of its LAN NIC, as observed on the host. */
  readonly vmUuid: string;
  readonly underlayMac: string;
}

/** The proxy's SSH address: its link-local address in the zone of the host's LAN. */
export function proxyAddress(target: ProxyTarget, interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = os.networkInterfaces()): string {
  const zone = lanZone(interfaces, target.hostAddress);
  if (zone === undefined) {
    throw new DcodError('HOST_UNREACHABLE', `no local interface is on the LAN of ${target.host} (${target.hostAddress}), so its overlay proxy can't be reached`, {
      retryable: false,
      context: [`the proxy of ${target.host}`],
    });
  }
  return `${linkLocalOf(target.underlayMac)}%${zone}`;
}

/** An SSH runner into a host's proxy, as root with the overlay key. */
export async function proxyRunner(target: ProxyTarget, opts: ProxyAccessOptions): Promise<SshRunner> {
  const knownHosts = await KnownHosts.open(path.join(opts.knownHostsDir, `${target.vmUuid}.known_hosts`));
  return new SshRunner(
    { host: proxyAddress(target, opts.interfaces), port: 22, username: 'root', auth: { kind: 'key', privateKey: opts.key.privateKey }, shell: 'posix' },
    {
      knownHosts,
      hostKeyPolicy: 'pin-on-first-use',
      connectAttempts: opts.patient ? PROXY_CONNECT.patient : PROXY_CONNECT.quick,
      backoffMs: PROXY_CONNECT.backoffMs,
      maxBackoffMs: PROXY_CONNECT.maxBackoffMs,
      connectTimeoutMs: 5_000,
    },
  );
}
