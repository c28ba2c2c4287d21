/**
 * Everything a person can do to the datacenter, as a registry: each action has a name, a label, the keys
 * that run it, when it applies, what it does (a pure function of the editor's state and an argument),
 * and how undo treats it. The canvas, the keyboard, the toolbar and the help overlay all go through this
 * table, so a shortcut shown in the help is the one that works.
 */
import * as edits from './edits';
import { GRID, NODE_SIZE, type Point, type Size } from './geometry';
import { nodeId, parseNodeId, type EntityKind } from './ids';
import { autoLayout, type ElkLike } from './layout';
import { redo, undo, type History } from './history';
import type { Datacenter } from './model';

/** What actions read: the editor's state, not the store with its functions. */
export interface ActionState {
  readonly doc: Datacenter;
  readonly history: History;
  readonly selection: readonly string[];
  readonly clipboard: edits.Clip | null;
  /** Host names as the canvas shows them (inventory first). */
  readonly hostNames: readonly string[];
  readonly helpOpen: boolean;
  readonly searchOpen: boolean;
}

/** What the canvas lends actions that move the camera (none in tests). */
export interface View {
  fit(): void;
  zoomIn(): void;
  zoomOut(): void;
  /** Where a new top-level node of this size goes: near the middle of the screen, covering nothing. */
  place(size: Size): Point;
}

export interface Outcome {
  readonly doc?: Datacenter;
  readonly selection?: readonly string[];
  readonly clipboard?: edits.Clip;
  /** Only undo and redo set it. */
  readonly history?: History;
  readonly helpOpen?: boolean;
  readonly searchOpen?: boolean;
  /** The history step's name when it depends on the argument (`Delete 3 items`). */
  readonly label?: string;
}

/** An action that takes a while (auto-layout) resolves to an update of the state as it is by then. */
export type Later = Promise<(now: ActionState) => Outcome | undefined>;

/** What is around one run of an action. */
/** The document file's commands (store/review.ts), which need the core: the canvas hands them in. */
export interface DocumentCommands {
  save(): void;
  review(): void;
}

export interface Env {
  readonly view?: View;
  readonly elk?: ElkLike;
  readonly document?: DocumentCommands;
  /** The key press that ran it, when a key did. */
  readonly keys?: Keys;
}

/**
 * How undo treats an action: `record` — a change to the document is one undo step; `none` — it changes
 * no document (view, selection, panels); `history` — it is undo or redo itself.
 */
export type UndoPolicy = 'record' | 'none' | 'history';

/** The parts of a KeyboardEvent a key test reads. */
export interface Keys {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
}

export interface Action<A = void> {
  readonly name: string;
  readonly label: string;
  /** For the help overlay and tooltips, e.g. `Ctrl+Shift+Z`. */
  readonly keys?: readonly string[];
  readonly group: 'Edit' | 'Add' | 'View' | 'Document' | 'Help';
  readonly undo: UndoPolicy;
  keyTest?(e: Keys): boolean;
  predicate?(s: ActionState): boolean;
  perform(s: ActionState, arg: A, env: Env): Outcome | Later | undefined;
}

const mod = (e: Keys) => e.ctrlKey || e.metaKey;
const plain = (e: Keys) => !e.ctrlKey && !e.metaKey && !e.altKey;
const key = (e: Keys, k: string) => e.key.toLowerCase() === k;

const define = <A = void>(a: Action<A>): Action<A> => a;

const documentIds = (s: ActionState) => s.selection.filter((id) => parseNodeId(id)?.kind !== 'host');
const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** Where a new VM goes: into the selected host, or the selected VM's host, else unplaced at `at`. */
function targetHost(s: ActionState): string | undefined {
  for (const id of s.selection) {
    const ref = parseNodeId(id);
    if (ref?.kind === 'host') return ref.name;
    if (ref?.kind === 'vm' && s.doc.placement[ref.name] !== undefined) return s.doc.placement[ref.name];
  }
  return undefined;
}

