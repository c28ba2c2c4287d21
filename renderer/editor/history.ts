/**
 * Undo history as deltas between document versions, not copies of them: a delta names what changed —
 * which entities (by name, with their index so undo puts them back where they were), which placement and
 * layout keys, which top-level fields — with the value before and after. Applying a delta forward gives
 * the newer document, backward the older one; both give back exactly the document it was taken from
 * (history.test.ts checks this on random documents).
 */
import type { Datacenter } from './model';

type Named = { readonly name: string };
type Collection = 'switches' | 'routers' | 'vms' | 'volumes' | 'images';
type Keyed = 'placement' | 'layout';
type Scalar = Exclude<keyof Datacenter, Collection | Keyed>;

const COLLECTIONS: readonly Collection[] = ['switches', 'routers', 'vms', 'volumes', 'images'];
const KEYED: readonly Keyed[] = ['placement', 'layout'];
const SCALARS: readonly Scalar[] = ['apiVersion', 'kind', 'metadata', 'underlayMtu'];

interface At<T> {
  readonly index: number;
  readonly value: T;
}
/** One entity's change: only `before` = removed, only `after` = added, both = changed in place. */
interface EntityChange<T> {
  readonly before?: At<T>;
  readonly after?: At<T>;
}
type CollectionChange =
  /** Per entity, when the entities that stay kept their order. */
  | { readonly by: 'name'; readonly changes: Readonly<Record<string, EntityChange<Named>>> }
  /** The whole list, when an edit reordered it. */
  | { readonly by: 'whole'; readonly before: readonly Named[]; readonly after: readonly Named[] };
interface ValueChange<T> {
  readonly before?: T;
  readonly after?: T;
}

export interface Delta {
  readonly collections: Readonly<Partial<Record<Collection, CollectionChange>>>;
  readonly keyed: Readonly<Partial<Record<Keyed, Readonly<Record<string, ValueChange<unknown>>>>>>;
  readonly scalars: Readonly<Partial<Record<Scalar, ValueChange<unknown>>>>;
}

function diffCollection(a: readonly Named[], b: readonly Named[]): CollectionChange | undefined {
  if (a === b) return undefined;
  const inA = new Map(a.map((e, i) => [e.name, i]));
  const inB = new Map(b.map((e, i) => [e.name, i]));
  const keptA = a.filter((e) => inB.has(e.name)).map((e) => e.name);
  const keptB = b.filter((e) => inA.has(e.name)).map((e) => e.name);
  if (keptA.some((n, i) => keptB[i] !== n)) return { by: 'whole', before: a, after: b };
  const changes: Record<string, EntityChange<Named>> = {};
  a.forEach((e, index) => {
    const j = inB.get(e.name);
    if (j === undefined) changes[e.name] = { before: { index, value: e } };
    else if (b[j] !== e) changes[e.name] = { before: { index, value: e }, after: { index: j, value: b[j]! } };
  });
  b.forEach((e, index) => {
    if (!inA.has(e.name)) changes[e.name] = { after: { index, value: e } };
  });
  return Object.keys(changes).length ? { by: 'name', changes } : undefined;
}

function diffKeyed(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): Record<string, ValueChange<unknown>> | undefined {
  if (a === b) return undefined;
  const out: Record<string, ValueChange<unknown>> = {};
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const before = Object.hasOwn(a, k) ? a[k] : undefined;
    const after = Object.hasOwn(b, k) ? b[k] : undefined;
    if (before !== after && !sameValue(before, after)) out[k] = { ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) };
  }
  return Object.keys(out).length ? out : undefined;
}

/** Layout points and host names compare by value: a drag that ends where it began is no change. */
function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || typeof b !== 'object' || !a || !b) return a === b;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k]);
}

/** What changed from `a` to `b`. Unchanged parts must be the same objects (edits share them). */
export function diff(a: Datacenter, b: Datacenter): Delta {
  const collections: Partial<Record<Collection, CollectionChange>> = {};
  for (const c of COLLECTIONS) {
    const d = diffCollection(a[c], b[c]);
    if (d) collections[c] = d;
  }
  const keyed: Partial<Record<Keyed, Record<string, ValueChange<unknown>>>> = {};
  for (const k of KEYED) {
    const d = diffKeyed(a[k], b[k]);
    if (d) keyed[k] = d;
  }
  const scalars: Partial<Record<Scalar, ValueChange<unknown>>> = {};
  for (const s of SCALARS) if (!sameValue(a[s], b[s])) scalars[s] = { before: a[s], after: b[s] };
  return { collections, keyed, scalars };
}

