import { describe, expect, it } from 'vitest';
import { doc, sw, vm, vol } from './doc.testkit';
import { addRouter, addSwitch, addVm, addVolume, canConnect, connect, copy, freeAddress, freeSlot, freshName, moveNodes, nextVni, paste, placeVm, remove, rename, updateEntity } from './edits';
import { HOST_HEADER, HOST_PAD } from './geometry';

describe('names', () => {
  it('counts trailing digits up and suffixes other names', () => {
    expect(freshName(new Set(['web1', 'web2']), 'web1')).toBe('web3');
    expect(freshName(new Set(['db']), 'db')).toBe('db-2');
    expect(freshName(new Set(), 'db')).toBe('db');
    expect(freshName(new Set(['a'.repeat(62) + '9']), 'a'.repeat(62) + '9')).toBe('a'.repeat(61) + '10');
  });

  it('gives VNIs above every one in use, from 1001', () => {
    expect(nextVni(doc())).toBe(1001);
    expect(nextVni(doc({ switches: [sw('a', 5), sw('b', 2000)] }))).toBe(2001);
  });
});

describe('creating', () => {
  it('adds a VM on a host at a snapped position below the header, with the schema defaults', () => {
    const { doc: d, id } = addVm(doc(), { x: 3, y: 5 }, 'h1');
    expect(id).toBe('vm:vm1');
    expect(d.vms).toEqual([vm('vm1')]);
    expect(d.placement).toEqual({ vm1: 'h1' });
    expect(d.layout['vm:vm1']).toEqual({ x: HOST_PAD, y: HOST_HEADER });
  });

  it('adds switches with fresh names and VNIs, routers without interfaces, and volumes attached to a VM', () => {
    let d = addSwitch(doc(), { x: 0, y: 0 }).doc;
    d = addSwitch(d, { x: 200, y: 0 }).doc;
    expect(d.switches.map((s) => [s.name, s.vni])).toEqual([['net1', 1001], ['net2', 1002]]);
    d = addRouter(d, { x: 0, y: 0 }).doc;
    expect(d.routers).toEqual([{ name: 'router1', interfaces: [], natUplink: false }]);
    d = addVm(d, { x: 0, y: 0 }).doc;
    d = addVolume(d, { x: 0, y: 0 }, 'vm1').doc;
    expect(d.vms[0]!.volumes).toEqual(['disk1']);
    expect(d.placement).toEqual({});
  });

  it('finds the first free slot of a host grid', () => {
    const d0 = doc({ vms: [vm('a')], placement: { a: 'h1' }, layout: { 'vm:a': { x: HOST_PAD, y: HOST_HEADER } } });
    const s = freeSlot(d0, 'h1');
    expect(s.y).toBe(HOST_HEADER);
    expect(s.x).toBeGreaterThan(HOST_PAD);
  });
});

describe('connecting', () => {
  const base = doc({ vms: [vm('web')], switches: [sw('net', 7, { subnet: '10.0.1.0/24' })], routers: [{ name: 'r', interfaces: [], natUplink: false }], volumes: [vol('d')] });

  it('allows only NICs, router interfaces and disks, in either direction', () => {
    expect(canConnect({ kind: 'vm', name: 'a' }, { kind: 'switch', name: 'b' })).toBe(true);
    expect(canConnect({ kind: 'switch', name: 'b' }, { kind: 'router', name: 'a' })).toBe(true);
    expect(canConnect({ kind: 'volume', name: 'b' }, { kind: 'vm', name: 'a' })).toBe(true);
    expect(canConnect({ kind: 'vm', name: 'a' }, { kind: 'vm', name: 'b' })).toBe(false);
    expect(canConnect({ kind: 'volume', name: 'a' }, { kind: 'switch', name: 'b' })).toBe(false);
    expect(canConnect({ kind: 'host', name: 'a' }, { kind: 'vm', name: 'b' })).toBe(false);
  });

  it('adds a NIC, a router interface with a free address, a disk; refuses unknown ends', () => {
    const a = connect(base, { kind: 'switch', name: 'net' }, { kind: 'vm', name: 'web' });
    expect(a.edge).toBe('nic:web:0');
    expect(a.doc.vms[0]!.nics).toEqual([{ switch: 'net' }]);
    const b = connect(a.doc, { kind: 'router', name: 'r' }, { kind: 'switch', name: 'net' });
    expect(b.doc.routers[0]!.interfaces).toEqual([{ switch: 'net', address: '10.0.1.1' }]);
    expect(b.edge).toBe('rif:r:0');
    const c = connect(b.doc, { kind: 'vm', name: 'web' }, { kind: 'volume', name: 'd' });
    expect(c.doc.vms[0]!.volumes).toEqual(['d']);
    expect(connect(c.doc, { kind: 'vm', name: 'web' }, { kind: 'volume', name: 'd' }).doc).toBe(c.doc); // already attached
    expect(connect(base, { kind: 'vm', name: 'nope' }, { kind: 'switch', name: 'net' }).doc).toBe(base);
  });

  it('picks the lowest address no router or static NIC uses', () => {
    const d = doc({ switches: [sw('n', 1, { subnet: '10.0.0.0/29' })], vms: [vm('a', { nics: [{ switch: 'n', address: '10.0.0.1' }] })], routers: [{ name: 'r', interfaces: [{ switch: 'n', address: '10.0.0.2' }], natUplink: false }] });
    expect(freeAddress(d, 'n')).toBe('10.0.0.3');
    expect(freeAddress(doc({ switches: [sw('n', 1)] }), 'n')).toBeUndefined();
  });
});

