/**
 * From the document, the placement and the last observation to what every proxy should be (pure, stable
 * order). Decides:
 * - which hosts carry which switch (a VM with a NIC on it is placed there, or a router or DHCP server
 *   of it runs there), and on which proxy NIC slot — a VNI keeps its slot while it stays on the host;
 * - where each router runs (where it ran before, else the host carrying most of its switches) and each
 *   switch's DHCP server (where it ran before, else the host with most of the switch's VMs);
 * - every proxy's VTEP address (derived from names, see names.vtepCandidate), and the forwarding
 *   tables: every other VTEP carrying the VNI for flooding, every MAC known to live on another host for
 *   unicast.
 */
import type { Diagnostic } from '../diagnostics';
import { formatIpv4, parseCidr } from '../discovery/cidr';
import type { ObservedHost, ObservedVm } from '../hosts/observed';
import type { Datacenter, Switch } from '../model/document';
import { ownership, type Role } from '../model/tags';
import { vniOfIntnet } from '../vbox/commands';
import { dhcpServer, type DhcpServer } from './dhcp';
import { segmentMtu, mtuDiagnostics } from './mtu';
import { dhcpMac, FIRST_SEGMENT_SLOT, LAST_SEGMENT_SLOT, MAX_SEGMENTS_PER_HOST, proxyNicMac, routerMac, UNDERLAY_SLOT, vmNicMac, vtepCandidate } from './names';
import type { ObservedProxy } from './observed';
import type { ProxyConfig, RouterConfig, SegmentPort } from './proxy-config';

export interface TopologyInput {
  readonly desired: Datacenter;
  /** VM name → host name, for every VM of the document that is placed. */
  readonly placement: ReadonlyMap<string, string>;
  readonly observed: readonly ObservedHost[];
  readonly proxies: readonly ObservedProxy[];
}

export interface Topology {
  /** One per host that carries at least one switch, in host order. */
  readonly proxies: readonly ProxyConfig[];
  readonly diagnostics: readonly Diagnostic[];
}

interface Endpoint {
  readonly mac?: string;
  readonly host: string;
}

const byName = <T extends { readonly name: string }>(a: T, b: T): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const sorted = (xs: Iterable<string>): string[] => [...xs].sort();

/** The VM of this datacenter with the given role (and name) on an observed host. */
export function ownedVm(host: ObservedHost | undefined, datacenter: string, role: Role, name?: string): ObservedVm | undefined {
  return host?.vms.find((vm) => ownership(vm, datacenter) === role && (name === undefined || vm.name === name));
}

/** The host whose observed proxy reports a fact starting with `prefix`, if it is still a candidate. */
function stickyHost(proxies: readonly ObservedProxy[], prefix: string, candidates: ReadonlySet<string>): string | undefined {
  return proxies.find((p) => candidates.has(p.host) && p.facts.some((f) => f.startsWith(prefix)))?.host;
}

/** The candidate with the highest score, ties broken by name. */
function best(scores: ReadonlyMap<string, number>): string | undefined {
  let winner: string | undefined;
  for (const host of sorted(scores.keys())) if (winner === undefined || scores.get(host)! > scores.get(winner)!) winner = host;
  return winner;
}

