/**
 * What lies under a canvas point, from the graph alone (hosts are top level; a VM's position is relative
 * to its host), so drops and drags are decided the same way in tests and in the browser.
 */
import { contains, GRID, snap, type Point, type Size } from './geometry';
import type { EditorNode } from './graph';

const sizeOf = (n: EditorNode): Size => ({ width: n.width ?? 0, height: n.height ?? 0 });

/** The top-most host whose box holds the point. */
export function hostAt(nodes: readonly EditorNode[], p: Point): EditorNode | undefined {
  let hit: EditorNode | undefined;
  for (const n of nodes) if (n.type === 'host' && contains({ ...n.position, ...sizeOf(n) }, p)) hit = n;
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
    if (contains({ ...at, ...sizeOf(n) }, p)) hit = n;
  }
  return hit;
}

const MARGIN = 2 * GRID;

/**
 * A place for a new top-level node of `size` near `near` that covers nothing already on the canvas (a host,
 * a switch…): `near` itself if free, else the closest free cell of rings of node-sized steps around it.
 */
export function freeSpot(nodes: readonly EditorNode[], near: Point, size: Size): Point {
  const boxes = nodes.filter((n) => !n.parentId).map((n) => ({ ...n.position, ...sizeOf(n) }));
  const free = (p: Point) => boxes.every((b) => p.x + size.width + MARGIN <= b.x || b.x + b.width + MARGIN <= p.x || p.y + size.height + MARGIN <= b.y || b.y + b.height + MARGIN <= p.y);
  const start = snap({ x: near.x - size.width / 2, y: near.y - size.height / 2 });
  const stepX = size.width + MARGIN;
  const stepY = size.height + MARGIN;
  for (let r = 0; r < 64; r++) {
    const ring: Point[] = [];
    for (let dx = -r; dx <= r; dx++) for (let dy = -r; dy <= r; dy++) if (Math.max(Math.abs(dx), Math.abs(dy)) === r) ring.push({ x: start.x + dx * stepX, y: start.y + dy * stepY });
    ring.sort((a, b) => Math.hypot(a.x - start.x, a.y - start.y) - Math.hypot(b.x - start.x, b.y - start.y));
    const hit = ring.find(free);
    if (hit) return hit;
  }
  return start;
}

