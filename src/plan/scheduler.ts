/**
 * The scheduler: puts the document's VMs that have no placement on a host. Deterministic (same inputs,
 * same placement) and sticky: a VM that already exists on a usable host stays there, so editing the
 * document never moves VMs around by itself. New VMs go, biggest first, to the host with the most free
 * memory left after them, never next to a VM they keep apart from (`apartFrom`, either way round), and
 * only where `canHost` allows (e.g. the template of their image is there). When nothing fits, the
 * diagnostic says why for every host.
 */
import type { Diagnostic } from '../diagnostics';
import type { ObservedHost } from '../hosts/observed';
import type { Datacenter, Vm } from '../model/document';
import { powerClass } from './vm-spec';

export interface ScheduleInput {
  readonly doc: Datacenter;
  /** The hosts VMs may go to (reachable, with VirtualBox), sorted by name. */
  readonly hosts: readonly ObservedHost[];
  /** VM name → host it must be on (the document's placement, where that host is usable). */
  readonly fixed: ReadonlyMap<string, string>;
  /** VM name → host where it already exists (sticky). */
  readonly existing: ReadonlyMap<string, string>;
  /** VMs not to place at all (a diagnostic already explains them). */
  readonly skip?: ReadonlySet<string>;
  /** Why the host can't take the VM, or undefined if it can. */
  readonly canHost?: (vm: Vm, host: ObservedHost) => string | undefined;
  /** Memory each host keeps for itself beyond what it reports available (MB). */
  readonly reserveMb?: number;
}

export interface Schedule {
  /** Every placed VM: fixed, existing and newly scheduled. */
  readonly placement: ReadonlyMap<string, string>;
  readonly diagnostics: readonly Diagnostic[];
}

interface HostLoad {
  readonly host: ObservedHost;
  freeMb: number;
  readonly vms: Set<string>;
}

/** Memory free now: what the host reports available, or its total less its running VMs'. */
function freeMemory(h: ObservedHost): number {
  const info = h.hostInfo;
  if (info?.memoryAvailableMb !== undefined) return info.memoryAvailableMb;
  const running = h.vms.filter((v) => powerClass(v.state) === 'running').reduce((s, v) => s + (v.memoryMb ?? 0), 0);
  return (info?.memorySizeMb ?? 0) - running;
}

export function schedule(input: ScheduleInput): Schedule {
  const diagnostics: Diagnostic[] = [];
  const vmIndex = new Map(input.doc.vms.map((v, i) => [v.name, i]));
  const byName = new Map(input.doc.vms.map((v) => [v.name, v]));
  const loads = new Map<string, HostLoad>(input.hosts.map((h) => [h.host, { host: h, freeMb: freeMemory(h) - (input.reserveMb ?? 0), vms: new Set<string>() }]));
  const placement = new Map<string, string>();

  // A VM reserves memory where it will run but doesn't yet (new, moved in, or started by this plan).
  const assign = (vm: Vm, host: string) => {
    placement.set(vm.name, host);
    const load = loads.get(host);
    if (!load) return;
    load.vms.add(vm.name);
    const already = load.host.vms.some((o) => o.name === vm.name && powerClass(o.state) === 'running');
    if (vm.power === 'running' && !already) load.freeMb -= vm.memoryMb;
  };
  for (const vm of input.doc.vms) {
    const host = input.fixed.get(vm.name) ?? input.existing.get(vm.name);
    if (host !== undefined && !input.skip?.has(vm.name)) assign(vm, host);
  }
  for (const load of [...loads.values()].sort((a, b) => a.host.host.localeCompare(b.host.host))) {
    if (load.freeMb < 0 && [...load.vms].some((n) => input.fixed.has(n))) {
      const last = [...load.vms].filter((n) => input.fixed.has(n)).sort().at(-1)!;
      diagnostics.push({ severity: 'warning', path: `placement.${last}`, message: `the VMs on ${load.host.host} need ${-load.freeMb} MB more memory than it has free`, fix: 'place some elsewhere, or give them less memory' });
    }
  }

  const apart = (a: string, b: string) => (byName.get(a)?.apartFrom.includes(b) ?? false) || (byName.get(b)?.apartFrom.includes(a) ?? false);
  // Biggest first (first-fit decreasing), name last, so the order never depends on the document's order.
  const pending = input.doc.vms
    .filter((v) => !placement.has(v.name) && !input.skip?.has(v.name))
    .sort((a, b) => b.memoryMb - a.memoryMb || b.cpus - a.cpus || a.name.localeCompare(b.name));
  for (const vm of pending) {
    const needMb = vm.power === 'running' ? vm.memoryMb : 0;
    const refusals: string[] = [];
    let best: HostLoad | undefined;
    for (const load of loads.values()) {
      const h = load.host;
      const why =
        input.canHost?.(vm, h) ??
        ((h.hostInfo?.processorCount ?? 0) < vm.cpus ? `has ${h.hostInfo?.processorCount ?? 0} CPUs` : undefined) ??
        (load.freeMb < needMb ? `has ${Math.max(0, load.freeMb)} MB free` : undefined) ??
        [...load.vms].filter((other) => apart(vm.name, other)).map((other) => `runs ${other}, which ${vm.name} keeps apart from`)[0];
      if (why !== undefined) {
        refusals.push(`${h.host} ${why}`);
        continue;
      }
      if (!best || load.freeMb > best.freeMb || (load.freeMb === best.freeMb && h.host < best.host.host)) best = load;
    }
    if (best) {
      assign(vm, best.host.host);
      continue;
    }
    diagnostics.push({
      severity: 'error',
      path: `vms[${vmIndex.get(vm.name)}]`,
      message: `no host can take VM ${vm.name} (${vm.cpus} CPU${vm.cpus === 1 ? '' : 's'}, ${vm.memoryMb} MB): ${refusals.length ? refusals.join('; ') : 'no reachable VirtualBox host'}`,
      fix: 'give it fewer CPUs or less memory, stop other VMs, relax apartFrom, or add a host',
    });
  }
  return { placement, diagnostics };
}