export function isEmptyDelta(d: Delta): boolean {
  return !Object.keys(d.collections).length && !Object.keys(d.keyed).length && !Object.keys(d.scalars).length;
}

function applyCollection(list: readonly Named[], change: CollectionChange, forward: boolean): readonly Named[] {
  if (change.by === 'whole') return forward ? change.after : change.before;
  const from = (c: EntityChange<Named>) => (forward ? c.before : c.after);
  const to = (c: EntityChange<Named>) => (forward ? c.after : c.before);
  const entries = Object.entries(change.changes);
  const removed = new Set(entries.filter(([, c]) => from(c) && !to(c)).map(([n]) => n));
  const replaced = new Map(entries.flatMap(([n, c]) => (from(c) && to(c) ? [[n, to(c)!.value] as const] : [])));
  const out = list.filter((e) => !removed.has(e.name)).map((e) => replaced.get(e.name) ?? e);
  // Inserting the added ones at their final indexes, lowest first, rebuilds the exact order.
  const added = entries.flatMap(([, c]) => (!from(c) && to(c) ? [to(c)!] : [])).sort((x, y) => x.index - y.index);
  for (const a of added) out.splice(a.index, 0, a.value);
  return out;
}

function applyKeyed(rec: Readonly<Record<string, unknown>>, changes: Readonly<Record<string, ValueChange<unknown>>>, forward: boolean): Record<string, unknown> {
  const out = { ...rec };
  for (const [k, c] of Object.entries(changes)) {
    const v = forward ? c.after : c.before;
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

/** `doc` moved along the delta: forward (redo) from its older side, backward (undo) from its newer one. */
export function applyDelta(doc: Datacenter, d: Delta, direction: 'forward' | 'backward'): Datacenter {
  const forward = direction === 'forward';
  const out: Record<string, unknown> = { ...doc };
  for (const [c, change] of Object.entries(d.collections) as [Collection, CollectionChange][]) out[c] = applyCollection(doc[c], change, forward);
  for (const [k, changes] of Object.entries(d.keyed) as [Keyed, Record<string, ValueChange<unknown>>][]) out[k] = applyKeyed(doc[k], changes, forward);
  for (const [s, c] of Object.entries(d.scalars) as [Scalar, ValueChange<unknown>][]) out[s] = forward ? c.after : c.before;
  return out as Datacenter;
}

// ------------------------------------------------------------------------------------------------ stacks

/** One step of history: the delta, what to call it in the Undo/Redo tooltips, and the selection to restore. */
export interface HistoryEntry {
  readonly label: string;
  readonly delta: Delta;
  readonly selectionBefore: readonly string[];
  readonly selectionAfter: readonly string[];
}

export interface History {
  readonly undo: readonly HistoryEntry[];
  readonly redo: readonly HistoryEntry[];
}

export const EMPTY_HISTORY: History = { undo: [], redo: [] };

/** How many steps are kept; the oldest fall off. */
export const HISTORY_LIMIT = 500;

/** A new step; it clears the redo stack, as every editor does. */
export function record(h: History, entry: HistoryEntry): History {
  return { undo: [...h.undo, entry].slice(-HISTORY_LIMIT), redo: [] };
}

export interface Step {
  readonly history: History;
  readonly doc: Datacenter;
  readonly selection: readonly string[];
  readonly entry: HistoryEntry;
}

export function undo(h: History, doc: Datacenter): Step | undefined {
  const entry = h.undo.at(-1);
  if (!entry) return undefined;
  return { history: { undo: h.undo.slice(0, -1), redo: [...h.redo, entry] }, doc: applyDelta(doc, entry.delta, 'backward'), selection: entry.selectionBefore, entry };
}

export function redo(h: History, doc: Datacenter): Step | undefined {
  const entry = h.redo.at(-1);
  if (!entry) return undefined;
  return { history: { undo: [...h.undo, entry], redo: h.redo.slice(0, -1) }, doc: applyDelta(doc, entry.delta, 'forward'), selection: entry.selectionAfter, entry };
}
