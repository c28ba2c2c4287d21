/**
 * What an apply's progress events mean for the canvas: each operation's latest state, and for each node
 * the operation of its resource that is running now or that went wrong — a node shows "creating…", then
 * "failed: <the host's message>" until the next apply.
 */
import type { ApplyProgress, ErrorInfo, Operation, Plan, ResourceRef } from '../../src/api/contract';
import { nodeId } from '../editor/ids';

export type OpState = 'pending' | ApplyProgress['state'];

export interface OpStatus {
  readonly op: string;
  readonly state: OpState;
  readonly summary: string;
  readonly host: string;
  readonly error?: ErrorInfo;
  readonly reason?: string;
}

/** The canvas node a plan resource is drawn as; proxies and images have none (they show in the review panel and the log). */
export function nodeOfResource(ref: ResourceRef): string | undefined {
  return ref.kind === 'vm' || ref.kind === 'switch' || ref.kind === 'router' || ref.kind === 'volume' ? nodeId(ref.kind, ref.name) : undefined;
}

/** Operations that change something: what the pending-changes counter counts. */
export function changes<O extends Pick<Operation, 'action'>>(plan: { readonly operations: readonly O[] }): readonly O[] {
  return plan.operations.filter((op) => op.action !== 'noop');
}

export const hostOf = (op: Pick<Operation, 'target'>) => (op.target.kind === 'host' ? op.target.host : `${op.target.host} (proxy)`);

/** Every operation of a plan about to run, as pending. */
export function pendingStatuses(plan: Plan): ReadonlyMap<string, OpStatus> {
  return new Map(changes(plan).map((op) => [op.id, { op: op.id, state: 'pending', summary: op.summary, host: hostOf(op) }]));
}

/** The statuses after one progress event. */
export function withProgress(ops: ReadonlyMap<string, OpStatus>, p: ApplyProgress): ReadonlyMap<string, OpStatus> {
  const next = new Map(ops);
  next.set(p.op, { op: p.op, state: p.state, summary: p.summary, host: hostOf(p), ...(p.error ? { error: p.error } : {}), ...(p.reason ? { reason: p.reason } : {}) });
  return next;
}

/** How a node stands: its failed operation if any, else the one running, else the last one done. */
export function nodeStatuses(plan: Plan, ops: ReadonlyMap<string, OpStatus>): ReadonlyMap<string, OpStatus> {
  const rank: Readonly<Record<OpState, number>> = { failed: 5, started: 4, skipped: 3, pending: 2, done: 1 };
  const out = new Map<string, OpStatus>();
  for (const op of plan.operations) {
    const node = nodeOfResource(op.resource);
    const status = ops.get(op.id);
    if (!node || !status) continue;
    const held = out.get(node);
    if (!held || rank[status.state] >= rank[held.state]) out.set(node, status);
  }
  return out;
}
