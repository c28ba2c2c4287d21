/**
 * The overlay's names and derived identities: the proxy VM and its NIC slots, the `dcod-` devices and
 * namespaces inside a proxy, and the MAC addresses DCoD picks for what it creates. Everything here is a
 * pure function of the datacenter's names, so a plan can say in advance which MAC (and so which IPv6
 * link-local address) a proxy or a router interface will have.
 */
import { createHash } from 'node:crypto';
import { NIC_SLOTS } from '../vbox/commands';

/** The SMBIOS product that marks a VM as DCoD's proxy appliance (the appliance image checks it). */
export const PROXY_PRODUCT = 'dcod-proxy';

export const PROXY_CHIPSET = 'ich9';
/** NIC 1 is the underlay, bridged to the host's LAN adapter. */
export const UNDERLAY_SLOT = 1;
/** NICs 2…36 carry one switch (VNI) each: 35 switches per host. */
export const FIRST_SEGMENT_SLOT = 2;
export const LAST_SEGMENT_SLOT = NIC_SLOTS[PROXY_CHIPSET];
export const MAX_SEGMENTS_PER_HOST = LAST_SEGMENT_SLOT - FIRST_SEGMENT_SLOT + 1;

/** VxLAN's IANA port. */
export const VXLAN_PORT = 4789;

/**
 * Everything the proxy's configuration creates starts with this, and its convergence deletes only what
 * starts with it: whatever else runs in the appliance is left alone.
 */
export const DEVICE_PREFIX = 'dcod-';

/** One proxy per host and datacenter: two datacenters on one host each keep their own. */
export function proxyVmName(datacenter: string): string {
  return `${PROXY_PRODUCT}-${datacenter}`;
}

/** Whether a VM on a host is one of DCoD's proxies, of whichever datacenter. */
export function isProxyVmName(name: string): boolean {
  return name.startsWith(`${PROXY_PRODUCT}-`);
}

// Linux device names are at most 15 characters: "dcod-br" + a VNI of up to 8 digits is 15.
export const bridgeName = (vni: number): string => `dcod-br${vni}`;
export const vxlanName = (vni: number): string => `dcod-vx${vni}`;
/** The DHCP server's veth on the switch's bridge; its other end is `seg` inside the server's namespace. */
export const dhcpVeth = (vni: number): string => `dcod-dh${vni}`;
export const dhcpNetns = (vni: number): string => `dcod-dhcp-${vni}`;
export const routerNetns = (router: string): string => `dcod-router-${router}`;
/** A router's veth on one switch's bridge (a hash: router names are too long for a device name). */
export const routerVeth = (router: string, vni: number): string => `dcod-r${shortHash(`${router}/${vni}`)}`;
/** A router's transit link to the proxy's own namespace, for its NAT uplink. */
export const uplinkVeth = (router: string): string => `dcod-u${shortHash(router)}`;
/** Inside a service namespace (DHCP or router) the interface on a switch is named after the VNI. */
export const serviceIf = (vni: number): string => `seg${vni}`;
export const UPLINK_IF = 'uplink';

function shortHash(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 8);
}

/**
 * A locally administered unicast MAC (first byte 0x02) derived from `parts`: 40 bits of a hash, so two
 * things in one datacenter practically never share one. Upper-case, no separators, as VirtualBox takes it.
 */
export function derivedMac(...parts: readonly (string | number)[]): string {
  return `02${createHash('sha256').update(parts.join('/')).digest('hex').slice(0, 10)}`.toUpperCase();
}

export const proxyNicMac = (datacenter: string, host: string, slot: number): string => derivedMac('proxy', datacenter, host, slot);

/** The VTEPs' prefix: IPv4 link-local (RFC 3927), on the LAN segment every proxy's NIC 1 is bridged to. */
export const VTEP_PREFIX = 16;

/**
 * Candidate VTEP addresses of a host's proxy, 169.254.1.1–169.254.254.254 (RFC 3927 reserves the first
 * and last /24), derived from its names: known when the plan is made, before the proxy exists, so one
 * apply configures every proxy completely. `attempt` gives the next candidate after a collision.
 */
export function vtepCandidate(datacenter: string, host: string, attempt: number): string {
  const h = createHash('sha256').update(`vtep/${datacenter}/${host}/${attempt}`).digest();
  return `169.254.${1 + (h[0]! % 254)}.${1 + (h[1]! % 254)}`;
}
export const routerMac = (datacenter: string, router: string, sw: string): string => derivedMac('router', datacenter, router, sw);
/**
 * The MAC of a document VM's NIC that the document leaves open. For the overlay to know it when it plans
 * (and configure forwarding in the same apply that creates the VM), the VM planner must give the NIC
 * this MAC; until it does, the one VirtualBox picks is learnt from the next observation.
 */
export const vmNicMac = (datacenter: string, vm: string, slot: number): string => derivedMac('vm', datacenter, vm, slot);
export const dhcpMac = (datacenter: string, sw: string): string => derivedMac('dhcp', datacenter, sw);

/** `080027A1B2C3` → `08:00:27:a1:b2:c3`, the form `ip` and `bridge` print. */
export function colonMac(mac: string): string {
  return mac.toLowerCase().replace(/(..)(?!$)/g, '$1:');
}

/** `08:00:27:a1:b2:c3` (any case) → `080027A1B2C3`. */
export function plainMac(mac: string): string {
  return mac.replace(/:/g, '').toUpperCase();
}

/**
 * The IPv6 link-local address a Linux interface with this MAC gets (modified EUI-64, RFC 4291 App. A:
 * flip the universal/local bit, put ff:fe in the middle). The appliance keeps this address generation
 * mode, so the app knows the proxy's address on the LAN before it has booted.
 */
export function linkLocalOf(mac: string): string {
  const b = plainMac(mac).match(/../g)!.map((x) => Number.parseInt(x, 16));
  const eui = [b[0]! ^ 0x02, b[1]!, b[2]!, 0xff, 0xfe, b[3]!, b[4]!, b[5]!];
  const groups = [0, 2, 4, 6].map((i) => ((eui[i]! << 8) | eui[i + 1]!).toString(16));
  return `fe80::${groups.join(':')}`;
}
