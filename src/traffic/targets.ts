/**
 * What to sample for one datacenter, from what the hosts run (pure): on each host with running VMs of
 * the datacenter, their NIC counters; in each running proxy, its `dcod-` devices and bridge ports.
 * Derived from the observation rather than the document, so a VM that is placed but not started, or a
 * proxy that is not up yet, costs nothing.
 */
import type { ObservedHost, ObservedVm } from '../hosts/observed';
import type { Datacenter } from '../model/document';
import { ownership } from '../model/tags';
import { vniOfIntnet } from '../vbox/commands';
import type { SamplerSpec } from './sampler-script';
import type { NicRef } from './snapshot';

export interface SamplerTarget {
  /** `host:<name>` or `proxy:<name>`: a sampler's identity, stable while its host is. */
  readonly id: string;
  readonly kind: 'host' | 'proxy';
  readonly host: string;
  readonly spec: SamplerSpec;
}

export interface TrafficTargets {
  readonly datacenter: string;
  readonly switches: readonly { readonly vni: number; readonly name: string }[];
  readonly nics: readonly NicRef[];
  readonly samplers: readonly SamplerTarget[];
}

export interface TargetOptions {
  readonly intervalS: number;
  /** Where VBoxManage is on a host (the inventory's `vboxmanage`, else the default). */
  readonly vboxmanage: (host: string) => string;
  /** What the overlay's devices in a proxy are called: every one starts with it. */
  readonly devicePrefix: string;
}

const running = (vm: ObservedVm): boolean => vm.state === 'running' || vm.state === 'paused';

export function trafficTargets(doc: Datacenter, observed: readonly ObservedHost[], opts: TargetOptions): TrafficTargets {
  const dc = doc.metadata.name;
  const nics: NicRef[] = [];
  const samplers: SamplerTarget[] = [];
  const hosts = [...observed].filter((h) => h.reachable).sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
  for (const h of hosts) {
    const vms = h.vms.filter((vm) => running(vm) && ownership(vm, dc) === 'vm').sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const vm of vms) {
      for (const nic of vm.nics) {
        if (nic.attachment === 'none') continue;
        const vni = nic.attachment === 'intnet' && nic.network !== undefined ? vniOfIntnet(nic.network) : undefined;
        nics.push({ uuid: vm.uuid, vm: vm.name, host: h.host, slot: nic.slot, ...(vni === undefined ? {} : { vni }) });
      }
    }
    if (vms.length > 0) {
      samplers.push({ id: `host:${h.host}`, kind: 'host', host: h.host, spec: { devicePrefixes: [], vms: vms.map((vm) => vm.uuid), vboxmanage: opts.vboxmanage(h.host), intervalS: opts.intervalS } });
    }
    if (h.vms.some((vm) => vm.state === 'running' && ownership(vm, dc) === 'proxy')) {
      samplers.push({
        id: `proxy:${h.host}`,
        kind: 'proxy',
        host: h.host,
        // Every device: the ports of DCoD's bridges include the proxy's own NICs, whatever the guest calls them.
        spec: { devicePrefixes: [''], masterPrefix: opts.devicePrefix, vms: [], vboxmanage: 'VBoxManage', intervalS: opts.intervalS },
      });
    }
  }
  return { datacenter: dc, switches: doc.switches.map((s) => ({ vni: s.vni, name: s.name })).sort((a, b) => a.vni - b.vni), nics, samplers };
}
