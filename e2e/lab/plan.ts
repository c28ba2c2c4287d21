/**
 * The lab's naming and address plan: pure, so `up`, `down`, `status` and the tests all derive the same
 * names from a lab name and a /24. Everything a lab makes is named from its name L (`L-lan`, `L-h1`, …), which
 * is what lets `down` find it all after a crash.
 */
import path from 'node:path';
import { DcodError } from '../../src/errors';

export const LAB_ROOT = '/run/dcod-lab';
export const DEFAULT_LAB = 'dcod';
/** 198.18.0.0/15 is the benchmarking range: it can never be the machine's own network. */
export const DEFAULT_CIDR = '198.18.0.0/24';
export const LAB_USER = 'dcod';

/** Host-side names, the same in every host namespace (like a real Linux VirtualBox host with br0). */
export const HOST_LAN_IF = 'eno1';
export const HOST_BRIDGE = 'br0';
/** The LAN's bridge, in `L-lan`. */
export const LAN_BRIDGE = 'lan0';

/** Last octets: the router, the laptop, VirtualBox hosts from .11, plain hosts from .51, DHCP .100-.199. */
const GATEWAY_OCTET = 1;
const LAPTOP_OCTET = 2;
const FIRST_HOST_OCTET = 11;
const FIRST_PLAIN_OCTET = 51;
export const MAX_HOSTS = FIRST_PLAIN_OCTET - FIRST_HOST_OCTET - 1;
export const MAX_PLAIN_HOSTS = 99 - FIRST_PLAIN_OCTET;
export const DHCP_FIRST_OCTET = 100;
export const DHCP_LAST_OCTET = 199;

export type HostKind = 'virtualbox' | 'plain';

/** A namespace on the LAN: its name, its address, and its port's name on the LAN bridge. */
export interface NodePlan {
  readonly name: string;
  readonly netns: string;
  readonly address: string;
  /** The LAN-side veth end in `L-lan`, enslaved to lan0 (<= 15 chars). */
  readonly lanPort: string;
  /** The MAC of the node's own end, `eno1`. */
  readonly mac: string;
}

export interface HostPlan extends NodePlan {
  readonly kind: HostKind;
  /** The MAC of br0, which carries the host's address. */
  readonly bridgeMac: string;
}

export interface LabPlan {
  readonly name: string;
  readonly dir: string;
  readonly cidr: string;
  readonly gateway: string;
  readonly lanNetns: string;
  readonly laptop: NodePlan;
  readonly hosts: readonly HostPlan[];
  readonly dhcpRange: readonly [string, string];
  /** Every host runs avahi-daemon, announcing `_ssh._tcp` and `_workstation._tcp`. */
  readonly mdns: boolean;
}

export interface LabOptions {
  readonly name?: string;
  readonly hosts?: number;
  readonly plainHosts?: number;
  readonly cidr?: string;
  readonly mdns?: boolean;
}

export function validateLabName(name: string): string {
  if (!/^[a-z0-9]{1,6}$/.test(name)) {
    throw new DcodError('BAD_REQUEST', `lab name "${name}" must be 1-6 characters of [a-z0-9]`);
  }
  return name;
}

export function labDir(name: string): string {
  return path.join(LAB_ROOT, validateLabName(name));
}

/** Every namespace of lab L, the simulator's guests included, starts with this. */
export function netnsPrefix(name: string): string {
  return `${name}-`;
}

export function lanNetns(name: string): string {
  return `${name}-lan`;
}

export function laptopNetns(name: string): string {
  return `${name}-laptop`;
}

/** The namespaces the simulator made for a host's guests. */
export function isGuestOf(name: string, host: string, netns: string): boolean {
  return netns.startsWith(`${name}-${host}-`);
}

/** The first three octets of a /24 in 198.18.0.0/15, e.g. "198.18.0". */
export function parseCidr(cidr: string): string {
  const m = /^198\.(18|19)\.([0-9]{1,3})\.0\/24$/.exec(cidr);
  if (!m || Number(m[2]) > 255 || String(Number(m[2])) !== m[2]) {
    throw new DcodError('BAD_REQUEST', `cidr "${cidr}" must be a /24 inside 198.18.0.0/15, like 198.18.1.0/24`);
  }
  return `198.${m[1]}.${m[2]}`;
}

