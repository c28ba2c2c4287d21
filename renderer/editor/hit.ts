/**
 * What lies under a canvas point, from the graph alone (hosts are top level; a VM's position is relative
 * to its host), so drops and drags are decided the same way in tests and in the browser.
 */
import { contains, type Point } from './geometry';
import type { EditorNode } from './graph';

const size = (n: EditorNode) => ({ width: n.width ?? 0, height: n.height ?? 0 });

/** The top-most host whose box holds the point. */
export function hostAt(nodes: readonly EditorNode[], p: Point): EditorNode | undefined {
  let hit: EditorNode | undefined;
  for (const n of nodes) if (n.type === 'host' && contains({ ...n.position, ...size(n) }, p)) hit = n;
  return hit;
}

/** A node's top-left in canvas coordinates. */
export function absolute(nodes: readonly EditorNode[], n: EditorNode): Point {
  if (!n.parentId) return n.position;
  const parent = nodes.find((p) => p.id === n.parentId);
  return parent ? { x: parent.position.x + n.position.x, y: parent.position.y + n.position.y } : n.position;
}

/** The top-most VM whose box holds the point. */
export function vmAt(nodes: readonly EditorNode[], p: Point): EditorNode | undefined {
  const hosts = new Map(nodes.filter((n) => n.type === 'host').map((n) => [n.id, n.position]));
  let hit: EditorNode | undefined;
  for (const n of nodes) {
    if (n.type !== 'vm') continue;
    const origin = n.parentId ? hosts.get(n.parentId) : undefined;
    const at = origin ? { x: origin.x + n.position.x, y: origin.y + n.position.y } : n.position;
    if (contains({ ...at, ...size(n) }, p)) hit = n;
  }
  return hit;
}
