/**
 * Snapshot trees, from `snapshot <vm> list --machinereadable` (also embedded at the end of
 * `showvminfo --machinereadable`) and from the human `snapshot <vm> list` tree.
 *
 * Machine-readable keys number a node by its path: `SnapshotName` is the root (VirtualBox has one root
 * snapshot), `SnapshotName-2` its second child, `SnapshotName-1-2` the second child of the first child.
 * `CurrentSnapshotNode` names the current node's key; the `Current*` lines may come in the middle of the
 * list (they follow the current node), so nothing here depends on order.
 */
import { parseMachineReadable, type MachineReadable } from './machinereadable';

export interface SnapshotNode {
  readonly name: string;
  readonly uuid: string;
  readonly description?: string;
  /** Child positions from the root, 1-based: [] is the root, [1, 2] the root's first child's second child. */
  readonly path: readonly number[];
  readonly children: readonly SnapshotNode[];
}

export interface SnapshotTree {
  /** Undefined when the machine has no snapshots. */
  readonly root: SnapshotNode | undefined;
  readonly current: { readonly name: string; readonly uuid: string } | undefined;
}

const NAME_KEY = /^SnapshotName((?:-\d+)*)$/;

interface MutableNode {
  name: string;
  uuid: string;
  description?: string;
  path: number[];
  children: MutableNode[];
}

/**
 * The snapshot tree in machine-readable entries. `read` lets a caller track which keys were used;
 * by default it reads `mr.values`.
 */
export function snapshotTreeFromMachineReadable(mr: MachineReadable, read: (key: string) => string | undefined = (k) => mr.values.get(k)): SnapshotTree {
  const nodes = new Map<string, MutableNode>();
  for (const entry of mr.entries) {
    const m = NAME_KEY.exec(entry.key);
    if (!m) continue;
    const suffix = m[1]!;
    const name = read(entry.key) ?? entry.value;
    const description = read(`SnapshotDescription${suffix}`);
    const node: MutableNode = {
      name,
      uuid: read(`SnapshotUUID${suffix}`) ?? '',
      path: suffix === '' ? [] : suffix.slice(1).split('-').map(Number),
      children: [],
      ...(description === undefined ? {} : { description }),
    };
    nodes.set(suffix, node);
  }
  // Link children to parents, in child-number order whatever the print order was.
  const bySuffix = [...nodes.entries()].sort(([, a], [, b]) => comparePaths(a.path, b.path));
  for (const [suffix, node] of bySuffix) {
    if (suffix === '') continue;
    const parent = nodes.get(suffix.slice(0, suffix.lastIndexOf('-')));
    parent?.children.push(node);
  }
  const currentName = read('CurrentSnapshotName');
  const currentUuid = read('CurrentSnapshotUUID');
  read('CurrentSnapshotNode');
  return {
    root: nodes.get(''),
    current: currentName === undefined || currentUuid === undefined ? undefined : { name: currentName, uuid: currentUuid },
  };
}

function comparePaths(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return a.length - b.length;
}

/** `snapshot <vm> list --machinereadable`. A machine without snapshots prints a sentence instead. */
export function parseSnapshotList(text: string): SnapshotTree {
  if (/does not have any snapshots/i.test(text)) return { root: undefined, current: undefined };
  return snapshotTreeFromMachineReadable(parseMachineReadable(text));
}

const HUMAN_LINE = /^(\s*)Name: (.*) \(UUID: ([0-9a-fA-F-]{36})\)( \*)?\s*$/;

/**
 * The human tree: `   Name: X (UUID: …)`, one more indent step per level, ` *` after the current one.
 * Indentation is read relative to the first line, so a fragment that starts below the root still
 * forms a tree (its first node becomes the root).
 */
export function parseSnapshotListHuman(text: string): SnapshotTree {
  const stack: { indent: number; node: MutableNode }[] = [];
  let root: MutableNode | undefined;
  let current: SnapshotTree['current'];
  for (const line of text.split(/\r?\n/)) {
    const m = HUMAN_LINE.exec(line);
    if (!m) continue;
    const indent = m[1]!.length;
    while (stack.length > 0 && stack.at(-1)!.indent >= indent) stack.pop();
    const parent = stack.at(-1)?.node;
    const node: MutableNode = { name: m[2]!, uuid: m[3]!, path: parent ? [...parent.path, parent.children.length + 1] : [], children: [] };
    if (parent) parent.children.push(node);
    else root ??= node;
    stack.push({ indent, node });
    if (m[4]) current = { name: node.name, uuid: node.uuid };
  }
  return { root, current };
}

/** Every node of a tree, parents before children. */
export function flattenSnapshots(tree: SnapshotTree): SnapshotNode[] {
  const out: SnapshotNode[] = [];
  const visit = (n: SnapshotNode): void => {
    out.push(n);
    n.children.forEach(visit);
  };
  if (tree.root) visit(tree.root);
  return out;
}