export function overlayTopology(input: TopologyInput): Topology {
  const dc = input.desired;
  const name = dc.metadata.name;
  const diagnostics: Diagnostic[] = [...mtuDiagnostics(dc)];
  const observedHosts = new Map(input.observed.map((h) => [h.host, h]));
  const switches = new Map(dc.switches.map((s) => [s.name, s]));
  const hosts = new Set(input.placement.values());

  /** Switch name → host → VMs' endpoints there. */
  const carriers = new Map<string, Map<string, Endpoint[]>>();
  const carry = (sw: string, host: string): Endpoint[] => {
    const perHost = carriers.get(sw) ?? carriers.set(sw, new Map()).get(sw)!;
    return perHost.get(host) ?? perHost.set(host, []).get(host)!;
  };
  const fixed = new Map<string, { address: string; mac?: string; name: string }[]>();
  for (const vm of [...dc.vms].sort(byName)) {
    const host = input.placement.get(vm.name);
    if (host === undefined) continue;
    const seen = ownedVm(observedHosts.get(host), name, 'vm', vm.name);
    vm.nics.forEach((nic, i) => {
      if (!('switch' in nic) || !switches.has(nic.switch)) return;
      // The document's MAC, else the one the VM has, else the one the VM planner gives a new NIC.
      const mac = nic.mac?.toUpperCase() ?? seen?.nics.find((n) => n.slot === i + 1)?.mac ?? vmNicMac(name, vm.name, i + 1);
      carry(nic.switch, host).push({ host, ...(mac ? { mac } : {}) });
      if (nic.address !== undefined) (fixed.get(nic.switch) ?? fixed.set(nic.switch, []).get(nic.switch)!).push({ address: nic.address, name: vm.name, ...(mac ? { mac } : {}) });
    });
  }
  const vmCount = (sw: string, host: string): number => carriers.get(sw)?.get(host)?.length ?? 0;

  // Routers: where they ran, else where most of their switches already are.
  const routerHost = new Map<string, string>();
  for (const router of [...dc.routers].sort(byName)) {
    const sticky = stickyHost(input.proxies, `router ${router.name} `, hosts);
    const scores = new Map(sorted(hosts).map((h) => [h, router.interfaces.filter((i) => vmCount(i.switch, h) > 0).length]));
    const host = sticky ?? best(scores);
    if (host === undefined) continue;
    routerHost.set(router.name, host);
    for (const itf of router.interfaces) if (switches.has(itf.switch)) carry(itf.switch, host);
  }

  // DHCP: where it ran, else on the host with most of the switch's VMs.
  const dhcpHost = new Map<string, { host: string; server: DhcpServer }>();
  for (const sw of [...dc.switches].sort(byName)) {
    if (!sw.dhcp || sw.subnet === undefined) continue;
    const here = carriers.get(sw.name);
    if (!here) continue;
    const host = stickyHost(input.proxies, `dhcp ${sw.vni} `, new Set(here.keys())) ?? best(new Map([...here.keys()].map((h) => [h, vmCount(sw.name, h)])));
    if (host === undefined) continue;
    const routers = dc.routers.filter((r) => routerHost.has(r.name)).sort(byName).flatMap((r) => r.interfaces.filter((i) => i.switch === sw.name).map((i) => i.address));
    const server = dhcpServer({ vni: sw.vni, switch: sw.name, subnet: sw.subnet, mac: dhcpMac(name, sw.name), mtu: segmentMtu(dc, sw).guest, routers, fixed: fixed.get(sw.name) ?? [] });
    if (!server) {
      diagnostics.push({ severity: 'error', path: `switches[${dc.switches.indexOf(sw)}].subnet`, message: `switch "${sw.name}" has no address left in ${sw.subnet} for its DHCP server`, fix: 'use a larger subnet, or free an address' });
      continue;
    }
    dhcpHost.set(sw.name, { host, server });
  }

  // Every MAC on each switch, with its host: VMs, router interfaces, DHCP servers.
  const endpoints = (sw: Switch): Endpoint[] => [
    ...[...(carriers.get(sw.name)?.values() ?? [])].flat(),
    ...dc.routers.filter((r) => routerHost.has(r.name) && r.interfaces.some((i) => i.switch === sw.name)).map((r) => ({ host: routerHost.get(r.name)!, mac: routerMac(name, r.name, sw.name) })),
    ...(dhcpHost.has(sw.name) ? [{ host: dhcpHost.get(sw.name)!.host, mac: dhcpMac(name, sw.name) }] : []),
  ];

  // VTEPs for every host of the overlay, in host order; a collision takes the next candidate.
  const vteps = new Map<string, string>();
  const taken = new Set<string>();
  for (const host of sorted(new Set([...carriers.values()].flatMap((m) => [...m.keys()])))) {
    let attempt = 0;
    let address = vtepCandidate(name, host, attempt);
    while (taken.has(address)) address = vtepCandidate(name, host, ++attempt);
    taken.add(address);
    vteps.set(host, address);
  }
  const vtep = (host: string): string => vteps.get(host)!;

  const proxies: ProxyConfig[] = [];
  for (const host of sorted(new Set([...carriers.values()].flatMap((m) => [...m.keys()])))) {
    const here = dc.switches.filter((sw) => carriers.get(sw.name)?.has(host)).sort((a, b) => a.vni - b.vni);
    const slots = assignSlots(here.map((s) => s.vni), ownedVm(observedHosts.get(host), name, 'proxy'));
    const segments: SegmentPort[] = [];
    for (const sw of here) {
      const slot = slots.get(sw.vni);
      if (slot === undefined) {
        diagnostics.push({
          severity: 'error',
          path: `switches[${dc.switches.indexOf(sw)}]`,
          message: `host ${host} would carry more than ${MAX_SEGMENTS_PER_HOST} switches; switch "${sw.name}" can't join its proxy`,
          fix: `place the VMs of some switches on other hosts`,
        });
        continue;
      }
      const others = sorted(new Set([...(carriers.get(sw.name)?.keys() ?? [])].filter((h) => h !== host)));
      const remote = new Map<string, string>();
      for (const e of endpoints(sw)) {
        if (e.mac !== undefined && e.host !== host && !remote.has(e.mac)) remote.set(e.mac, vtep(e.host));
      }
      segments.push({
        vni: sw.vni,
        switch: sw.name,
        slot,
        mac: proxyNicMac(name, host, slot),
        mtu: segmentMtu(dc, sw).guest,
        floodTo: sorted(new Set(others.map(vtep))),
        remote: sorted(remote.keys()).map((mac) => ({ mac, vtep: remote.get(mac)! })),
      });
    }
    const carried = new Set(segments.map((s) => s.switch));
    let uplinks = 0;
    const routers = dc.routers
      .filter((r) => routerHost.get(r.name) === host)
      .sort(byName)
      .map((r) => routerConfig(dc, r, carried, r.natUplink ? ++uplinks : undefined));
    proxies.push({
      datacenter: name,
      host,
      underlay: { mac: proxyNicMac(name, host, UNDERLAY_SLOT), mtu: dc.underlayMtu },
      vtep: vtep(host),
      segments,
      dhcp: [...dhcpHost.values()].filter((d) => d.host === host && carried.has(d.server.switch)).map((d) => d.server).sort((a, b) => a.vni - b.vni),
      routers,
    });
  }
  return { proxies, diagnostics };
}

