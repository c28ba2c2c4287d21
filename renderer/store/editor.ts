/**
 * The editor slice: the datacenter document being edited, its undo history, the selection, and the canvas
 * graph derived from them and from the hosts' reports. Every change to the document goes through `run`
 * (the actions registry), which records the undo step the action asks for; everything derived is
 * recomputed in `derive`, in one place, so no field can go stale.
 */
import { applyNodeChanges, type EdgeChange, type NodeChange } from '@xyflow/react';
import { create } from 'zustand';
import type { HostView } from '../../src/api/contract';
import { actions, type Action, type ActionName, type ActionState, type ArgOf, type Env, type Outcome } from '../editor/actions';
import { buildGraph, reuse, type EditorEdge, type EditorNode, type Graph } from '../editor/graph';
import { diff, EMPTY_HISTORY, isEmptyDelta, record } from '../editor/history';
import { emptyDatacenter, type Datacenter, type ValidationContext } from '../editor/model';
import { placeDiagnostics, validate, type Placed } from '../editor/validation';
import { useHosts } from './hosts';

/** A long operation under way, for the canvas's progress bar. */
export interface Busy {
  readonly label: string;
}

export interface EditorState extends ActionState {
  /** The inventory's hosts as last reported (a copy of the hosts slice's, so `derive` stays pure). */
  readonly hostViews: readonly HostView[];
  /** Whether the inventory has been read: until then placement isn't checked against it. */
  readonly hostsLoaded: boolean;
  readonly placed: Placed;
  readonly graph: Graph;
  readonly search: string;
  /** The host a dragged VM would land in, highlighted while dragging. */
  readonly dropHost: string | null;
  readonly busy: Busy | null;
  run<N extends ActionName>(name: N, arg: ArgOf<N>, env?: Env): void;
  /** Replaces the document (opening one): history starts over. */
  load(doc: Datacenter): void;
  select(ids: readonly string[]): void;
  setSearch(text: string): void;
  setDropHost(host: string | null): void;
  setHosts(views: readonly HostView[], loaded: boolean): void;
  onNodesChange(changes: NodeChange<EditorNode>[]): void;
  onEdgesChange(changes: EdgeChange<EditorEdge>[]): void;
}

type Data = Omit<EditorState, { [K in keyof EditorState]: EditorState[K] extends (...a: never[]) => unknown ? K : never }[keyof EditorState]>;

const EMPTY_GRAPH: Graph = { nodes: [], edges: [] };

/**
 * The state after a change: validation when the document changed, host names and the graph when
 * anything they show changed. Unchanged nodes keep their objects (graph.ts `reuse`).
 */
export function derive(prev: Data, patch: Partial<Data>): Data {
  const next: { -readonly [K in keyof Data]: Data[K] } = { ...prev, ...patch };
  if (next.doc !== prev.doc || next.hostViews !== prev.hostViews || next.hostsLoaded !== prev.hostsLoaded) next.placed = placeDiagnostics(next.doc, validate(next.doc, next.hostsLoaded ? validationContext(next.hostViews) : {}));
  const shown = (['doc', 'hostViews', 'selection', 'search', 'placed', 'dropHost'] as const).some((k) => next[k] !== prev[k]);
  if (shown || next.graph === EMPTY_GRAPH) {
    const built = buildGraph({ doc: next.doc, hosts: next.hostViews, problems: next.placed.byNode, selection: new Set(next.selection), search: next.search.trim().toLowerCase() });
    const drop = next.dropHost === null ? built : { ...built, nodes: built.nodes.map((n) => (n.id === `host:${next.dropHost}` ? { ...n, className: `${n.className ?? ''} drop-target`.trim() } : n)) };
    next.graph = reuse(prev.graph, drop);
    const hostNames = next.graph.nodes.filter((n) => n.type === 'host').map((n) => n.data.name);
    if (hostNames.length !== prev.hostNames.length || hostNames.some((h, i) => h !== prev.hostNames[i])) next.hostNames = hostNames;
  }
  return next;
}

/** What validation checks placement and memory against: the inventory, and what its hosts last reported. */
export function validationContext(hostViews: readonly HostView[]): ValidationContext {
  return { inventory: hostViews.map((v) => v.host), observed: hostViews.flatMap((v) => (v.observed ? [v.observed] : [])) };
}