export interface AddArg {
  readonly kind: EntityKind;
  /** Canvas position; relative to `host` when there is one. */
  readonly at: Point;
  readonly host?: string;
  /** For a volume dropped on a VM: attach it. */
  readonly vm?: string;
}

function add(s: ActionState, arg: AddArg): Outcome {
  const made =
    arg.kind === 'vm'
      ? edits.addVm(s.doc, arg.at, arg.host)
      : arg.kind === 'switch'
        ? edits.addSwitch(s.doc, arg.at)
        : arg.kind === 'router'
          ? edits.addRouter(s.doc, arg.at)
          : edits.addVolume(s.doc, arg.at, arg.vm);
  return { doc: made.doc, selection: [made.id], label: `Add ${made.id.replace(':', ' ')}` };
}

/** A keyboard "add": a VM into the selected host (first free slot), anything else at the screen's middle. */
function addHere(kind: EntityKind) {
  return (s: ActionState, _: void, env: Env): Outcome => {
    const host = kind === 'vm' ? targetHost(s) : undefined;
    const at = env.view?.place(NODE_SIZE[kind]) ?? { x: 0, y: 0 };
    return add(s, { kind, ...(host === undefined ? { at } : { at: edits.freeSlot(s.doc, host), host }) });
  };
}

/** A one-letter key that adds a node of a kind (no modifier: Ctrl+D is Duplicate). */
const addKey = (kind: EntityKind, letter: string, label: string) =>
  define({ name: `add${kind[0]!.toUpperCase()}${kind.slice(1)}`, label, keys: [letter.toUpperCase()], group: 'Add', undo: 'record', keyTest: (e) => plain(e) && !e.shiftKey && key(e, letter), perform: addHere(kind) });

/** One node's move at the end of a drag: where it landed and, for a VM, the host it landed in. */
export interface Move {
  readonly id: string;
  readonly position: Point;
  /** VMs only: the host under it (null: none — the scheduler places it). Undefined: not a VM. */
  readonly host?: string | null;
}

function move(s: ActionState, moves: readonly Move[]): Outcome {
  let doc = s.doc;
  const plain: Record<string, Point> = {};
  let rehomed = 0;
  for (const m of moves) {
    const ref = parseNodeId(m.id);
    if (ref?.kind === 'vm' && m.host !== undefined && (m.host ?? undefined) !== doc.placement[ref.name]) {
      doc = edits.placeVm(doc, ref.name, m.host ?? undefined, m.position);
      rehomed++;
    } else plain[m.id] = m.position;
  }
  doc = edits.moveNodes(doc, plain);
  const first = moves[0] ? parseNodeId(moves[0].id) : undefined;
  const label = rehomed ? (moves.length === 1 && first ? `Move ${first.name} to ${s.doc.placement[first.name] === undefined ? 'a host' : 'another host'}` : `Move ${plural(rehomed, 'VM')} to other hosts`) : `Move ${plural(moves.length, 'item')}`;
  return { doc, label };
}

/** Arrow keys move the selection by a grid step (a larger one with Shift). */
function nudge(dx: number, dy: number) {
  return (s: ActionState): Outcome => {
    const moves: Record<string, Point> = {};
    for (const id of s.selection) {
      const p = s.doc.layout[id];
      if (p && parseNodeId(id)) moves[id] = { x: p.x + dx, y: p.y + dy };
    }
    return { doc: edits.moveNodes(s.doc, moves), label: 'Nudge' };
  };
}

const ARROWS = { ArrowLeft: [-1, 0, '←'], ArrowRight: [1, 0, '→'], ArrowUp: [0, -1, '↑'], ArrowDown: [0, 1, '↓'] } as const;
const nudgeAction = (k: keyof typeof ARROWS) =>
  define({
    name: `nudge${k.slice(5)}`,
    label: `Nudge ${k.slice(5).toLowerCase()} (Shift: farther)`,
    keys: [ARROWS[k][2]],
    group: 'Edit',
    undo: 'record',
    keyTest: (e) => e.key === k && !mod(e) && !e.altKey,
    predicate: (s) => s.selection.length > 0,
    perform: (s, _: void, env) => {
      const step = GRID * (env.keys?.shiftKey ? 4 : 1);
      return nudge(ARROWS[k][0] * step, ARROWS[k][1] * step)(s);
    },
  });

