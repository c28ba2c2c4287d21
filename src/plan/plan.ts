/**
 * A plan is data: what would change, where, why, and the exact commands. The planner makes it without
 * touching a host; the apply engine only carries it out; the UI and the CLI only show it.
 */
import type { Diagnostic } from '../diagnostics';
import type { Transfer } from './transfer';

/** What an operation does to its resource. When unsure, the planner replaces. */
export type Action = 'create' | 'update' | 'replace' | 'delete' | 'start' | 'stop' | 'noop';

export type ResourceKind = 'vm' | 'volume' | 'switch' | 'router' | 'proxy' | 'image';

export interface ResourceRef {
  readonly kind: ResourceKind;
  readonly name: string;
}

/** Where an operation's commands run: on a host (its login shell, VBoxManage), or inside its proxy VM. */
export type Target = { readonly kind: 'host'; readonly host: string } | { readonly kind: 'proxy'; readonly host: string };

/**
 * One command as an argv list, never a string: the runner quotes it for the target's shell. On a host,
 * `argv[0] === 'VBoxManage'` is replaced by that host's VBoxManage path.
 */
export type Command = readonly string[];

export interface Operation {
  /** Stable and unique within a plan, e.g. `vm/web1/create@h1`: the journal records these. */
  readonly id: string;
  readonly target: Target;
  readonly resource: ResourceRef;
  readonly action: Action;
  /** One line for people: `create VM web1 on h1 (linked clone of debian12, 1 CPU, 512 MB)`. */
  readonly summary: string;
  /** Why, for display only: `not on h1`, `memory 512 → 1024 MB`. */
  readonly reason: string;
  /** Run in order; the first that fails fails the operation. */
  readonly commands: readonly Command[];
  /** Operations that must have succeeded before this one runs (the plan's DAG edges). */
  readonly dependsOn: readonly string[];
  /**
   * A file copy no command can do (an OVA to a host, a VM export or a disk between hosts): the apply engine
   * carries it out itself, through the laptop, and `commands` is empty.
   */
  readonly transfer?: Transfer;
  /** What the resource looked like before and will look like after, for the review panel. */
  readonly before?: unknown;
  readonly after?: unknown;
}

export interface Plan {
  readonly datacenter: string;
  /** In a stable order (same inputs, same plan), dependencies before dependents. */
  readonly operations: readonly Operation[];
  /** Things the user should know that don't stop the plan (memory overcommit, drift that will be undone…). */
  readonly diagnostics: readonly Diagnostic[];
}

export function isEmpty(plan: Plan): boolean {
  return plan.operations.every((op) => op.action === 'noop');
}

/**
 * The DAG's levels: level 0 depends on nothing, level n only on levels below n. The apply engine runs a
 * level's operations of one host in one exec. Throws on an unknown dependency or a cycle (a planner bug).
 */
export function levels(plan: Plan): Operation[][] {
  const byId = new Map(plan.operations.map((op) => [op.id, op]));
  const level = new Map<string, number>();
  const visiting = new Set<string>();
  const depth = (op: Operation): number => {
    const known = level.get(op.id);
    if (known !== undefined) return known;
    if (visiting.has(op.id)) throw new Error(`plan has a dependency cycle through ${op.id}`);
    visiting.add(op.id);
    let d = 0;
    for (const dep of op.dependsOn) {
      const parent = byId.get(dep);
      if (!parent) throw new Error(`operation ${op.id} depends on unknown ${dep}`);
      d = Math.max(d, depth(parent) + 1);
    }
    visiting.delete(op.id);
    level.set(op.id, d);
    return d;
  };
  const out: Operation[][] = [];
  for (const op of plan.operations) (out[depth(op)] ??= []).push(op);
  return out.map((l) => l ?? []);
}
