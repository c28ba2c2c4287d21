/**
 * An apply killed part-way (the laptop's process dies, not a host): the journal tells `status` and `plan`
 * that it never finished, `apply --resume` carries on with only what it had not done, and a plain apply
 * afterwards converges whatever state the kill left.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { PlanView, StatusReport } from '../src/api/contract';
import { journalPath, readJournal } from '../src/apply/journal';
import { addLabHosts, APPLY_HOSTS, removeLeftovers, threeHostDocument } from './apply-fixture';
import { dcodIn, spawnDcod } from './support/cli';

const DC = 'e2ers';
let dir: string;
let file: string;
const dcod = dcodIn(() => dir);

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dcod-apply-resume-e2e-'));
  file = path.join(dir, 'datacenter.yaml');
  await addLabHosts(dcod, APPLY_HOSTS);
  await writeFile(file, stringify(threeHostDocument(DC)));
});

afterAll(async () => {
  const r = await dcod('destroy', '-f', file, '--yes');
  for (const host of APPLY_HOSTS) await removeLeftovers(host, DC);
  await rm(dir, { recursive: true, force: true });
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
});

/** Runs `dcod apply --yes` and SIGKILLs it once `n` operations have reported done. */
async function applyKilledAfter(n: number): Promise<void> {
  const child = spawnDcod(dir, ['apply', '-f', file, '--yes']);
  let done = 0;
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
    done = err.split('\n').filter((l) => l.endsWith(': done')).length;
    if (done >= n) child.kill('SIGKILL');
  });
  const status = await new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
  expect(status, `the apply ended before it was killed:\n${err}`).toBe('SIGKILL');
}

it('an apply killed part-way shows as unfinished, resumes with what it had not done, and a re-apply converges', async () => {
  await applyKilledAfter(4);

  const status = JSON.parse((await dcod('status', '-f', file, '--json')).stdout) as StatusReport;
  expect(status.interrupted).toBeDefined();
  const { planId, done, operations } = status.interrupted!;
  expect(done).toBeGreaterThanOrEqual(4);
  expect(done).toBeLessThan(operations);
  const records = await readJournal(journalPath(file, DC));
  expect(records.filter((r) => r.type === 'op' && r.planId === planId && r.state === 'done')).toHaveLength(done);
  expect((await dcod('plan', '-f', file)).stdout).toContain(`an apply of this document (plan ${planId.slice(0, 12)}, ${done} of ${operations} operations done) did not finish`);

  // Resume: what the journal says was done is reported, not run again. An operation the kill cut in the
  // middle may fail now (half of it happened); that is what the re-plan below is for.
  const resumed = await dcod('apply', '-f', file, '--resume', '--yes');
  expect(resumed.stderr).toContain(`resuming plan ${planId.slice(0, 12)} (${done} of ${operations} operations done)`);
  expect(resumed.stderr.split('\n').filter((l) => l.endsWith(': done (by the interrupted apply)'))).toHaveLength(done);
  const after = await readJournal(journalPath(file, DC));
  expect(after.findLast((r) => r.type === 'end')).toMatchObject({ planId });

  const again = await dcod('apply', '-f', file, '--yes');
  expect(again.code, `${again.stdout}\n${again.stderr}`).toBe(0);
  const plan = JSON.parse((await dcod('plan', '-f', file, '--json')).stdout) as PlanView;
  expect(plan.plan.operations.filter((o) => o.action !== 'noop')).toEqual([]);
  expect(plan.interrupted).toBeUndefined();
});
