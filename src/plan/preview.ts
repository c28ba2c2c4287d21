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

/** An operation as the outline has it: which, where, on what, and what it does to it. */
export type OperationOutline = Pick<Operation, 'id' | 'target' | 'resource' | 'action'>;

/** What changes and what stops the plan: its operations in outline, its errors, and how many warnings it has. */
export interface PlanOutline {
  readonly datacenter: string;
  readonly operations: readonly OperationOutline[];
  /** The plan's errors only. */
  readonly diagnostics: readonly Diagnostic[];
  readonly warnings: number;
}

/**
 * `full`: the plan as plan.make would make it, commands and all. `outline`: what the editor asks for on
 * every edit. A 1,000-node plan's commands, summaries and per-switch warnings are most of its megabyte,
 * and carrying them took the edit-to-counter time of bench:ui from ~50 to ~68 ms; the Review shows the
 * plan.make one, all of it.
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
  const errors = plan.diagnostics.filter((d) => d.severity === 'error');
  return { datacenter: plan.datacenter, operations: plan.operations.map(({ id, target, resource, action }) => ({ id, target, resource, action })), diagnostics: errors, warnings: plan.diagnostics.length - errors.length };
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
