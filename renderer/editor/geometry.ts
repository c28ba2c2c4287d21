/**
 * The canvas's fixed sizes. Nodes have one size per kind (the CSS in styles.css matches these), so the
 * layout, the host boxes and hit tests never wait for the browser to measure anything — with 1,000 nodes
 * that is what keeps the first frame and every rebuild cheap.
 */
import type { NodeKind } from './ids';

export interface Point {
  readonly x: number;
  readonly y: number;
}
export interface Size {
  readonly width: number;
  readonly height: number;
}
export interface Box extends Point, Size {}

export const NODE_SIZE: Readonly<Record<Exclude<NodeKind, 'host'>, Size>> = {
  vm: { width: 184, height: 68 },
  switch: { width: 176, height: 56 },
  router: { width: 168, height: 56 },
  volume: { width: 148, height: 44 },
};

/** Room around a host's VMs; the header holds its name, status and CPU/RAM bars. */
export const HOST_PAD = 16;
export const HOST_HEADER = 80;
export const HOST_MIN: Size = { width: 2 * HOST_PAD + NODE_SIZE.vm.width * 2 + HOST_PAD, height: HOST_HEADER + NODE_SIZE.vm.height + 2 * HOST_PAD };
/** The grid new things snap to. */
export const GRID = 8;

export const snap = (p: Point): Point => ({ x: Math.round(p.x / GRID) * GRID, y: Math.round(p.y / GRID) * GRID });

/** Where a child may sit inside its host: below the header, inside the padding. */
export function clampIntoHost(rel: Point): Point {
  return { x: Math.max(HOST_PAD, rel.x), y: Math.max(HOST_HEADER, rel.y) };
}

/** A host's box size: big enough for its VMs (relative positions), never below the minimum. */
export function hostSize(children: readonly Point[]): Size {
  let width = HOST_MIN.width;
  let height = HOST_MIN.height;
  for (const c of children) {
    width = Math.max(width, c.x + NODE_SIZE.vm.width + HOST_PAD);
    height = Math.max(height, c.y + NODE_SIZE.vm.height + HOST_PAD);
  }
  return { width, height };
}

export const contains = (box: Box, p: Point): boolean => p.x >= box.x && p.x <= box.x + box.width && p.y >= box.y && p.y <= box.y + box.height;

export const center = (box: Box): Point => ({ x: box.x + box.width / 2, y: box.y + box.height / 2 });