/** A VNI keeps the slot it has on the running proxy; new ones take the lowest free slot. */
function assignSlots(vnis: readonly number[], proxy: ObservedVm | undefined): Map<number, number> {
  const slots = new Map<number, number>();
  const used = new Set<number>();
  for (const nic of proxy?.nics ?? []) {
    const vni = nic.attachment === 'intnet' && nic.network !== undefined ? vniOfIntnet(nic.network) : undefined;
    if (vni !== undefined && vnis.includes(vni) && nic.slot >= FIRST_SEGMENT_SLOT && !slots.has(vni)) {
      slots.set(vni, nic.slot);
      used.add(nic.slot);
    }
  }
  let next = FIRST_SEGMENT_SLOT;
  for (const vni of vnis) {
    if (slots.has(vni)) continue;
    while (used.has(next)) next++;
    if (next > LAST_SEGMENT_SLOT) break;
    slots.set(vni, next);
    used.add(next);
  }
  return slots;
}

/** `uplink`: the router's number among this proxy's NAT routers, which picks its transit link. */
function routerConfig(dc: Datacenter, r: Datacenter['routers'][number], carried: ReadonlySet<string>, uplink: number | undefined): RouterConfig {
  const interfaces = r.interfaces.flatMap((itf) => {
    const sw = dc.switches.find((s) => s.name === itf.switch);
    if (!sw?.subnet || !carried.has(sw.name)) return [];
    return [{ vni: sw.vni, switch: sw.name, address: itf.address, prefix: parseCidr(sw.subnet, { force: true }).prefix, mac: routerMac(dc.metadata.name, r.name, sw.name), mtu: segmentMtu(dc, sw).guest }];
  });
  return { name: r.name, interfaces: interfaces.sort((a, b) => a.vni - b.vni), ...(uplink !== undefined ? { uplink: transit(uplink) } : {}) };
}

/**
 * The n-th NAT router's transit /30 to the proxy's namespace: 169.254.n.0/30 (RFC 3927 reserves
 * 169.254.0.0/24, so n starts at 1). Link-local, masqueraded on both sides: it never leaves the proxy.
 */
function transit(n: number): NonNullable<RouterConfig['uplink']> {
  const base = (169 << 24) | (254 << 16) | (n << 8);
  return { proxySide: formatIpv4((base | 1) >>> 0), routerSide: formatIpv4((base | 2) >>> 0), prefix: 30 };
}
