/**
 * The plan an unsaved document would give, against the hosts as they were last read: what the editor
 * shows while the user edits. It reads no file and no host, so it answers in milliseconds; the plan that is
 * applied is always made afresh by `plan.make` from the saved file and newly read hosts.
 */
import type { Diagnostic } from '../diagnostics';
import type { ObservedHost } from '../hosts/observed';
import type { Datacenter } from '../model/document';
import { validateDocument, type ValidationContext } from '../model/validate';
import type { Operation, Plan } from './plan';

/** An operation without its commands, dependencies and before/after views: what, where and why. */
export type OperationOutline = Pick<Operation, 'id' | 'target' | 'resource' | 'action' | 'summary' | 'reason'>;

export interface PlanOutline extends Omit<Plan, 'operations'> {
  readonly operations: readonly OperationOutline[];
}

/**
 * `full`: the plan as plan.make would make it, commands and all. `outline`: its operations without
 * commands — what the editor asks for on every edit, as a 1,000-node plan's commands are most of its
 * megabyte and the Review shows the plan.make one anyway.
 */
export type PreviewDetail = 'full' | 'outline';

export interface PlanPreview {
  /** Absent when the document has errors: a broken document is not planned. */
  readonly plan?: Plan | PlanOutline;
  /** Every finding about the document, placement and memory included. */
  readonly diagnostics: readonly Diagnostic[];
  /** The newest reading planned against; absent when no host has been read yet. */
  readonly observedAt?: string;
  /** Inventory hosts with no usable reading: the plan leaves what the document puts there alone, and its diagnostics say so. */
  readonly unread: readonly string[];
}

export function outlineOf(plan: Plan): PlanOutline {
  return { ...plan, operations: plan.operations.map(({ id, target, resource, action, summary, reason }) => ({ id, target, resource, action, summary, reason })) };
}

export function previewPlan(
  planner: (desired: Datacenter, observed: readonly ObservedHost[]) => Plan,
  input: unknown,
  ctx: Required<ValidationContext>,
  detail: PreviewDetail = 'full',
): PlanPreview {
  const { document, diagnostics } = validateDocument(input, ctx);
  const observedAt = ctx.observed.map((o) => o.observedAt).sort().at(-1);
  const read = new Set(ctx.observed.filter((o) => o.reachable && !o.error).map((o) => o.host));
  const unread = ctx.inventory.map((h) => h.name).filter((h) => !read.has(h));
  const errors = diagnostics.some((d) => d.severity === 'error');
  const plan = document && !errors ? planner(document, ctx.observed) : undefined;
  return { ...(plan ? { plan: detail === 'outline' ? outlineOf(plan) : plan } : {}), diagnostics, ...(observedAt ? { observedAt } : {}), unread };
}