/**
 * A locally administered MAC made from an IPv4 address. Fixed MACs keep the neighbours' ARP caches right
 * when `up` rebuilds a node, and pin br0's MAC, which would otherwise follow the lowest MAC among its
 * ports and change whenever a guest's veth joins.
 */
export function labMac(firstByte: 0x02 | 0x06, address: string): string {
  return [firstByte, 0xdc, ...address.split('.').map(Number)].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

function count(what: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new DcodError('BAD_REQUEST', `${what} must be a whole number from 0 to ${max}, not ${value}`);
  }
  return value;
}

export function planLab(opts: LabOptions = {}): LabPlan {
  const name = validateLabName(opts.name ?? DEFAULT_LAB);
  const hosts = count('hosts', opts.hosts ?? 4, MAX_HOSTS);
  const plain = count('plain hosts', opts.plainHosts ?? 0, MAX_PLAIN_HOSTS);
  if (hosts + plain === 0) throw new DcodError('BAD_REQUEST', 'a lab needs at least one host');
  const cidr = opts.cidr ?? DEFAULT_CIDR;
  const net = parseCidr(cidr);
  const host = (kind: HostKind, index: number): HostPlan => {
    const hostName = `${kind === 'virtualbox' ? 'h' : 'p'}${index}`;
    const octet = (kind === 'virtualbox' ? FIRST_HOST_OCTET : FIRST_PLAIN_OCTET) + index - 1;
    const address = `${net}.${octet}`;
    return { name: hostName, netns: `${name}-${hostName}`, address, lanPort: `v-${hostName}`, mac: labMac(0x06, address), kind, bridgeMac: labMac(0x02, address) };
  };
  return {
    name,
    dir: labDir(name),
    cidr,
    gateway: `${net}.${GATEWAY_OCTET}`,
    lanNetns: lanNetns(name),
    laptop: { name: 'laptop', netns: laptopNetns(name), address: `${net}.${LAPTOP_OCTET}`, lanPort: 'v-laptop', mac: labMac(0x06, `${net}.${LAPTOP_OCTET}`) },
    hosts: [
      ...Array.from({ length: hosts }, (_, i) => host('virtualbox', i + 1)),
      ...Array.from({ length: plain }, (_, i) => host('plain', i + 1)),
    ],
    dhcpRange: [`${net}.${DHCP_FIRST_OCTET}`, `${net}.${DHCP_LAST_OCTET}`],
    mdns: opts.mdns ?? false,
  };
}

/** Where one host's files live: sshd_config, host key, account copies, sim.json, the simulator's state. */
export function hostPaths(dir: string, host: string) {
  const root = path.join(dir, 'hosts', host);
  return {
    root,
    home: path.join(root, 'home'),
    sshdConfig: path.join(root, 'sshd_config'),
    hostKey: path.join(root, 'ssh_host_ed25519_key'),
    passwd: path.join(root, 'etc', 'passwd'),
    shadow: path.join(root, 'etc', 'shadow'),
    group: path.join(root, 'etc', 'group'),
    pidFile: path.join(root, 'sshd.pid'),
    log: path.join(root, 'sshd.log'),
    simConfig: path.join(root, 'sim.json'),
    vboxState: path.join(root, 'vbox'),
    /** Bound over /etc/avahi for avahi-daemon: avahi-daemon.conf, hosts, services/. */
    avahiEtc: path.join(root, 'avahi'),
    /** Bound over /run for avahi-daemon, which makes /run/avahi-daemon (pid file, socket) whatever it is told. */
    avahiRun: path.join(root, 'avahi-run'),
    avahiPid: path.join(root, 'avahi-run', 'avahi-daemon', 'pid'),
    avahiLog: path.join(root, 'avahi.log'),
  };
}

export function labPaths(dir: string) {
  return {
    labJson: path.join(dir, 'lab.json'),
    hostsYaml: path.join(dir, 'hosts.yaml'),
    knownHosts: path.join(dir, 'known_hosts'),
    key: path.join(dir, 'keys', 'id_ed25519'),
    authorizedKeys: path.join(dir, 'keys', 'authorized_keys'),
    bin: path.join(dir, 'bin'),
    vboxManage: path.join(dir, 'bin', 'VBoxManage'),
    simulator: path.join(dir, 'bin', 'vboxsim.cjs'),
    dnsmasqPid: path.join(dir, 'dnsmasq.pid'),
    dnsmasqLeases: path.join(dir, 'dnsmasq.leases'),
    dnsmasqLog: path.join(dir, 'dnsmasq.log'),
  };
}
