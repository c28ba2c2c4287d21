import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ObservedHost, ObservedVm } from '../hosts/observed';
import { datacenterArbitrary } from '../model/arbitrary';
import type { Datacenter } from '../model/document';
import { isEmpty } from './plan';
import { plan } from './planner';
import { observedHost, observedVm } from './observed.testkit';
import { simulateApply } from './simulate.testkit';
import { isVolumeAttachment } from './vm-spec';

/** A change made by hand on one of the datacenter's VMs. */
const handChange = fc.record({
  vm: fc.nat(),
  kind: fc.constantFrom('cpus', 'memory', 'power', 'saved', 'aborted', 'rewire', 'disable', 'enable', 'cable', 'mac', 'detach', 'delete', 'chipset'),
  n: fc.nat({ max: 7 }),
});

function applyHandChanges(hosts: ObservedHost[], changes: readonly { vm: number; kind: string; n: number }[]): ObservedHost[] {
  let out = hosts;
  for (const c of changes) {
    const all = out.flatMap((h) => h.vms.filter((v) => v.groups.some((g) => g.startsWith('/dcod/'))).map((v) => ({ host: h.host, vm: v })));
    const target = all[c.vm % Math.max(1, all.length)];
    if (!target) continue;
    const v = target.vm;
    const slot = (c.n % v.nics.length) + 1;
    const nic = (f: (n: ObservedVm['nics'][number]) => ObservedVm['nics'][number]) => v.nics.map((x) => (x.slot === slot ? f(x) : x));
    const changed: ObservedVm | undefined = (() => {
      switch (c.kind) {
        case 'cpus': return { ...v, cpus: (v.cpus ?? 1) + 1 };
        case 'memory': return { ...v, memoryMb: (v.memoryMb ?? 64) * 2 };
        case 'power': return { ...v, state: v.state === 'running' ? 'poweroff' : 'running' };
        case 'saved': return { ...v, state: 'saved' };
        case 'aborted': return { ...v, state: 'aborted' };
        case 'rewire': return { ...v, nics: nic((x) => ({ ...x, attachment: 'intnet', attachmentRaw: 'intnet', network: `dcod-vni-${c.n + 1}` })) };
        case 'disable': return { ...v, nics: nic((x) => ({ ...x, attachment: 'none', attachmentRaw: 'none' })) };
        case 'enable': return { ...v, nics: nic((x) => ({ ...x, attachment: 'nat', attachmentRaw: 'nat' })) };
        case 'cable': return { ...v, nics: nic((x) => ({ ...x, cableConnected: !x.cableConnected })) };
        case 'mac': return { ...v, nics: nic((x) => ({ ...x, mac: '080027FFFFFF' })) };
        case 'detach': return { ...v, storageAttachments: v.storageAttachments.filter((a) => a !== v.storageAttachments.find((x) => isVolumeAttachment(x, 'dc'))) };
        case 'chipset': return v.state === 'running' ? v : { ...v, chipset: v.chipset === 'ich9' ? 'piix3' : 'ich9', nics: v.nics.slice(0, 8) };
        default: return undefined; // delete: the VM and, as unregistervm --delete does, its disks
      }
    })();
    out = out.map((h) => {
      if (h.host !== target.host) return h;
      const gone = changed ? [] : v.storageAttachments.map((a) => a.medium);
      return { ...h, vms: h.vms.flatMap((x) => (x.uuid !== v.uuid ? [x] : changed ? [changed] : [])), disks: (h.disks ?? []).filter((d) => !gone.includes(d.location)) };
    });
  }
  return out;
}

const TEMPLATES = [{ image: 'deb', template: 'debian', snapshot: 'dcod-base' }];
// Like most templates, it boots from a disk on a SATA controller of its own: volumes of its piix3 clones go there too.
const template = () => observedVm({ name: 'debian', owner: null, state: 'poweroff', snapshots: ['dcod-base'], bootDisk: '/vms/debian/debian.vdi' });
const emptyHosts = (): ObservedHost[] => ['h1', 'h2'].map((host) => observedHost({ host, vms: [template()] }));
const docs = datacenterArbitrary({ hosts: ['h1', 'h2'], templates: TEMPLATES });

const errors = (p: { diagnostics: readonly { severity: string }[] }) => p.diagnostics.filter((d) => d.severity === 'error');

/** Plans and applies `doc` on `hosts`; checks the plan has no error and that planning again finds nothing to do. */
function converge(doc: Datacenter, hosts: ObservedHost[]): ObservedHost[] {
  const p = plan(doc, hosts);
  expect(errors(p)).toEqual([]);
  const after = simulateApply(hosts, p);
  const again = plan(doc, after);
  expect(again.operations.map((o) => `${o.id}: ${o.reason}`)).toEqual([]);
  expect(isEmpty(again)).toBe(true);
  return after;
}

// Hundreds of plans and simulated applies per property: seconds, more on a busy CI machine.
describe('planner properties', { timeout: 60_000 }, () => {
  it('from empty hosts, creates every VM and every attached volume', () => {
    fc.assert(
      fc.property(docs, (doc) => {
        const p = plan(doc, emptyHosts());
        const ids = p.operations.map((o) => o.id);
        for (const vm of doc.vms) expect(ids.some((id) => id.startsWith(`vm/${vm.name}/create@`))).toBe(true);
        for (const v of doc.volumes) expect(ids.some((id) => id.startsWith(`volume/${v.name}/create@`))).toBe(doc.vms.some((vm) => vm.volumes.includes(v.name)));
        expect(p.operations.filter((o) => o.action === 'delete')).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('applying a plan, then planning again, finds nothing to do', () => {
    fc.assert(fc.property(docs, (doc) => void converge(doc, emptyHosts())), { numRuns: 150 });
  });

  it('converges from another datacenter state, and undoing (planning the older document) reverts', () => {
    fc.assert(
      fc.property(docs, docs, (first, second) => {
        const one = converge(first, emptyHosts());
        const two = converge(second, one);
        converge(first, two);
      }),
      { numRuns: 100 },
    );
  });

  it('undoes changes made by hand, and then has nothing more to do', () => {
    fc.assert(
      fc.property(docs, fc.array(handChange, { minLength: 1, maxLength: 4 }), (doc, changes) => {
        converge(doc, applyHandChanges(converge(doc, emptyHosts()), changes));
      }),
      { numRuns: 150 },
    );
  });

  it('is stable: same inputs, same plan, whatever the order of hosts', () => {
    fc.assert(
      fc.property(docs, docs, (first, second) => {
        const hosts = emptyHosts();
        const state = simulateApply(hosts, plan(first, hosts));
        const a = plan(second, state);
        expect(plan(second, state)).toEqual(a);
        expect(plan(second, [...state].reverse()).operations).toEqual(a.operations);
      }),
      { numRuns: 60 },
    );
  });
});