describe('placing, moving, updating, renaming', () => {
  it('moves a VM to another host (a planned move) or leaves it to the scheduler', () => {
    const d0 = doc({ vms: [vm('a')], placement: { a: 'h1' }, layout: { 'vm:a': { x: 16, y: 80 } } });
    const d1 = placeVm(d0, 'a', 'h2', { x: 40, y: 100 });
    expect(d1.placement).toEqual({ a: 'h2' });
    expect(d1.layout['vm:a']).toEqual({ x: 40, y: 104 });
    const d2 = placeVm(d1, 'a', undefined, { x: -500, y: 3 });
    expect(d2.placement).toEqual({});
    expect(d2.layout['vm:a']).toEqual({ x: -496, y: 0 });
    expect(placeVm(d2, 'a', undefined, { x: -496, y: 0 })).toBe(d2);
  });

  it('returns the same document when nothing moved or changed', () => {
    const d0 = doc({ vms: [vm('a')], layout: { 'vm:a': { x: 1, y: 2 } } });
    expect(moveNodes(d0, { 'vm:a': { x: 1, y: 2 } })).toBe(d0);
    expect(updateEntity(d0, 'vm', 'a', { cpus: 1 })).toBe(d0);
    const d1 = updateEntity(d0, 'vm', 'a', { cpus: 2, image: 'debian' });
    expect(d1.vms[0]).toMatchObject({ cpus: 2, image: 'debian' });
    expect(d1.layout).toBe(d0.layout);
    expect(updateEntity(d1, 'vm', 'a', { image: undefined }).vms[0]).not.toHaveProperty('image');
  });

  it('renames with every reference, and refuses a taken name', () => {
    const d0 = doc({
      vms: [vm('a', { nics: [{ switch: 'n' }, { bridged: true }], volumes: ['d'] }), vm('b', { apartFrom: ['a'] })],
      switches: [sw('n', 1), sw('m', 2)],
      routers: [{ name: 'r', interfaces: [{ switch: 'n', address: '10.0.0.1' }], natUplink: false }],
      volumes: [vol('d')],
      placement: { a: 'h1' },
      layout: { 'vm:a': { x: 1, y: 1 }, 'switch:n': { x: 2, y: 2 } },
    });
    const s = rename(d0, 'switch', 'n', 'core');
    expect(s.vms[0]!.nics).toEqual([{ switch: 'core' }, { bridged: true }]);
    expect(s.routers[0]!.interfaces[0]!.switch).toBe('core');
    expect(s.layout).toEqual({ 'vm:a': { x: 1, y: 1 }, 'switch:core': { x: 2, y: 2 } });
    const v = rename(d0, 'vm', 'a', 'web');
    expect(v.placement).toEqual({ web: 'h1' });
    expect(v.vms[1]!.apartFrom).toEqual(['web']);
    expect(rename(d0, 'volume', 'd', 'data').vms[0]!.volumes).toEqual(['data']);
    expect(rename(d0, 'switch', 'n', 'm')).toBe(d0);
  });
});

