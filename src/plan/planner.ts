/**
 * The planner: `plan(desired, observed)` → the operations that bring the hosts to the document. Pure (no
 * I/O, no clock, no randomness) and stable: the same inputs give the same plan, operations ordered by
 * dependency level, then resource kind, name, step and host.
 *
 * It is a composition: `resolveWorld` decides where everything belongs (./world), per-resource planners
 * turn that into operations (./vm-planner, ./volume-planner), and `compose` merges their parts into one
 * DAG. Other planners (the overlay's proxies and switches) add their parts with `planWith`, and may hang
 * dependencies on the core's operations by id (./operation: `vm/<name>/start@<host>`…).
 */
import type { Diagnostic } from '../diagnostics';
import { DcodError } from '../errors';
import type { ObservedHost } from '../hosts/observed';
import type { Datacenter } from '../model/document';
import { validateDocument } from '../model/validate';
import { STEPS, stepOf } from './operation';
import { levels, type Operation, type Plan, type ResourceKind } from './plan';
import { planVms } from './vm-planner';
import { planVolumes } from './volume-planner';
import { resolveWorld, type PlanOptions, type World } from './world';

export type { PlanOptions } from './world';

export interface PlanPart {
  readonly operations: readonly Operation[];
  readonly diagnostics?: readonly Diagnostic[];
  /** Extra edges onto operations of any part: `operation` waits for `dependsOn` as well. */
  readonly dependencies?: readonly { readonly operation: string; readonly dependsOn: readonly string[] }[];
}

/** A per-resource planner; it sees the operations of the planners before it. */
export type Planner = (world: World, earlier: readonly Operation[]) => PlanPart;

/** VMs and their volumes: one planner, since volumes wait for the VMs that hold them to let go. */
export const corePlanner: Planner = (world) => {
  const vms = planVms(world);
  const volumes = planVolumes(world, vms);
  return { operations: [...vms.operations, ...volumes.operations], diagnostics: [...vms.diagnostics, ...volumes.diagnostics] };
};

export function plan(desired: Datacenter, observed: readonly ObservedHost[], opts: PlanOptions = {}): Plan {
  return planWith([corePlanner], desired, observed, opts);
}

/**
 * Plans with the given planners. A document with validation errors (a NIC on an unknown switch…) gets
 * no operations, only those errors: planning half of a broken document helps nobody.
 */
export function planWith(planners: readonly Planner[], desired: Datacenter, observed: readonly ObservedHost[], opts: PlanOptions = {}): Plan {
  const invalid = validateDocument(desired).diagnostics.filter((d) => d.severity === 'error');
  if (invalid.length > 0) return { datacenter: desired.metadata.name, operations: [], diagnostics: invalid };
  const world = resolveWorld(desired, observed, opts);
  const parts: PlanPart[] = [];
  for (const planner of planners) parts.push(planner(world, parts.flatMap((p) => p.operations)));
  return compose(desired.metadata.name, parts, world.diagnostics);
}

const KIND_ORDER: readonly ResourceKind[] = ['image', 'volume', 'vm', 'switch', 'router', 'proxy'];

function orderKey(op: Operation): (string | number)[] {
  const rank = (STEPS as readonly string[]).indexOf(stepOf(op.id));
  return [KIND_ORDER.indexOf(op.resource.kind), op.resource.name, rank < 0 ? STEPS.length : rank, op.target.host, op.target.kind, op.id];
}

function compareKeys(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}

const planBug = (message: string) => new DcodError('INTERNAL', message, { context: ['composing the plan'] });

/** Merges planner parts into one plan: ids unique, every dependency known, no cycle, stable order. */
export function compose(datacenter: string, parts: readonly PlanPart[], diagnostics: readonly Diagnostic[] = []): Plan {
  const byId = new Map<string, Operation>();
  for (const op of parts.flatMap((p) => p.operations)) {
    if (byId.has(op.id)) throw planBug(`operation ${op.id} is planned twice`);
    byId.set(op.id, op);
  }
  for (const dep of parts.flatMap((p) => p.dependencies ?? [])) {
    const op = byId.get(dep.operation);
    if (!op) throw planBug(`a dependency is added to unknown operation ${dep.operation}`);
    byId.set(op.id, { ...op, dependsOn: [...new Set([...op.dependsOn, ...dep.dependsOn])].sort() });
  }
  for (const op of byId.values()) {
    for (const dep of op.dependsOn) if (!byId.has(dep)) throw planBug(`operation ${op.id} depends on unknown ${dep}`);
  }
  const unordered: Plan = { datacenter, operations: [...byId.values()], diagnostics: [] };
  const operations = levels(unordered).flatMap((level) => level.map((op) => ({ op, key: orderKey(op) })).sort((a, b) => compareKeys(a.key, b.key)).map((x) => x.op));
  return { datacenter, operations, diagnostics: [...diagnostics, ...parts.flatMap((p) => p.diagnostics ?? [])] };
}
