import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ObservedHost } from '../hosts/observed';
import { datacenterArbitrary } from '../model/arbitrary';
import type { Datacenter } from '../model/document';
import { isEmpty } from './plan';
import { plan } from './planner';
import { observedHost, observedVm } from './observed.testkit';
import { simulateApply } from './simulate.testkit';

const TEMPLATES = [{ image: 'deb', template: 'debian', snapshot: 'dcod-base' }];
const template = () => observedVm({ name: 'debian', owner: null, state: 'poweroff', snapshots: ['dcod-base'] });
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