describe('removing', () => {
  const d0 = doc({
    vms: [vm('a', { nics: [{ switch: 'n' }, { switch: 'm' }, { switch: 'n' }], volumes: ['d', 'e'] }), vm('b', { apartFrom: ['a'] })],
    switches: [sw('n', 1), sw('m', 2)],
    routers: [{ name: 'r', interfaces: [{ switch: 'n', address: '10.0.0.1' }, { switch: 'm', address: '10.0.1.1' }], natUplink: false }],
    volumes: [vol('d'), vol('e')],
    placement: { a: 'h1', b: 'h1' },
    layout: { 'vm:a': { x: 1, y: 1 }, 'switch:n': { x: 2, y: 2 }, 'host:h1': { x: 0, y: 0 } },
  });

  it('takes what pointed at a removed switch, volume or VM along', () => {
    const d = remove(d0, ['switch:n', 'volume:d', 'vm:b', 'host:h1']);
    expect(d.vms).toEqual([vm('a', { nics: [{ switch: 'm' }], volumes: ['e'] })]);
    expect(d.routers[0]!.interfaces).toEqual([{ switch: 'm', address: '10.0.1.1' }]);
    expect(d.placement).toEqual({ a: 'h1' });
    expect(Object.keys(d.layout)).toEqual(['vm:a', 'host:h1']);
    expect(remove(d0, ['vm:a']).vms[0]!.apartFrom).toEqual([]);
  });

  it('removes edges by id: NICs by index, interfaces, disks', () => {
    const d = remove(d0, ['nic:a:0', 'nic:a:2', 'rif:r:1', 'disk:a:e']);
    expect(d.vms[0]!.nics).toEqual([{ switch: 'm' }]);
    expect(d.vms[0]!.volumes).toEqual(['d']);
    expect(d.routers[0]!.interfaces).toEqual([{ switch: 'n', address: '10.0.0.1' }]);
    expect(remove(d0, ['host:h1', 'nonsense'])).toBe(d0);
  });
});

describe('copy and paste', () => {
  it('pastes copies under fresh names, offset, remapping references among the copies only', () => {
    const d0 = doc({
      vms: [vm('web1', { nics: [{ switch: 'n', mac: '080027000001', address: '10.0.0.5' }, { switch: 'x' }], volumes: ['d', 'keep'] }), vm('web2')],
      switches: [sw('n', 1001), sw('x', 1002)],
      volumes: [vol('d'), vol('keep')],
      placement: { web1: 'h1' },
      layout: { 'vm:web1': { x: 16, y: 80 }, 'switch:n': { x: 0, y: -200 } },
    });
    const clip = copy(d0, ['vm:web1', 'switch:n', 'volume:d', 'host:h1'])!;
    const { doc: d, ids } = paste(d0, clip, { x: 10, y: 10 });
    expect(ids).toEqual(['vm:web3', 'switch:n-2', 'volume:d-2']);
    const copyVm = d.vms.find((v) => v.name === 'web3')!;
    expect(copyVm.nics).toEqual([{ switch: 'n-2' }, { switch: 'x' }]);
    expect(copyVm.volumes).toEqual(['d-2']);
    expect(d.switches.at(-1)).toEqual(sw('n-2', 1003));
    expect(d.placement.web3).toBe('h1');
    expect(d.layout['vm:web3']).toEqual({ x: HOST_PAD, y: HOST_HEADER + 68 + HOST_PAD }); // a free cell, not on top of web1
    expect(d.layout['switch:n-2']).toEqual({ x: 10, y: -190 });
    expect(copy(d0, ['host:h1'])).toBeUndefined();
  });
});

describe('room in a host', () => {
  it('lands a VM where it was dropped, or in the nearest free cell when another VM is there', () => {
    let d = addVm(doc(), { x: 16, y: 80 }, 'h1').doc;
    d = addVm(d, { x: 30, y: 90 }, 'h1').doc;
    const below = { x: HOST_PAD, y: HOST_HEADER + 68 + HOST_PAD };
    expect(d.layout['vm:vm2']).toEqual(below);
    d = placeVm(d, 'vm2', 'h1', { x: 216, y: 84 });
    expect(d.layout['vm:vm2']).toEqual({ x: 216, y: 88 });
    d = placeVm(d, 'vm2', 'h1', { x: 20, y: 140 });
    expect(d.layout['vm:vm2']).toEqual(below); // its own spot doesn't count
    d = addVm(d, { x: 600, y: 300 }, 'h1').doc;
    expect(d.layout['vm:vm3']).toEqual({ x: 600, y: 304 });
  });
});
