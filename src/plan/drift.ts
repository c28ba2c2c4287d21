/**
 * Drift: what someone changed by hand on this datacenter's VMs since the last apply — a difference from
 * the document where the document itself did not change (the spec recorded on the VM at the last apply
 * still matches it). The next plan undoes each of these (its reasons say `drift: …`); `status` lists them.
 */
import type { ObservedHost } from '../hosts/observed';
import type { Datacenter } from '../model/document';
import type { ResourceRef } from './plan';
import { diffVm, powerChange } from './vm-spec';
import { resolveWorld, type PlanOptions } from './world';

export interface DriftItem {
  readonly resource: ResourceRef;
  readonly host: string;
  /** e.g. `memory 1024 → 512 MB`, `nic1 switch wan → switch lan`, `poweroff → running`. */
  readonly changes: readonly string[];
}

export function drift(desired: Datacenter, observed: readonly ObservedHost[], opts: PlanOptions = {}): DriftItem[] {
  const world = resolveWorld(desired, observed, opts);
  const items: DriftItem[] = [];
  for (const t of [...world.targets.values()].sort((a, b) => a.vm.name.localeCompare(b.vm.name))) {
    if (!t.here || !t.bay) continue;
    const diff = diffVm(t.spec, t.here, world.diffContext({ ...t, bay: t.bay }));
    const power = powerChange(t.spec, t.here);
    const changes = [...diff.changes, ...(power ? [power] : [])].filter((c) => c.drift).map((c) => c.text);
    if (changes.length) items.push({ resource: { kind: 'vm', name: t.vm.name }, host: t.host, changes });
  }
  return items;
}
