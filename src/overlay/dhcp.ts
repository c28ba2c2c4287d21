/**
 * DHCP for one switch: dnsmasq in its own namespace inside one proxy on that switch. Static leases give
 * VMs with a fixed address that address; the dynamic ranges leave out every address the document
 * assigns (router interfaces, fixed VM addresses) and the server's own, so no lease ever collides.
 */
import { formatIpv4, parseCidr, parseIpv4 } from '../discovery/cidr';
import { colonMac, serviceIf } from './names';

export interface StaticLease {
  readonly mac: string;
  readonly address: string;
  readonly name: string;
}

export interface DhcpServer {
  readonly vni: number;
  readonly switch: string;
  /** The server's own address on the switch, and the switch's prefix length. */
  readonly address: string;
  readonly prefix: number;
  readonly mac: string;
  readonly mtu: number;
  /** Inclusive dynamic ranges, in address order. */
  readonly ranges: readonly (readonly [string, string])[];
  /** The default gateway handed out: a router's interface on this switch, if there is one. */
  readonly router?: string;
  readonly statics: readonly StaticLease[];
}

export interface DhcpInput {
  readonly vni: number;
  readonly switch: string;
  readonly subnet: string;
  readonly mac: string;
  readonly mtu: number;
  /** Router interfaces on the switch, the first being the gateway handed out. */
  readonly routers: readonly string[];
  /** VM addresses the document fixes; those with a known MAC become static leases. */
  readonly fixed: readonly { readonly address: string; readonly mac?: string; readonly name: string }[];
}

/** The server for a switch, or undefined when the subnet has no address left for it. */
export function dhcpServer(input: DhcpInput): DhcpServer | undefined {
  const range = parseCidr(input.subnet, { force: true });
  const reserved = new Set<number>();
  for (const a of [...input.routers, ...input.fixed.map((f) => f.address)]) {
    const n = parseIpv4(a);
    if (n !== undefined) reserved.add(n);
  }
  let server: number | undefined;
  for (let n = range.last; n >= range.first; n--) {
    if (!reserved.has(n)) {
      server = n;
      break;
    }
  }
  if (server === undefined) return undefined;
  reserved.add(server);
  const ranges: [string, string][] = [];
  const taken = [...reserved].filter((n) => n >= range.first && n <= range.last).sort((a, b) => a - b);
  let start = range.first;
  for (const n of [...taken, range.last + 1]) {
    if (n > start) ranges.push([formatIpv4(start), formatIpv4(n - 1)]);
    start = n + 1;
  }
  return {
    vni: input.vni,
    switch: input.switch,
    address: formatIpv4(server),
    prefix: range.prefix,
    mac: input.mac,
    mtu: input.mtu,
    ranges,
    ...(input.routers[0] !== undefined ? { router: input.routers[0] } : {}),
    statics: input.fixed.flatMap((f) => (f.mac === undefined ? [] : [{ mac: f.mac, address: f.address, name: f.name }])),
  };
}

function netmask(prefix: number): string {
  return formatIpv4(prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);
}

/** Where a switch's DHCP server keeps its files inside the proxy (a tmpfs: a reboot starts afresh). */
export function dhcpFiles(vni: number): { readonly conf: string; readonly leases: string; readonly pid: string } {
  const base = `/run/dcod/dhcp-${vni}`;
  return { conf: `${base}.conf`, leases: `${base}.leases`, pid: `${base}.pid` };
}

/**
 * dnsmasq's configuration: DHCP only (port=0 turns DNS off), on the switch's interface only. The text is
 * also the server's identity: the proxy restarts dnsmasq exactly when it changes, and the observation
 * compares its hash.
 */
export function dnsmasqConf(s: DhcpServer): string {
  const files = dhcpFiles(s.vni);
  const mask = netmask(s.prefix);
  return [
    `# DCoD: DHCP of switch ${s.switch} (VNI ${s.vni})`,
    `interface=${serviceIf(s.vni)}`,
    'bind-interfaces',
    'port=0',
    'no-resolv',
    'no-hosts',
    'dhcp-authoritative',
    // Every address the document assigns is outside the ranges, so the ping check (3 s per offer) buys nothing.
    'no-ping',
    // The appliance is single-purpose; staying root keeps the lease file in /run/dcod writable.
    'user=root',
    `dhcp-leasefile=${files.leases}`,
    `pid-file=${files.pid}`,
    ...s.ranges.map(([a, b]) => `dhcp-range=${a},${b},${mask},1h`),
    ...(s.router !== undefined ? [`dhcp-option=option:router,${s.router}`] : []),
    // Forced: many clients (busybox udhcpc among them) don't ask for option 26, yet must get it.
    `dhcp-option-force=option:mtu,${s.mtu}`,
    ...s.statics.map((h) => `dhcp-host=${colonMac(h.mac)},${h.address},${h.name}`),
    '',
  ].join('\n');
}