/** The outcome of an action folded into the state, with the undo step the action's policy asks for. */
export function commit(s: Data, action: Action<never>, out: Outcome): Data {
  let history = out.history ?? s.history;
  if (action.undo === 'record' && out.doc && out.doc !== s.doc) {
    const delta = diff(s.doc, out.doc);
    if (isEmptyDelta(delta)) return derive(s, { ...(out.selection ? { selection: out.selection } : {}) });
    history = record(history, { label: out.label ?? action.label, delta, selectionBefore: s.selection, selectionAfter: out.selection ?? s.selection });
  }
  return derive(s, {
    history,
    ...(out.doc ? { doc: out.doc } : {}),
    ...(out.selection ? { selection: out.selection } : {}),
    ...(out.clipboard ? { clipboard: out.clipboard } : {}),
    ...(out.helpOpen === undefined ? {} : { helpOpen: out.helpOpen }),
    ...(out.searchOpen === undefined ? {} : { searchOpen: out.searchOpen, ...(out.searchOpen ? {} : { search: '' }) }),
  });
}

/** The name every new datacenter starts with, until the core hands out documents. */
export const DEFAULT_DATACENTER = 'datacenter';

const initialDoc = emptyDatacenter(DEFAULT_DATACENTER);

/** The state a fresh editor starts from (also what tests reset to). */
export const INITIAL: Data = derive(
  {
    doc: initialDoc,
    history: EMPTY_HISTORY,
    selection: [],
    clipboard: null,
    hostNames: [],
    helpOpen: false,
    searchOpen: false,
    hostViews: [],
    hostsLoaded: false,
    placed: placeDiagnostics(initialDoc, validate(initialDoc)),
    graph: EMPTY_GRAPH,
    search: '',
    dropHost: null,
    busy: null,
  },
  {},
);

export const useEditor = create<EditorState>()((set, get) => ({
  ...INITIAL,

  run(name, arg, env = {}) {
    const action = actions[name] as Action<ArgOf<typeof name>>;
    const s = get();
    if (action.predicate && !action.predicate(s)) return;
    const out = action.perform(s, arg, env);
    if (!out) return;
    if (!(out instanceof Promise)) {
      set((now) => commit(now, action as Action<never>, out));
      return;
    }
    set({ busy: { label: action.label } });
    void out
      .then((later) => {
        const o = later(get());
        if (o) set((now) => commit(now, action as Action<never>, o));
      })
      .finally(() => set({ busy: null }));
  },
  load: (doc) => set((s) => derive(s, { doc, history: EMPTY_HISTORY, selection: [] })),
  select: (ids) => set((s) => (ids.length === s.selection.length && ids.every((id, i) => id === s.selection[i]) ? s : derive(s, { selection: ids }))),
  setSearch: (search) => set((s) => derive(s, { search })),
  setDropHost: (dropHost) => set((s) => (s.dropHost === dropHost ? s : derive(s, { dropHost }))),
  setHosts: (hostViews, hostsLoaded) => set((s) => derive(s, { hostViews, hostsLoaded })),
  onNodesChange(changes) {
    const s = get();
    const live = changes.filter((c) => c.type === 'position' || c.type === 'dimensions');
    const selection = selectionAfter(s.selection, changes);
    let graph = s.graph;
    if (live.length) graph = { ...graph, nodes: applyNodeChanges(live, graph.nodes) };
    set(selection === s.selection ? { graph } : derive({ ...s, graph }, { selection }));
  },
  onEdgesChange(changes) {
    const s = get();
    const selection = selectionAfter(s.selection, changes);
    // Only selection: removals go through the delete action (React Flow's own delete key is off).
    if (selection !== s.selection) set(derive(s, { selection }));
  },
}));

/** The selection after React Flow's select changes (clicks, box select), in the order things were picked. */
export function selectionAfter(selection: readonly string[], changes: readonly (NodeChange | EdgeChange)[]): readonly string[] {
  const picks = changes.filter((c): c is Extract<NodeChange | EdgeChange, { type: 'select' }> => c.type === 'select');
  if (!picks.length) return selection;
  const out = selection.filter((id) => !picks.some((c) => c.id === id && !c.selected));
  for (const c of picks) if (c.selected && !out.includes(c.id)) out.push(c.id);
  return out.length === selection.length && out.every((id, i) => id === selection[i]) ? selection : out;
}

/** Keeps the editor's copy of the hosts in step with the hosts slice; returns the unsubscribe. */
export function bindEditorToHosts(): () => void {
  const h = useHosts.getState();
  useEditor.getState().setHosts(h.hostViews, h.hostsLoaded);
  return useHosts.subscribe((now, prev) => {
    if (now.hostViews !== prev.hostViews || now.hostsLoaded !== prev.hostsLoaded) useEditor.getState().setHosts(now.hostViews, now.hostsLoaded);
  });
}
