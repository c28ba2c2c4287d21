import { describe, expect, it } from 'vitest';
import { placeVms, remapVnis } from './placement';

const vm = (name: string, memoryMb: number, apartFrom: string[] = []) => ({ vm: { name, cpus: 1, memoryMb, apartFrom }, diskMb: 100 });

describe('placeVms', () => {
  it('puts the largest VMs first, each on the host with most memory free', () => {
    const r = placeVms([vm('a', 1000), vm('b', 3000), vm('c', 1500)], [{ host: 'h1', cpus: 4, memoryMb: 4000 }, { host: 'h2', cpus: 4, memoryMb: 3000 }]);
    expect(r.placement).toEqual({ b: 'h1', c: 'h2', a: 'h2' });
    expect(r.unplaced).toEqual([]);
  });

  it('keeps VMs apart where the document asks, and says why a VM fits nowhere', () => {
    const r = placeVms([vm('db1', 100, ['db2']), vm('db2', 100), vm('db3', 100, ['db1', 'db2'])], [{ host: 'h1', cpus: 4, memoryMb: 4000 }, { host: 'h2', cpus: 4, memoryMb: 300 }]);
    expect(r.placement.db1).not.toBe(r.placement.db2);
    expect(r.unplaced).toEqual([{ vm: 'db3', reason: 'it must be kept apart from db1, db2, and every host with room holds one of them' }]);
    expect(placeVms([vm('big', 9000)], [{ host: 'h1', cpus: 4, memoryMb: 4000, diskMb: 10 }]).unplaced[0]?.reason).toMatch(/no host has 9000 MB/);
  });
});

describe('remapVnis', () => {
  it('keeps free VNIs and moves clashing ones to the next VNI free everywhere', () => {
    expect([...remapVnis([100, 101, 200], new Set([100, 102]))]).toEqual([[100, 103]]);
  });
});
