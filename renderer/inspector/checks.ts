/**
 * What the inspector says about a field, from the same validation the canvas shows: the document's
 * diagnostics for a saved value, and — while someone types — the diagnostics the document *would* have
 * with the typed value in it, so a message appears before anything is committed.
 */
import { namesOf } from '../editor/edits';
import type { EntityKind } from '../editor/ids';
import { Name, type Datacenter } from '../editor/model';
import { placeDiagnostics, validate, type Placed } from '../editor/validation';

/** The first message about a node's field, or about anything below it (`nics` covers `nics[0].switch`). */
export function fieldProblem(placed: Placed, id: string, field: string): string | undefined {
  const problems = placed.byNode.get(id) ?? [];
  const hit = problems.find((p) => p.field === field) ?? problems.find((p) => p.field.startsWith(`${field}.`) || p.field.startsWith(`${field}[`));
  return hit?.message;
}

/** The message a field would get if the document held `candidate`. */
export function candidateProblem(candidate: Datacenter, id: string, field: string): string | undefined {
  return fieldProblem(placeDiagnostics(candidate, validate(candidate)), id, field);
}

/** The message a datacenter-level field (`underlayMtu`) would get in a candidate document. */
export function documentProblem(candidate: Datacenter, path: string): string | undefined {
  return validate(candidate).find((d) => d.path === path)?.message;
}

/** Whether a typed name can be committed: the name rule, and not another entity's of its kind. */
export function nameProblem(doc: Datacenter, kind: EntityKind, current: string, text: string): string | undefined {
  const parsed = Name.safeParse(text);
  if (!parsed.success) return parsed.error.issues[0]?.message ?? 'not a valid name';
  if (text !== current && namesOf(doc, kind).has(text)) return `another ${kind === 'vm' ? 'VM' : kind} is named ${text}`;
  return undefined;
}

/** A typed whole number, or what is wrong with it (range checks are the document's). */
export function parseWhole(text: string): { value: number } | { error: string } {
  const t = text.trim();
  return /^-?\d+$/.test(t) ? { value: Number(t) } : { error: 'a whole number' };
}

/** Text fields that may be left empty: empty means "not set". */
export const optionalText = (text: string): string | undefined => (text.trim() === '' ? undefined : text.trim());
