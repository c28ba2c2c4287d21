import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { doc, sw, vm, vol } from './doc.testkit';
import { addSwitch, addVm, placeVm, remove, rename } from './edits';
import { applyDelta, diff, EMPTY_HISTORY, isEmptyDelta, record, redo, undo, type HistoryEntry } from './history';
import type { Datacenter } from './model';

/** Random documents with overlapping names, so pairs share, change, add, remove and reorder entities. */
const name = fc.constantFrom('a', 'b', 'c', 'd', 'e');
const arbDoc: fc.Arbitrary<Datacenter> = fc
  .record({
    vms: fc.uniqueArray(fc.record({ name, cpus: fc.integer({ min: 1, max: 3 }) }), { selector: (v) => v.name, maxLength: 5 }),
    switches: fc.uniqueArray(fc.record({ name, vni: fc.integer({ min: 1, max: 3 }) }), { selector: (s) => s.name, maxLength: 5 }),
    volumes: fc.uniqueArray(name, { maxLength: 3 }),
    placement: fc.dictionary(name, fc.constantFrom('h1', 'h2'), { maxKeys: 3 }),
    layout: fc.dictionary(name.map((n) => `vm:${n}`), fc.record({ x: fc.integer({ min: 0, max: 2 }), y: fc.constant(0) }), { maxKeys: 3 }),
    underlayMtu: fc.constantFrom(1500, 9000),
    dcName: fc.constantFrom('lab', 'prod'),
  })
  .map((r) =>
    doc({
      vms: r.vms.map((v) => vm(v.name, { cpus: v.cpus })),
      switches: r.switches.map((s) => sw(s.name, s.vni)),
      volumes: r.volumes.map((v) => vol(v)),
      placement: r.placement,
      layout: r.layout,
      underlayMtu: r.underlayMtu,
      metadata: { name: r.dcName },
    }),
  );

describe('deltas', () => {
  it('take a document to the other and back, exactly (random pairs)', () => {
    fc.assert(
      fc.property(arbDoc, arbDoc, (a, b) => {
        const d = diff(a, b);
        expect(applyDelta(a, d, 'forward')).toEqual(b);
        expect(applyDelta(b, d, 'backward')).toEqual(a);
      }),
      { numRuns: 500 },
    );
  });

  it('hold only what changed, by name', () => {
    const a = doc({ vms: [vm('a'), vm('b'), vm('c')], switches: [sw('n', 1)] });
    const b = remove(a, ['vm:b']);
    const d = diff(a, b);
    expect(d.collections).toEqual({ vms: { by: 'name', changes: { b: { before: { index: 1, value: vm('b') } } } } });
    expect(d.keyed).toEqual({});
    expect(isEmptyDelta(diff(a, a))).toBe(true);
    // A drag that ends where it started is no change, even as a new object.
    expect(isEmptyDelta(diff(doc({ layout: { x: { x: 1, y: 1 } } }), doc({ layout: { x: { x: 1, y: 1 } } })))).toBe(true);
  });

  it('put a renamed entity back where it was', () => {
    const a = doc({ vms: [vm('a'), vm('b'), vm('c')], placement: { b: 'h1' } });
    const b = rename(a, 'vm', 'b', 'z');
    expect(b.vms.map((v) => v.name)).toEqual(['a', 'z', 'c']);
    expect(applyDelta(b, diff(a, b), 'backward')).toEqual(a);
  });
});

describe('undo and redo', () => {
  const entry = (a: Datacenter, b: Datacenter, label: string): HistoryEntry => ({ label, delta: diff(a, b), selectionBefore: [], selectionAfter: [label] });

  it('walk back and forth through recorded edits, restoring selection; a new edit clears redo', () => {
    const d0 = doc();
    const d1 = addSwitch(d0, { x: 0, y: 0 }).doc;
    const d2 = addVm(d1, { x: 0, y: 0 }, 'h1').doc;
    const d3 = placeVm(d2, 'vm1', 'h2', { x: 20, y: 90 });
    let h = record(record(record(EMPTY_HISTORY, entry(d0, d1, 'switch')), entry(d1, d2, 'vm')), entry(d2, d3, 'move'));

    const u1 = undo(h, d3)!;
    expect(u1.doc).toEqual(d2);
    expect(u1.entry.label).toBe('move');
    const u2 = undo(u1.history, u1.doc)!;
    expect(u2.doc).toEqual(d1);
    const r1 = redo(u2.history, u2.doc)!;
    expect(r1.doc).toEqual(d2);
    expect(r1.selection).toEqual(['vm']);
    h = record(r1.history, entry(r1.doc, d0, 'other'));
    expect(h.redo).toEqual([]);
    expect(redo(h, d0)).toBeUndefined();
    expect(undo(EMPTY_HISTORY, d0)).toBeUndefined();
  });
});
