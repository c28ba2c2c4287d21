import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { compactJournal, doneOperations, lastOutcomes, liveRecords, readJournal, unfinishedApply, type JournalRecord } from './journal';

const dir = await mkdtemp(path.join(os.tmpdir(), 'dcod-journal-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

const time = '2026-11-22T10:00:00.000Z';

/** A history of applies over a few resources: each begins, records some operations, and may end (or be cut off). */
const history = fc
  .array(
    fc.record({
      ops: fc.array(fc.record({ resource: fc.constantFrom('vm/a', 'vm/b', 'vm/c', 'switch/s'), state: fc.constantFrom('done', 'failed') as fc.Arbitrary<'done' | 'failed'> }), { maxLength: 6 }),
      ended: fc.boolean(),
    }),
    { maxLength: 12 },
  )
  .map((applies) =>
    applies.flatMap(({ ops, ended }, i): JournalRecord[] => {
      const planId = `plan-${i}`;
      const base = { planId, time, docVersion: `v${i}` };
      return [
        { type: 'begin', datacenter: 'dc', operations: ops.length, ...base },
        ...ops.flatMap(({ resource, state }, k): JournalRecord[] => [
          { type: 'op', op: `${resource}/op${k}`, state: 'started', resource, action: 'update', ...base },
          { type: 'op', op: `${resource}/op${k}`, state, resource, action: 'update', ...base },
        ]),
        ...(ended ? [{ type: 'end', done: 0, failed: 0, skipped: 0, ...base } as const] : []),
      ];
    }),
  );

describe('the journal compacted', () => {
  it('answers what every reader asks exactly as the whole history does', () => {
    fc.assert(
      fc.property(history, (records) => {
        const live = liveRecords(records);
        expect(lastOutcomes(live)).toEqual(lastOutcomes(records));
        expect(unfinishedApply(live)).toEqual(unfinishedApply(records));
        for (const r of records) if (r.type === 'begin' && !records.some((e) => e.type === 'end' && e.planId === r.planId)) expect(doneOperations(live, r.planId)).toEqual(doneOperations(records, r.planId));
      }),
    );
  });

  it('drops applies whose every outcome was superseded', () => {
    const op = (planId: string, resource: string): JournalRecord => ({ type: 'op', planId, op: `${resource}/update`, state: 'done', resource, action: 'update', time, docVersion: 'v' });
    const applied = (planId: string, resource: string): JournalRecord[] => [
      { type: 'begin', planId, datacenter: 'dc', operations: 1, time, docVersion: 'v' },
      op(planId, resource),
      { type: 'end', planId, done: 1, failed: 0, skipped: 0, time, docVersion: 'v' },
    ];
    const records = [...applied('p1', 'vm/a'), ...applied('p2', 'vm/b'), ...applied('p3', 'vm/a')];
    expect([...new Set(liveRecords(records).map((r) => r.planId))]).toEqual(['p2', 'p3']);
  });

  it('rewrites the file only once it is over its bound, and reads back the same', async () => {
    const file = path.join(dir, 'dc.jsonl');
    const records: JournalRecord[] = [];
    for (let i = 0; i < 200; i++) {
      const base = { planId: `p${i}`, time, docVersion: 'v' };
      records.push({ type: 'begin', datacenter: 'dc', operations: 1, ...base }, { type: 'op', op: 'vm/a/update', state: 'done', resource: 'vm/a', action: 'update', ...base }, { type: 'end', done: 1, failed: 0, skipped: 0, ...base });
    }
    await writeFile(file, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    const before = (await stat(file)).size;
    expect(await compactJournal(file, records, before)).toBe(false);
    expect((await stat(file)).size).toBe(before);
    expect(await compactJournal(file, records, before - 1)).toBe(true);
    const after = await readJournal(file);
    expect(after.map((r) => r.planId)).toEqual(['p199', 'p199', 'p199']);
    expect(lastOutcomes(after)).toEqual(lastOutcomes(records));
    expect((await readFile(file, 'utf8')).endsWith('\n')).toBe(true);
  });
});
