import { describe, expect, it } from 'vitest';
import { doc, vm } from './doc.testkit';
import { buildGraph } from './graph';
import { absolute, freeSpot, hostAt, vmAt } from './hit';

const g = buildGraph({
  doc: doc({ vms: [vm('a'), vm('free'), vm('b')], placement: { a: 'h1', b: 'h2' }, layout: { 'host:h1': { x: 100, y: 100 }, 'host:h2': { x: 1000, y: 100 }, 'vm:a': { x: 16, y: 80 }, 'vm:free': { x: -500, y: 0 } } }),
  hosts: [],
  problems: new Map(),
  selection: new Set(),
  search: '',
});

describe('hit tests', () => {
  it('finds the host and the VM under a point, in canvas coordinates', () => {
    expect(hostAt(g.nodes, { x: 110, y: 110 })?.id).toBe('host:h1');
    expect(hostAt(g.nodes, { x: 1010, y: 110 })?.id).toBe('host:h2');
    expect(hostAt(g.nodes, { x: 0, y: 0 })).toBeUndefined();
    expect(vmAt(g.nodes, { x: 120, y: 185 })?.id).toBe('vm:a');
    expect(vmAt(g.nodes, { x: -490, y: 10 })?.id).toBe('vm:free');
    expect(vmAt(g.nodes, { x: 110, y: 110 })).toBeUndefined();
    expect(absolute(g.nodes, g.nodes.find((n) => n.id === 'vm:a')!)).toEqual({ x: 116, y: 180 });
  });
});

describe('free spots', () => {
  it('keeps a new node off hosts and other nodes, as near as it can', () => {
    const size = { width: 176, height: 56 };
    const inHost = freeSpot(g.nodes, { x: 200, y: 150 }, size);
    expect(hostAt(g.nodes, inHost)).toBeUndefined();
    expect(hostAt(g.nodes, { x: inHost.x + size.width, y: inHost.y + size.height })).toBeUndefined();
    expect(freeSpot(g.nodes, { x: 600, y: -300 }, size)).toEqual({ x: 512, y: -328 });
  });
});
