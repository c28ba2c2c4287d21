import { describe, expect, it } from 'vitest';
import { doc } from '../model/document.testkit';
import { drift } from './drift';
import { observedHost } from './observed.testkit';
import { plan } from './planner';
import { simulateApply } from './simulate.testkit';

describe('drift', () => {
  const desired = doc({ switches: [{ name: 'lan', vni: 10 }, { name: 'wan', vni: 20 }], vms: [{ name: 'web', nics: [{ switch: 'lan' }] }, { name: 'db', memoryMb: 1024 }] });
  const applied = () => {
    const hosts = [observedHost({ host: 'h1' })];
    return simulateApply(hosts, plan(desired, hosts));
  };

  it('is empty right after an apply', () => {
    expect(drift(desired, applied())).toEqual([]);
  });

  it('lists what was changed by hand, VM by VM, and the next plan undoes it', () => {
    const [h1] = applied();
    const vms = h1!.vms.map((vm) =>
      vm.name === 'web' ? { ...vm, state: 'poweroff' as const, nics: vm.nics.map((n) => (n.slot === 1 ? { ...n, network: 'dcod-vni-20' } : n)) } : { ...vm, memoryMb: 4096 },
    );
    const hosts = [{ ...h1!, vms }];
    expect(drift(desired, hosts)).toEqual([
      { resource: { kind: 'vm', name: 'db' }, host: 'h1', changes: ['memory 4096 → 1024 MB'] },
      { resource: { kind: 'vm', name: 'web' }, host: 'h1', changes: ['nic1 switch wan → switch lan', 'poweroff → running'] },
    ]);
    expect(drift(desired, simulateApply(hosts, plan(desired, hosts)))).toEqual([]);
  });

  it('does not call a document edit drift', () => {
    expect(drift({ ...desired, vms: desired.vms.map((v) => ({ ...v, cpus: 2 })) }, applied())).toEqual([]);
  });
});
