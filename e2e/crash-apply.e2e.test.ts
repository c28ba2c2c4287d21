/**
 * The real `dcod apply` killed with SIGKILL at a random moment, again and again (issue #11): after every
 * kill the journal reads back whole and says the apply is unfinished (unless it had ended), the document
 * is untouched, and the next `dcod apply` finishes the job: the plan after it is empty and each host has
 * exactly the VMs the document places there. The seed is printed for replay.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { PlanView } from '../src/api/contract';
import { journalPath, readJournal, unfinishedApply } from '../src/apply/journal';
import { addLabHosts, removeLeftovers, vboxList } from './apply-fixture';
import { dcodIn, spawnDcod } from './support/cli';
import { currentLab } from './support/lab';

const SEED = Number(process.env.DCOD_CRASH_SEED ?? Date.now() % 1_000_000);
const KILLS = Number(process.env.DCOD_CRASH_APPLY_KILLS ?? 8);
const DC = 'crashap';
const lab = currentLab();
const hosts = lab.hosts.filter((h) => h.kind === 'virtualbox').slice(0, 2).map((h) => h.name);
let dir: string;
let file: string;
const dcod = dcodIn(() => dir);

function documentText(memory: number): string {
  // No switches: what is under test is the apply engine and its journal, not the overlay's proxies.
  const vms = Array.from({ length: 4 }, (_, i) => ({ name: `cvm${i + 1}`, memoryMb: memory + 16 * i }));
  return stringify({ apiVersion: 'dcod.dev/v1', kind: 'Datacenter', metadata: { name: DC }, vms, placement: Object.fromEntries(vms.map((v, i) => [v.name, hosts[i % hosts.length]!])) });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dcod-crash-apply-'));
  file = path.join(dir, 'datacenter.yaml');
  await addLabHosts(dcod, hosts);
});

afterAll(async () => {
  await dcod('destroy', '-f', file, '--yes').catch(() => undefined);
  // A killed apply may leave a half-made VM that `destroy` can't see: removeLeftovers finds it by its group.
  for (const h of hosts) await removeLeftovers(h, DC).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

describe('dcod apply killed with SIGKILL', () => {
  it('leaves a readable journal and an untouched document, and the next apply converges', async () => {
    const delays = fc.sample(fc.integer({ min: 0, max: 1500 }), { seed: SEED, numRuns: KILLS });
    console.log(`[crash-apply] seed ${SEED} (replay: DCOD_CRASH_SEED=${SEED}), ${KILLS} kills`);
    let unfinished = 0;
    let converged = 0;
    for (const [i, delay] of delays.entries()) {
      const text = documentText(64 + 32 * (i % 3));
      await writeFile(file, text);
      const child = spawnDcod(dir, ['apply', '-f', file, '--yes']);
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      // The clock starts at the first operation's progress line, so the kill lands inside the apply.
      let timer: NodeJS.Timeout | undefined;
      let err = '';
      child.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        if (!timer && /^h\d+: /m.test(err)) timer = setTimeout(() => child.kill('SIGKILL'), delay);
      });
      await exited;
      clearTimeout(timer);
      expect(await readFile(file, 'utf8')).toBe(text);
      const records = await readJournal(journalPath(file, DC));
      if (unfinishedApply(records)) unfinished++;
      // No stray process of the killed apply keeps working on a host.
      // (This apply's own command line only: other labs' applies may run on the same machine.)
      expect(execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((a) => a.includes('bin/dcod.mjs apply') && a.includes(file))).toEqual([]);

      const again = await dcod('apply', '-f', file, '--yes');
      expect(again.code, `after a kill at +${delay} ms into the apply: ${again.stdout}\n${again.stderr}`).toBe(0);
      const plan = JSON.parse((await dcod('plan', '-f', file, '--json')).stdout) as PlanView;
      expect(plan.plan.operations.filter((o) => o.action !== 'noop')).toEqual([]);
      expect(unfinishedApply(await readJournal(journalPath(file, DC)))).toBeUndefined();
      for (const [n, h] of hosts.entries()) expect(await vboxList(h, 'vms')).toEqual(['cvm1', 'cvm2', 'cvm3', 'cvm4'].filter((_, k) => k % hosts.length === n));
      converged++;
    }
    console.log(`[crash-apply] ${KILLS} kill -9s of dcod apply: ${unfinished} left the journal showing an unfinished apply, ${converged} converged on the next apply, document untouched every time`);
  }, 1_800_000);
});
