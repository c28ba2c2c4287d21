import { describe, expect, it } from 'vitest';
import type { HostView, ObservedHost } from '../../src/api/contract';
import { doc, sw, vm, vol } from './doc.testkit';
import { moveNodes, updateEntity } from './edits';
import { HOST_MIN } from './geometry';
import { buildGraph, EXTRA_DATACENTER, EXTRA_ROLE, reuse, type GraphInput, type HostData, type VmData } from './graph';
import type { Datacenter } from './model';
import { placeDiagnostics, validate } from './validation';

const observed = (host: string, vms: { name: string; state: string; dc?: string }[], over: Partial<ObservedHost> = {}): ObservedHost =>
  ({
    host,
    reachable: true,
    vbox: { version: '7.0.20', major: 7, minor: 0, patch: 20 },
    hostInfo: { processorCount: 8, memorySizeMb: 32768 },
    bridgedInterfaces: [],
    internalNetworks: [],
    vms: vms.map((v) => ({ name: v.name, state: v.state, extraData: { [EXTRA_DATACENTER]: v.dc ?? 'lab', [EXTRA_ROLE]: v.name.startsWith('dcod-') ? 'proxy' : 'vm' } })),
    warnings: [],
    observedAt: '2026-01-01T00:00:00Z',
    ...over,
  }) as unknown as ObservedHost;
const view = (name: string, obs?: ObservedHost): HostView => ({ host: { name, address: '10.0.0.1', port: 22, os: 'linux', user: 'dcod', auth: { method: 'agent' } }, ...(obs ? { observed: obs } : {}) });

const input = (d: Datacenter, over: Partial<GraphInput> = {}): GraphInput => ({ doc: d, hosts: [], problems: new Map(), selection: new Set(), search: '', ...over });

const dc = doc({
  vms: [
    vm('web', { cpus: 2, memoryMb: 1024, nics: [{ switch: 'front' }, { bridged: true }], volumes: ['data'] }),
    vm('db', { power: 'stopped', nics: [{ switch: 'front', address: '10.0.0.5' }, { switch: 'gone' }] }),
    vm('new'),
    vm('loose'),
  ],
  switches: [sw('front', 1001, { subnet: '10.0.0.0/24' })],
  routers: [{ name: 'gw', interfaces: [{ switch: 'front', address: '10.0.0.1' }], natUplink: true }],
  volumes: [vol('data')],
  placement: { web: 'h1', db: 'h1', new: 'h2', loose: 'h9' },
  layout: { 'host:h1': { x: 100, y: 50 }, 'vm:web': { x: 16, y: 80 } },
});
const hosts = [view('h1', observed('h1', [{ name: 'web', state: 'running' }, { name: 'db', state: 'running' }, { name: 'other', state: 'running', dc: 'else' }, { name: 'old', state: 'poweroff' }, { name: 'dcod-proxy-h1', state: 'running' }])), view('h2', observed('h2', [{ name: 'new', state: 'poweroff', dc: 'x' }])), view('h3')];

describe('document → canvas', () => {
  const g = buildGraph(input(dc, { hosts }));
  const node = (id: string) => g.nodes.find((n) => n.id === id)!;

  it('makes host groups first (inventory, then hosts only the placement names), with their VMs inside', () => {
    expect(g.nodes.slice(0, 4).map((n) => n.id)).toEqual(['host:h1', 'host:h2', 'host:h3', 'host:h9']);
    expect(node('host:h1').position).toEqual({ x: 100, y: 50 });
    expect(node('host:h1').data as HostData).toMatchObject({ known: true, tone: 'ok', cpuWanted: 3, cpuTotal: 8, memWantedMb: 1536, memTotalMb: 32768, vmCount: 2 });
    expect(node('host:h9').data as HostData).toMatchObject({ known: false, tone: 'error', status: 'Not in the inventory' });
    expect(node('vm:web').parentId).toBe('host:h1');
    expect(node('vm:web').position).toEqual({ x: 16, y: 80 });
    // Hosts with no saved position sit side by side, never on top of each other.
    expect(node('host:h2').position.x).toBeGreaterThanOrEqual(100 + HOST_MIN.width);
  });

  it("shows each VM's state against its host's report, matching this datacenter's VMs only", () => {
    const status = (id: string) => (node(id).data as VmData).status;
    expect(status('vm:web')).toBe('ok');
    expect(status('vm:db')).toBe('drift'); // running, but the document wants it stopped
    expect(status('vm:new')).toBe('new'); // the h2 VM named "new" belongs to another datacenter
    expect(node('vm:web').data as VmData).toMatchObject({ observed: 'running', observedHost: 'h1', nics: 2, bridged: 1, disks: 1 });
    const moved = buildGraph(input({ ...dc, placement: { ...dc.placement, web: 'h2' } }, { hosts }));
    expect((moved.nodes.find((n) => n.id === 'vm:web')!.data as VmData).status).toBe('moving');
  });

  it("shows this datacenter's VMs the hosts run that the document no longer has, read-only, in their host", () => {
    expect(node('vm:old')).toMatchObject({ parentId: 'host:h1', draggable: false, connectable: false, data: { status: 'orphan', observed: 'poweroff', observedHost: 'h1' } });
    expect(g.nodes.some((n) => n.id.startsWith('vm:dcod-'))).toBe(false); // the overlay's proxy is not a VM of the document
  });

  it('draws NICs, router interfaces and disks as edges, skipping references to nothing', () => {
    expect(g.edges.map((e) => [e.id, e.source, e.target, e.data?.label])).toEqual([
      ['nic:web:0', 'vm:web', 'switch:front', 'nic1'],
      ['disk:web:data', 'volume:data', 'vm:web', undefined],
      ['nic:db:0', 'vm:db', 'switch:front', '10.0.0.5'],
      ['rif:gw:0', 'router:gw', 'switch:front', '10.0.0.1'],
    ]);
    expect(node('switch:front').data).toMatchObject({ vni: 1001, subnet: '10.0.0.0/24', ports: 3 });
    expect(node('volume:data').data).toMatchObject({ attached: 1, sizeMb: 1024 });
  });

  it('marks selection, dims what the search does not match, and flags problems', () => {
    const problems = placeDiagnostics(dc, [{ severity: 'error', path: 'vms[1].nics[1].switch', message: 'no switch "gone"' }]).byNode;
    const g2 = buildGraph(input(dc, { selection: new Set(['vm:web', 'nic:web:0']), search: 'we', problems }));
    expect(g2.nodes.find((n) => n.id === 'vm:web')).toMatchObject({ selected: true });
    expect(g2.nodes.find((n) => n.id === 'vm:db')).toMatchObject({ className: 'dim', data: { problem: 'nics[1].switch: no switch "gone"', problems: 1 } });
    expect(g2.edges[0]!.selected).toBe(true);
  });
});

