import { describe, expect, it } from 'vitest';
import type { ObservedHost } from '../hosts/observed';
import { doc } from '../model/document.testkit';
import { observedHost, observedVm } from './observed.testkit';
import { schedule, type ScheduleInput } from './scheduler';

const hosts = (...specs: [string, number, number?][]): ObservedHost[] => specs.map(([host, memoryMb, cpus]) => observedHost({ host, memoryMb, ...(cpus === undefined ? {} : { cpus }) }));
const run = (input: Partial<ScheduleInput> & Pick<ScheduleInput, 'doc' | 'hosts'>) => schedule({ fixed: new Map(), existing: new Map(), ...input });
const placed = (s: ReturnType<typeof schedule>) => Object.fromEntries([...s.placement].sort(([a], [b]) => a.localeCompare(b)));

describe('schedule', () => {
  it('puts the biggest VMs first where most memory is left, ties to the first host by name', () => {
    const d = doc({ vms: [{ name: 'a', memoryMb: 1000 }, { name: 'b', memoryMb: 3000 }, { name: 'c', memoryMb: 2000 }] });
    expect(placed(run({ doc: d, hosts: hosts(['h1', 4000], ['h2', 4000]) }))).toEqual({ a: 'h2', b: 'h1', c: 'h2' });
  });

  it('does not depend on the order of the document', () => {
    const d = doc({ vms: [{ name: 'a', memoryMb: 1000 }, { name: 'b', memoryMb: 1000 }, { name: 'c', memoryMb: 1000 }] });
    const reversed = { ...d, vms: [...d.vms].reverse() };
    const h = hosts(['h1', 4000], ['h2', 4000]);
    expect(placed(run({ doc: reversed, hosts: h }))).toEqual(placed(run({ doc: d, hosts: h })));
  });

  it('keeps VMs where they are and counts what runs there already', () => {
    const busy = observedHost({ host: 'h1', memoryMb: 8000, vms: [observedVm({ name: 'a', memoryMb: 6000 })] });
    const h1 = { ...busy, hostInfo: { ...busy.hostInfo, memoryAvailableMb: 2000 } };
    const d = doc({ vms: [{ name: 'a', memoryMb: 6000 }, { name: 'b', memoryMb: 3000 }] });
    expect(placed(run({ doc: d, hosts: [h1, ...hosts(['h2', 4000])], existing: new Map([['a', 'h1']]) }))).toEqual({ a: 'h1', b: 'h2' });
  });

  it('reserves memory only for VMs that will run', () => {
    const d = doc({ vms: [{ name: 'big', memoryMb: 9000, power: 'stopped' }] });
    expect(placed(run({ doc: d, hosts: hosts(['h1', 1000]) }))).toEqual({ big: 'h1' });
  });

  it('keeps VMs apart, whichever of the two names the other', () => {
    const d = doc({ vms: [{ name: 'a', memoryMb: 100 }, { name: 'b', memoryMb: 100, apartFrom: ['a'] }, { name: 'c', memoryMb: 100 }] });
    const s = run({ doc: d, hosts: hosts(['h1', 9000], ['h2', 1000]), fixed: new Map([['a', 'h1']]) });
    expect(placed(s)).toEqual({ a: 'h1', b: 'h2', c: 'h1' });
  });

  it('says why no host fits, host by host', () => {
    const d = doc({ vms: [{ name: 'a', memoryMb: 100 }, { name: 'b', cpus: 4, memoryMb: 2048, apartFrom: ['a'] }] });
    const s = run({ doc: d, hosts: hosts(['h1', 8000, 8], ['h2', 1000, 8], ['h3', 8000, 2]), fixed: new Map([['a', 'h1']]), canHost: (vm, h) => (h.host === 'h4' ? 'is never used' : undefined) });
    expect(s.diagnostics).toEqual([
      {
        severity: 'error',
        path: 'vms[1]',
        message: 'no host can take VM b (4 CPUs, 2048 MB): h1 runs a, which b keeps apart from; h2 has 1000 MB free; h3 has 2 CPUs',
        fix: 'give it fewer CPUs or less memory, stop other VMs, relax apartFrom, or add a host',
      },
    ]);
    expect(run({ doc: doc({ vms: [{ name: 'a' }] }), hosts: [] }).diagnostics[0]?.message).toBe('no host can take VM a (1 CPU, 512 MB): no reachable VirtualBox host');
  });

  it('asks canHost (a template only some hosts have)', () => {
    const d = doc({ vms: [{ name: 'a' }] });
    expect(placed(run({ doc: d, hosts: hosts(['h1', 9000], ['h2', 4000]), canHost: (_vm, h) => (h.host === 'h1' ? 'has no template' : undefined) }))).toEqual({ a: 'h2' });
  });

  it('warns when fixed placement overcommits a host', () => {
    const d = doc({ vms: [{ name: 'a', memoryMb: 3000 }, { name: 'b', memoryMb: 3000 }] });
    const s = run({ doc: d, hosts: hosts(['h1', 4000]), fixed: new Map([['a', 'h1'], ['b', 'h1']]) });
    expect(s.diagnostics).toEqual([{ severity: 'warning', path: 'placement.b', message: 'the VMs on h1 need 2000 MB more memory than it has free', fix: 'place some elsewhere, or give them less memory' }]);
  });
});
