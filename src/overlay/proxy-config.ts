/**
 * What one host's proxy should be: the desired state its configuration script converges to and its
 * observation is compared with. Derived purely from the document, the placement and what was observed
 * (see ./topology); nothing here is ever diffed against the previous desired state, so it can't drift.
 */
import type { DhcpServer } from './dhcp';

/** One switch on this host: the proxy NIC joined to `dcod-vni-<vni>`, a bridge and a VxLAN device. */
export interface SegmentPort {
  readonly vni: number;
  readonly switch: string;
  /** The proxy NIC slot attached to the switch's internal network (2…36). */
  readonly slot: number;
  /** That NIC's MAC: the appliance finds the NIC by it (names differ between guests). */
  readonly mac: string;
  readonly mtu: number;
  /** The other proxies carrying this VNI (their VTEPs): broadcast and unknown unicast go to each. */
  readonly floodTo: readonly string[];
  /** MACs that live behind another proxy, with its VTEP: known unicast goes straight there. */
  readonly remote: readonly { readonly mac: string; readonly vtep: string }[];
}

export interface RouterInterface {
  readonly vni: number;
  readonly switch: string;
  readonly address: string;
  readonly prefix: number;
  readonly mac: string;
  readonly mtu: number;
}

/** A router: a namespace in the proxy with one interface per switch, and optionally a NAT uplink. */
export interface RouterConfig {
  readonly name: string;
  readonly interfaces: readonly RouterInterface[];
  /** The transit link to the proxy's own namespace, which masquerades it out of the LAN NIC. */
  readonly uplink?: { readonly proxySide: string; readonly routerSide: string; readonly prefix: number };
}

export interface ProxyConfig {
  readonly datacenter: string;
  readonly host: string;
  readonly underlay: { readonly mac: string; readonly mtu: number };
  /** Its VTEP: a link-local address DCoD adds to the underlay NIC (see names.vtepCandidate). */
  readonly vtep: string;
  /** In VNI order. */
  readonly segments: readonly SegmentPort[];
  /** DHCP servers this proxy runs, in VNI order. */
  readonly dhcp: readonly DhcpServer[];
  /** Routers this proxy runs, in name order. */
  readonly routers: readonly RouterConfig[];
}