describe('rebuilds', () => {
  it('hand back the very same objects for whatever an edit did not touch', () => {
    const g1 = buildGraph(input(dc, { hosts }));
    expect(reuse(g1, buildGraph(input(dc, { hosts })))).toEqual(g1);
    const same = reuse(g1, buildGraph(input(dc, { hosts })));
    expect(same.nodes).toBe(g1.nodes);
    expect(same.edges).toBe(g1.edges);

    const g2 = reuse(g1, buildGraph(input(updateEntity(dc, 'vm', 'db', { cpus: 4 }), { hosts })));
    const changed = g2.nodes.filter((n, i) => n !== g1.nodes[i]).map((n) => n.id);
    expect(changed).toEqual(['host:h1', 'vm:db']); // the VM, and its host's CPU bar
    expect(g2.edges).toBe(g1.edges);
  });

  it('keep a dragged node where the pointer has it, and what React Flow measured', () => {
    const g1 = buildGraph(input(dc));
    const dragged = { nodes: g1.nodes.map((n) => (n.id === 'switch:front' ? { ...n, position: { x: 999, y: 9 }, dragging: true, measured: { width: 1, height: 2 } } : n)), edges: g1.edges };
    const g2 = reuse(dragged, buildGraph(input(moveNodes(dc, { 'router:gw': { x: 5, y: 5 } }))));
    expect(g2.nodes.find((n) => n.id === 'switch:front')).toBe(dragged.nodes.find((n) => n.id === 'switch:front'));
    expect(g2.nodes.find((n) => n.id === 'router:gw')!.position).toEqual({ x: 5, y: 5 });
  });
});

describe('validation on the canvas', () => {
  it('puts schema findings on the node and field they are about', () => {
    const bad = doc({
      vms: [vm('ok'), vm('web', { cpus: 0 })],
      routers: [{ name: 'r', interfaces: [], natUplink: false }],
      switches: [sw('n', 1, { subnet: '10.0.0/24' })],
      metadata: { name: 'Bad Name' },
    });
    const placed = placeDiagnostics(bad, validate(bad));
    expect(placed.byNode.get('vm:web')?.map((p) => p.field)).toEqual(['cpus']);
    expect(placed.byNode.get('router:r')?.[0]?.field).toBe('interfaces');
    expect(placed.byNode.get('switch:n')?.[0]).toMatchObject({ field: 'subnet', message: 'an IPv4 network like 10.0.1.0/24' });
    expect(placed.general.map((d) => d.path)).toEqual(['metadata.name']);
    expect(placed.byNode.has('vm:ok')).toBe(false);
  });

  it('puts a placement finding on its VM', () => {
    const d = doc({ vms: [vm('web-1')] });
    expect(placeDiagnostics(d, [{ severity: 'error', path: 'placement.web-1', message: 'no such host' }]).byNode.get('vm:web-1')?.[0]?.field).toBe('host');
    expect(placeDiagnostics(d, [{ severity: 'error', path: 'placement["x y"]', message: 'm' }]).general).toHaveLength(1);
  });
});
