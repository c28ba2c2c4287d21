/**
 * Where each resource of a document stands, from a fresh plan (what differs on the hosts now) and the
 * journal (how its last apply went). Pure: the service reads the hosts and the journal first.
 */
import type { ErrorInfo } from '../errors';
import type { Datacenter } from '../model/document';
import type { DriftItem } from '../plan/drift';
import type { Operation, Plan, ResourceKind } from '../plan/plan';
import type { LastOutcome } from './journal';

export type ResourceState =
  /** The hosts match the document. */
  | 'in-sync'
  /** Someone changed it on its host by hand since the last apply: `details` say what; apply undoes it. */
  | 'drift'
  /** The document changed and the hosts have not caught up yet: `details` say what apply would do. */
  | 'pending'
  /** The document has it and no host does. */
  | 'missing'
  /** Its last apply failed, and it still differs. */
  | 'failed'
  /** Owned by this datacenter on a host but no longer in the document: the next apply deletes it. */
  | 'extra';

export interface ResourceStatus {
  readonly kind: ResourceKind;
  readonly name: string;
  readonly state: ResourceState;
  /** Where the pending operations would run. */
  readonly hosts: readonly string[];
  /** What differs, one line per pending operation (`memory 512 → 1024 MB`). */
  readonly details: readonly string[];
  /** The last apply's error, when it failed. */
  readonly error?: ErrorInfo;
}

function documentResources(doc: Datacenter): { kind: ResourceKind; name: string }[] {
  return [
    ...doc.switches.map((s) => ({ kind: 'switch' as const, name: s.name })),
    ...doc.routers.map((r) => ({ kind: 'router' as const, name: r.name })),
    ...doc.volumes.map((v) => ({ kind: 'volume' as const, name: v.name })),
    ...doc.vms.map((v) => ({ kind: 'vm' as const, name: v.name })),
  ];
}

const key = (kind: string, name: string) => `${kind}/${name}`;

export function resourceStatus(doc: Datacenter, plan: Plan, last: ReadonlyMap<string, LastOutcome>, drift: readonly DriftItem[] = []): ResourceStatus[] {
  const drifted = new Map(drift.map((d) => [key(d.resource.kind, d.resource.name), d]));
  const pending = new Map<string, Operation[]>();
  for (const op of plan.operations) {
    if (op.action === 'noop') continue;
    const k = key(op.resource.kind, op.resource.name);
    pending.set(k, [...(pending.get(k) ?? []), op]);
  }
  const inDocument = documentResources(doc);
  const known = new Set(inDocument.map((r) => key(r.kind, r.name)));
  const extra = [...pending.values()].map((ops) => ops[0]!.resource).filter((r) => !known.has(key(r.kind, r.name)));

  return [...inDocument, ...extra].map((r) => {
    const ops = pending.get(key(r.kind, r.name)) ?? [];
    const hosts = [...new Set(ops.map((o) => o.target.host))];
    const handMade = drifted.get(key(r.kind, r.name));
    const details = handMade ? [...handMade.changes] : ops.map((o) => `${o.action}: ${o.reason || o.summary}`);
    const lastOutcome = last.get(key(r.kind, r.name));
    const base = { kind: r.kind, name: r.name, hosts, details };
    if (ops.length === 0) return { ...base, state: 'in-sync' };
    if (lastOutcome?.state === 'failed') return { ...base, state: 'failed', ...(lastOutcome.error ? { error: lastOutcome.error } : {}) };
    if (!known.has(key(r.kind, r.name))) return { ...base, state: 'extra' };
    // Created and nothing else (a start may follow): it is nowhere. A create beside a delete is a move.
    if (ops.some((o) => o.action === 'create') && ops.every((o) => o.action === 'create' || o.action === 'start')) return { ...base, state: 'missing' };
    return { ...base, state: handMade ? 'drift' : 'pending' };
  });
}