export interface UpdateArg {
  readonly kind: EntityKind;
  readonly name: string;
  readonly patch: Readonly<Record<string, unknown>>;
  /** What the inspector calls the field, for the history step: `Set web1 CPUs`. */
  readonly field: string;
}

export const actions = {
  // ------------------------------------------------------------------------------------------ history
  undo: define({
    name: 'undo',
    label: 'Undo',
    keys: ['Ctrl+Z'],
    group: 'Edit',
    undo: 'history',
    keyTest: (e) => mod(e) && !e.shiftKey && key(e, 'z'),
    predicate: (s) => s.history.undo.length > 0,
    perform: (s) => {
      const step = undo(s.history, s.doc);
      return step && { doc: step.doc, history: step.history, selection: step.selection };
    },
  }),
  redo: define({
    name: 'redo',
    label: 'Redo',
    keys: ['Ctrl+Shift+Z', 'Ctrl+Y'],
    group: 'Edit',
    undo: 'history',
    keyTest: (e) => mod(e) && ((e.shiftKey && key(e, 'z')) || (!e.shiftKey && key(e, 'y'))),
    predicate: (s) => s.history.redo.length > 0,
    perform: (s) => {
      const step = redo(s.history, s.doc);
      return step && { doc: step.doc, history: step.history, selection: step.selection };
    },
  }),

  // --------------------------------------------------------------------------------------------- edit
  delete: define({
    name: 'delete',
    label: 'Delete selection',
    keys: ['Delete', 'Backspace'],
    group: 'Edit',
    undo: 'record',
    keyTest: (e) => plain(e) && (e.key === 'Delete' || e.key === 'Backspace'),
    predicate: (s) => documentIds(s).length > 0,
    perform: (s) => {
      const ids = documentIds(s);
      return { doc: edits.remove(s.doc, ids), selection: s.selection.filter((id) => !ids.includes(id)), label: `Delete ${plural(ids.length, 'item')}` };
    },
  }),
  copy: define({
    name: 'copy',
    label: 'Copy',
    keys: ['Ctrl+C'],
    group: 'Edit',
    undo: 'none',
    keyTest: (e) => mod(e) && !e.shiftKey && key(e, 'c'),
    predicate: (s) => documentIds(s).length > 0,
    perform: (s) => {
      const clip = edits.copy(s.doc, s.selection);
      return clip && { clipboard: clip };
    },
  }),
  cut: define({
    name: 'cut',
    label: 'Cut',
    keys: ['Ctrl+X'],
    group: 'Edit',
    undo: 'record',
    keyTest: (e) => mod(e) && !e.shiftKey && key(e, 'x'),
    predicate: (s) => documentIds(s).length > 0,
    perform: (s) => {
      const clip = edits.copy(s.doc, s.selection);
      return clip && { clipboard: clip, doc: edits.remove(s.doc, documentIds(s)), selection: [], label: `Cut ${plural(documentIds(s).length, 'item')}` };
    },
  }),
  paste: define({
    name: 'paste',
    label: 'Paste',
    keys: ['Ctrl+V'],
    group: 'Edit',
    undo: 'record',
    keyTest: (e) => mod(e) && !e.shiftKey && key(e, 'v'),
    predicate: (s) => s.clipboard !== null,
    perform: (s) => {
      if (!s.clipboard) return undefined;
      const { doc, ids } = edits.paste(s.doc, s.clipboard);
      return { doc, selection: ids, label: `Paste ${plural(ids.length, 'item')}` };
    },
  }),
  duplicate: define({
    name: 'duplicate',
    label: 'Duplicate',
    keys: ['Ctrl+D'],
    group: 'Edit',
    undo: 'record',
    keyTest: (e) => mod(e) && !e.shiftKey && key(e, 'd'),
    predicate: (s) => documentIds(s).length > 0,
    perform: (s) => {
      const clip = edits.copy(s.doc, s.selection);
      if (!clip) return undefined;
      const { doc, ids } = edits.paste(s.doc, clip);
      return { doc, selection: ids, label: `Duplicate ${plural(ids.length, 'item')}` };
    },
  }),
  selectAll: define({
    name: 'selectAll',
    label: 'Select all',
    keys: ['Ctrl+A'],
    group: 'Edit',
    undo: 'none',
    keyTest: (e) => mod(e) && !e.shiftKey && key(e, 'a'),
    perform: (s) => ({
      selection: [
        ...s.doc.vms.map((v) => nodeId('vm', v.name)),
        ...s.doc.switches.map((v) => nodeId('switch', v.name)),
        ...s.doc.routers.map((v) => nodeId('router', v.name)),
        ...s.doc.volumes.map((v) => nodeId('volume', v.name)),
      ],
    }),
  }),
  nudgeLeft: nudgeAction('ArrowLeft'),
  nudgeRight: nudgeAction('ArrowRight'),
  nudgeUp: nudgeAction('ArrowUp'),
  nudgeDown: nudgeAction('ArrowDown'),

  // ---------------------------------------------------------------------- edits made on the canvas
  add: define<AddArg>({ name: 'add', label: 'Add', group: 'Add', undo: 'record', perform: add }),
  connect: define<{ readonly source: string; readonly target: string }>({
    name: 'connect',
    label: 'Connect',
    group: 'Edit',
    undo: 'record',
    perform: (s, { source, target }) => {
      const a = parseNodeId(source);
      const b = parseNodeId(target);
      if (!a || !b) return undefined;
      const { doc, edge } = edits.connect(s.doc, a, b);
      return edge ? { doc, selection: [edge], label: `Connect ${a.name} to ${b.name}` } : undefined;
    },
  }),
  move: define<readonly Move[]>({ name: 'move', label: 'Move', group: 'Edit', undo: 'record', perform: move }),
  update: define<UpdateArg>({
    name: 'update',
    label: 'Change',
    group: 'Edit',
    undo: 'record',
    perform: (s, { kind, name, patch, field }) => ({ doc: edits.updateEntity(s.doc, kind, name, patch as never), label: `Set ${name} ${field}` }),
  }),
  datacenter: define<{ readonly name?: string; readonly underlayMtu?: number }>({
    name: 'datacenter',
    label: 'Change the datacenter',
    group: 'Edit',
    undo: 'record',
    perform: (s, patch) => ({ doc: edits.setDatacenter(s.doc, patch), label: patch.name ? `Rename the datacenter to ${patch.name}` : 'Set the underlay MTU' }),
  }),
  place: define<{ readonly vm: string; readonly host: string | undefined }>({
    name: 'place',
    label: 'Place on host',
    group: 'Edit',
    undo: 'record',
    perform: (s, { vm, host }) => ({
      doc: edits.placeVm(s.doc, vm, host, host === undefined ? (s.doc.layout[nodeId('vm', vm)] ?? { x: 0, y: 0 }) : edits.freeSlot(s.doc, host)),
      label: host === undefined ? `Let the scheduler place ${vm}` : `Move ${vm} to ${host}`,
    }),
  }),
  rename: define<{ readonly kind: EntityKind; readonly from: string; readonly to: string }>({
    name: 'rename',
    label: 'Rename',
    group: 'Edit',
    undo: 'record',
    perform: (s, { kind, from, to }) => {
      const doc = edits.rename(s.doc, kind, from, to);
      const id = nodeId(kind, from);
      return doc === s.doc ? undefined : { doc, selection: s.selection.map((x) => (x === id ? nodeId(kind, to) : x)), label: `Rename ${from} to ${to}` };
    },
  }),

  // ---------------------------------------------------------------------------------------------- add
  addVm: addKey('vm', 'v', 'New VM (in the selected host)'),
  addSwitch: addKey('switch', 's', 'New switch'),
  addRouter: addKey('router', 'r', 'New router'),
  addVolume: addKey('volume', 'd', 'New volume'),

  // --------------------------------------------------------------------------------------------- view
  layout: define({
    name: 'layout',
    label: 'Auto layout',
    keys: ['Shift+L'],
    group: 'View',
    undo: 'record',
    keyTest: (e) => plain(e) && e.shiftKey && key(e, 'l'),
    perform: (s, _: void, env): Later | undefined => {
      if (!env.elk) return undefined;
      return autoLayout(env.elk, s.doc, s.hostNames).then((positions) => (now: ActionState) => {
        // Only positions change, and only of what still exists: edits made meanwhile stay.
        const live = Object.fromEntries(Object.entries(positions).filter(([id]) => id.startsWith('host:') || now.doc.layout[id] || exists(now.doc, id)));
        return { doc: edits.moveNodes(now.doc, live), label: 'Auto layout' };
      });
    },
  }),
  fit: define({ name: 'fit', label: 'Fit to screen', keys: ['Shift+1'], group: 'View', undo: 'none', keyTest: (e) => plain(e) && e.shiftKey && (e.key === '!' || e.key === '1'), perform: (_s, _a: void, env) => (env.view?.fit(), {}) }),
  zoomIn: define({ name: 'zoomIn', label: 'Zoom in', keys: ['+'], group: 'View', undo: 'none', keyTest: (e) => plain(e) && (e.key === '+' || e.key === '='), perform: (_s, _a: void, env) => (env.view?.zoomIn(), {}) }),
  zoomOut: define({ name: 'zoomOut', label: 'Zoom out', keys: ['-'], group: 'View', undo: 'none', keyTest: (e) => plain(e) && e.key === '-', perform: (_s, _a: void, env) => (env.view?.zoomOut(), {}) }),
  search: define({ name: 'search', label: 'Find by name', keys: ['Ctrl+F', '/'], group: 'View', undo: 'none', keyTest: (e) => (mod(e) && key(e, 'f')) || (plain(e) && e.key === '/'), perform: () => ({ searchOpen: true }) }),

  // --------------------------------------------------------------------------------------------- help
  save: define({ name: 'save', label: 'Save the document', keys: ['Ctrl+S'], group: 'Document', undo: 'none', keyTest: (e) => mod(e) && !e.shiftKey && key(e, 's'), perform: (_s, _a: void, env) => (env.document?.save(), {}) }),
  review: define({ name: 'review', label: 'Review the plan (saves first)', keys: ['Ctrl+Enter'], group: 'Document', undo: 'none', keyTest: (e) => mod(e) && e.key === 'Enter', perform: (_s, _a: void, env) => (env.document?.review(), {}) }),
  help: define({ name: 'help', label: 'Keyboard shortcuts', keys: ['?'], group: 'Help', undo: 'none', keyTest: (e) => e.key === '?' && !mod(e), perform: (s) => ({ helpOpen: !s.helpOpen }) }),
  escape: define({
    name: 'escape',
    label: 'Close / clear selection',
    keys: ['Esc'],
    group: 'Help',
    undo: 'none',
    keyTest: (e) => e.key === 'Escape',
    perform: (s) => (s.helpOpen ? { helpOpen: false } : s.searchOpen ? { searchOpen: false } : { selection: [] }),
  }),
} as const;

function exists(doc: Datacenter, id: string): boolean {
  const ref = parseNodeId(id);
  return Boolean(ref && ref.kind !== 'host' && edits.namesOf(doc, ref.kind).has(ref.name));
}

export type Actions = typeof actions;
export type ActionName = keyof Actions;
export type ArgOf<N extends ActionName> = Actions[N] extends Action<infer A> ? A : never;

/** The actions a key press runs (the first whose key test passes and that applies now). */
export function actionForKey(e: Keys, s: ActionState): ActionName | undefined {
  for (const [name, a] of Object.entries(actions) as [ActionName, Action<unknown>][]) {
    if (a.keyTest?.(e) && (a.predicate?.(s) ?? true)) return name;
  }
  return undefined;
}
