import ELK from 'elkjs/lib/elk.bundled.js';
import { describe, expect, it } from 'vitest';
import { doc, sw, vm, vol } from './doc.testkit';
import { HOST_HEADER, HOST_PAD, NODE_SIZE } from './geometry';
import { autoLayout, elkGraph, gridColumns, hostGrids } from './layout';

const dc = doc({
  vms: [vm('b', { nics: [{ switch: 'front' }] }), vm('a', { nics: [{ switch: 'back' }], volumes: ['d'] }), vm('c', { nics: [{ switch: 'front' }] }), vm('free', { nics: [{ switch: 'back' }] })],
  switches: [sw('front', 1), sw('back', 2)],
  routers: [{ name: 'gw', interfaces: [{ switch: 'front', address: '10.0.0.1' }, { switch: 'back', address: '10.0.1.1' }], natUplink: false }],
  volumes: [vol('d')],
  placement: { a: 'h1', b: 'h1', c: 'h1' },
});

describe('auto-layout', () => {
  it('puts a host’s VMs on a grid grouped by their first switch', () => {
    expect([1, 4, 9, 100].map(gridColumns)).toEqual([2, 2, 3, 6]);
    const g = hostGrids(dc, ['h1', 'h2']);
    expect(g['vm:a']).toEqual({ x: HOST_PAD, y: HOST_HEADER }); // "back" sorts first
    expect(g['vm:b']!.x).toBe(HOST_PAD + NODE_SIZE.vm.width + HOST_PAD);
    expect(g['vm:c']!.y).toBe(HOST_HEADER + NODE_SIZE.vm.height + HOST_PAD);
    expect(g['vm:free']).toBeUndefined();
  });

  it('gives ELK hosts as boxes, with their VMs’ edges de-duplicated onto them', () => {
    const g = elkGraph(dc, ['h1'], hostGrids(dc, ['h1']));
    expect(g.children!.map((c) => c.id)).toEqual(['host:h1', 'vm:free', 'switch:front', 'switch:back', 'router:gw', 'volume:d']);
    expect(g.edges!.map((e) => `${e.sources[0]}>${e.targets[0]}`)).toEqual([
      'router:gw>switch:front',
      'router:gw>switch:back',
      'switch:front>host:h1',
      'switch:back>host:h1',
      'host:h1>volume:d',
      'switch:back>vm:free',
    ]);
  });

  it('lays the datacenter out top down with real ELK: routers above switches above hosts above volumes', async () => {
    const pos = await autoLayout(new ELK(), dc, ['h1']);
    expect(pos['router:gw']!.y).toBeLessThan(pos['switch:front']!.y);
    expect(pos['switch:front']!.y).toBeLessThan(pos['host:h1']!.y);
    expect(pos['host:h1']!.y).toBeLessThan(pos['volume:d']!.y);
    expect(pos['vm:a']).toEqual({ x: HOST_PAD, y: HOST_HEADER });
  });
});
