import { describe, expect, it } from 'vitest';
import { docInput } from '../model/document.testkit';
import { observedHost, observedVm } from './observed.testkit';
import { plan } from './planner';
import { previewPlan } from './preview';

const inventory = [{ name: 'h1' }, { name: 'h2' }];

describe('previewPlan: an unsaved document against the last readings', () => {
  it('plans what the planner plans for the same document and readings, and names the hosts not read', () => {
    const observed = [observedHost({ host: 'h1', vms: [observedVm({ name: 'old' })] })];
    const input = docInput({ vms: [{ name: 'web' }], placement: { web: 'h1' } });
    const p = previewPlan(plan, input, { inventory, observed });
    expect(p.plan?.operations.map((o) => o.id)).toEqual(expect.arrayContaining(['vm/web/create@h1', 'vm/web/start@h1', 'vm/old/delete@h1']));
    expect(p.diagnostics).toEqual([]);
    expect(p.observedAt).toBe(observed[0]!.observedAt);
    expect(p.unread).toEqual(['h2']);
    const outline = previewPlan(plan, input, { inventory, observed }, 'outline').plan!;
    expect(outline.operations).toEqual(p.plan!.operations.map(({ id, target, resource, action }) => ({ id, target, resource, action })));
    expect(outline).toMatchObject({ datacenter: 'dc', diagnostics: [], warnings: p.plan!.diagnostics.length });
  });

  it('gives a broken document its diagnostics, placement on an unknown host included, and no plan', () => {
    const p = previewPlan(plan, docInput({ vms: [{ name: 'web', nics: [{ switch: 'nowhere' }] }], placement: { web: 'h9' } }), { inventory, observed: [] });
    expect(p.plan).toBeUndefined();
    expect(p.diagnostics.map((d) => d.path)).toEqual(expect.arrayContaining(['vms[0].nics[0].switch', 'placement.web']));
    expect(p.observedAt).toBeUndefined();
    expect(p.unread).toEqual(['h1', 'h2']);
    expect(previewPlan(plan, { not: 'a document' }, { inventory, observed: [] }).plan).toBeUndefined();
  });
});
