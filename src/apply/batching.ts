/**
 * How a plan is cut into execs: one batch per DAG level and target (a host, or a host's proxy VM), so a
 * level costs each host one SSH round trip however many operations it has there.
 */
import { DcodError } from '../errors';
import { levels, type Command, type Operation, type Plan, type Target } from '../plan/plan';

export interface Batch {
  readonly level: number;
  readonly target: Target;
  /** In plan order; none depends on another (they share a level). */
  readonly operations: readonly Operation[];
}

export function targetKey(t: Target): string {
  return `${t.kind}:${t.host}`;
}

export function describeTarget(t: Target): string {
  return t.kind === 'host' ? `host ${t.host}` : `the proxy of ${t.host}`;
}

/**
 * The plan's levels, each cut into one batch per target in order of first appearance. Throws on an
 * operation id that would break the batch script's markers (a planner bug, never user input).
 */
export function batchLevels(plan: Plan): Batch[][] {
  for (const op of plan.operations) {
    // eslint-disable-next-line no-control-regex
    if (op.id === '' || /[\x00-\x1f\x7f]/.test(op.id)) throw new DcodError('INTERNAL', `operation id ${JSON.stringify(op.id)} is empty or holds control characters`);
  }
  const ids = new Set<string>();
  for (const op of plan.operations) {
    if (ids.has(op.id)) throw new DcodError('INTERNAL', `operation id ${op.id} appears twice in the plan`);
    ids.add(op.id);
  }
  return levels(plan).map((ops, level) => {
    const byTarget = new Map<string, Operation[]>();
    for (const op of ops) {
      const key = targetKey(op.target);
      const list = byTarget.get(key);
      if (list) list.push(op);
      else byTarget.set(key, [op]);
    }
    return [...byTarget.values()].map((operations) => ({ level, target: operations[0]!.target, operations }));
  });
}

/** On a host, `VBoxManage` as argv[0] means that host's VBoxManage (the inventory may give a path). */
export function hostCommands(commands: readonly Command[], vboxmanage: string): Command[] {
  return commands.map((argv) => (argv[0] === 'VBoxManage' ? [vboxmanage, ...argv.slice(1)] : argv));
}

/**
 * Which operations of a batch may run side by side. VirtualBox takes each API call's locks itself, so
 * operations on different resources (VMs, volumes, the proxy) run at once, one lane each; linked clones
 * of one template share a lane, since each branches a new disk off the template's chain; and everything
 * inside a proxy VM runs in one lane, in plan order, as its configuration scripts expect.
 */
export function laneOf(op: Operation): string {
  if (op.target.kind === 'proxy') return 'proxy';
  const clone = op.commands.find((argv) => argv[1] === 'clonevm');
  return clone ? `clone of ${clone[2]}` : `${op.resource.kind}/${op.resource.name}`;
}
