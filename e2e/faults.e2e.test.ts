/**
 * Randomized fault injection during apply (issue #11). Each scenario edits the document (so every host
 * has work), starts an apply through the in-process service, and at a random point of it injects one
 * fault on one host: its sshd killed, its LAN link cut, 30 % of its SSH packets dropped, its VBoxManage
 * failing, or one of its running VMs killed (the overlay's proxy among them). Then:
 * - only that host's operations may fail, each with a code that says what (HOST_UNREACHABLE, TIMEOUT,
 *   VBOX_ERROR…) and an id that says where (`…@host`); every other host's operations are done;
 * - the fault is cleared and one re-apply must converge: the next plan is empty;
 * - nothing leaked: each host has exactly the VMs the document places there, one guest namespace per
 *   running VM, no temp file in the VM folders.
 * The seed is printed; `DCOD_FAULT_SEED` replays it, `DCOD_FAULT_SCENARIOS` sets how many (npm run
 * test:faults runs 100).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { inProcessClient } from '../src/api/client';
import type { PlanView } from '../src/api/contract';
import { createService } from '../src/api/service';
import type { DatacenterInput } from '../src/model/document';
import { dcodIn } from './support/cli';
import { FAULT_KINDS, injectFault, type Fault, type FaultKind } from './support/faults';
import { currentLab, sshHost } from './support/lab';

const SEED = Number(process.env.DCOD_FAULT_SEED ?? Date.now() % 1_000_000);
const SCENARIOS = Number(process.env.DCOD_FAULT_SCENARIOS ?? 8);
const DC = 'fault';
const HOSTS = ['h1', 'h2', 'h3'] as const;
const VMS = 6;

const lab = currentLab();
let dir: string;
let file: string;
const dcod = dcodIn(() => dir);

/** What each fault may turn a host's operations into; anything else is imprecise. */
const EXPECTED_CODES: Record<FaultKind, readonly string[]> = {
  'sshd-kill': ['HOST_UNREACHABLE', 'TIMEOUT'],
  'link-down': ['HOST_UNREACHABLE', 'TIMEOUT'],
  'packet-loss': ['HOST_UNREACHABLE', 'TIMEOUT'],
  'vboxmanage-fails': ['VBOX_ERROR', 'COMMAND_FAILED'],
  'vm-killed': ['VBOX_ERROR', 'INVALID_STATE', 'VM_NOT_FOUND', 'COMMAND_FAILED'],
};

/** `DCOD_FAULT_KINDS=vm-killed,link-down` limits the kinds drawn (to replay or study one). */
const KINDS = (process.env.DCOD_FAULT_KINDS?.split(',') ?? FAULT_KINDS) as FaultKind[];

function documentFor(memory: readonly number[], power: readonly boolean[]): DatacenterInput {
  const vms = Array.from({ length: VMS }, (_, i) => ({
    name: `fvm${i + 1}`,
    memoryMb: memory[i]!,
    power: power[i] ? ('running' as const) : ('stopped' as const),
    nics: [{ switch: `fsw${(i % 2) + 1}` }],
  }));
  return {
    apiVersion: 'dcod.dev/v1',
    kind: 'Datacenter',
    metadata: { name: DC },
    switches: [{ name: 'fsw1', vni: 7001 }, { name: 'fsw2', vni: 7002 }],
    vms,
    placement: Object.fromEntries(vms.map((v, i) => [v.name, HOSTS[i % HOSTS.length]!])),
  };
}

const scenario = fc.record({
  kind: fc.constantFrom(...KINDS),
  host: fc.constantFrom(...HOSTS),
  /** Inject after this many progress events (0: before the first operation ends). */
  after: fc.integer({ min: 0, max: 3 }),
  /** A link comes back by itself after this long, as a re-plugged cable would. */
  linkMs: fc.integer({ min: 500, max: 4000 }),
  memory: fc.array(fc.constantFrom(96, 128, 160), { minLength: VMS, maxLength: VMS }),
  power: fc.array(fc.boolean(), { minLength: VMS, maxLength: VMS }),
});

async function vboxNames(host: string, what: 'vms' | 'runningvms'): Promise<string[]> {
  const r = await sshHost(host, `VBoxManage list ${what}`);
  if (r.code !== 0) throw new Error(`list ${what} on ${host}: ${r.stderr}`);
  return [...r.stdout.matchAll(/^"(.*)" \{[0-9a-f-]+\}$/gm)].map((m) => m[1]!).sort();
}

function guestNamespaces(host: string): string[] {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').map((l) => l.split(' ')[0]!).filter((n) => n.startsWith(`${lab.name}-${host}-`));
}

/** Leaks on every host: VMs not in the document (or missing), guest namespaces without a running VM, temp files. */
async function leaks(doc: DatacenterInput): Promise<string[]> {
  const out: string[] = [];
  for (const host of HOSTS) {
    const want = Object.entries(doc.placement ?? {}).filter(([, h]) => h === host).map(([vm]) => vm).sort();
    // The datacenter's overlay proxy on a host that carries its switches is the app's own, not an orphan.
    const have = (await vboxNames(host, 'vms')).filter((vm) => !(vm === `dcod-proxy-${DC}` && want.length > 0));
    if (JSON.stringify(have) !== JSON.stringify(want)) out.push(`${host}: VMs ${have.join(',')} but the document places ${want.join(',')}`);
    const running = await vboxNames(host, 'runningvms');
    const ns = guestNamespaces(host);
    if (ns.length !== running.length) out.push(`${host}: ${ns.length} guest namespaces for ${running.length} running VMs`);
    const tmp = await sshHost(host, `find "$HOME/VirtualBox VMs" "$HOME" -maxdepth 3 \\( -name '*.tmp' -o -name '*.dcod-part' -o -name '.dcod-*' \\) 2>/dev/null`);
    if (tmp.stdout.trim()) out.push(`${host}: temp files ${tmp.stdout.trim().split('\n').join(', ')}`);
  }
  // The laptop side of a copy between hosts goes through a temp folder of its own.
  const transfers = readdirSync(os.tmpdir()).filter((f) => f.startsWith('dcod-transfer-'));
  if (transfers.length) out.push(`laptop: transfer folders ${transfers.join(', ')}`);
  return out;
}

const pending = (view: PlanView) => view.plan.operations.filter((o) => o.action !== 'noop');

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dcod-faults-'));
  file = path.join(dir, 'datacenter.yaml');
  for (const name of HOSTS) {
    const h = lab.hosts.find((x) => x.name === name)!;
    const r = await dcod('hosts', 'add', h.name, h.address, '--user', lab.user, '--key', lab.keyPath);
    expect(r.code, r.stderr).toBe(0);
  }
  // A clean start: the document applied once, with no fault.
  await writeFile(file, stringify(documentFor(Array(VMS).fill(128), Array(VMS).fill(true))));
  const r = await dcod('apply', '-f', file, '--yes');
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
});

afterAll(async () => {
  await dcod('destroy', '-f', file, '--yes').catch(() => undefined);
  for (const h of HOSTS) await sshHost(h, `cd "$HOME/VirtualBox VMs" 2>/dev/null && rm -rf dcod/${DC} dcod-${DC}*`).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

describe('randomized faults during apply', () => {
  it('after each fault: a precise failure on that host only, then a converging re-apply and no leak', async () => {
    const scenarios = fc.sample(scenario, { seed: SEED, numRuns: SCENARIOS });
    console.log(`[faults] seed ${SEED} (replay: DCOD_FAULT_SEED=${SEED} DCOD_FAULT_SCENARIOS=${SCENARIOS} DCOD_FAULT_KINDS=${KINDS.join(',')})`);
    const core = await createService({ paths: { inventory: path.join(dir, 'inventory.yaml'), knownHosts: path.join(dir, 'known_hosts') } });
    const client = inProcessClient(core);
    let converged = 0;
    let leaked = 0;
    let imprecise = 0;
    let hit = 0;
    const problems: string[] = [];
    const started = performance.now();
    try {
      for (const [n, s] of scenarios.entries()) {
        const doc = documentFor(s.memory, s.power);
        await writeFile(file, stringify(doc));
        let fault: Fault | undefined;
        let events = 0;
        const off = client.on('apply.progress', () => {
          if (fault || ++events <= s.after) return;
          fault = injectFault(lab, s.kind, s.host, s.after);
          if (s.kind === 'link-down') setTimeout(() => void fault?.clear(), s.linkMs);
        });
        const label = `#${n} ${s.kind} on ${s.host} after ${s.after} events`;
        try {
          const view = await client.call('plan.make', { file });
          if (pending(view).length === 0) fault = injectFault(lab, s.kind, s.host, s.after); // nothing to do: fault the re-apply's observation instead
          const result = await client.call('apply.run', { file, planId: view.planId }).catch((err: unknown) => err as Error);
          if (result instanceof Error) {
            // The whole call refused: it must say what and where.
            const e = result as Error & { code?: string; context?: readonly string[] };
            const where = [...(e.context ?? []), e.message].join(': ');
            const address = lab.hosts.find((h) => h.name === s.host)!.address;
            if (!EXPECTED_CODES[s.kind].includes(e.code ?? '') || !(where.includes(s.host) || where.includes(address))) {
              imprecise++;
              problems.push(`${label}: apply refused with ${e.code}, not naming the host: ${where}`);
            }
          } else {
            const failed = result.outcomes.filter((o) => o.state === 'failed');
            if (failed.length > 0) hit++;
            console.log(`[faults] ${label}: ${result.outcomes.length} operations, fault ${fault ? 'injected' : 'never injected'}, ${failed.length} failed (${[...new Set(failed.map((o) => ('error' in o ? o.error.code : '')))].join(', ')})`);
            for (const o of failed) {
              const code = 'error' in o ? o.error.code : '';
              if (!o.id.endsWith(`@${s.host}`) || !EXPECTED_CODES[s.kind].includes(code)) {
                imprecise++;
                problems.push(`${label}: ${o.id} failed with ${code}`);
              }
            }
            for (const o of result.outcomes.filter((x) => !x.id.endsWith(`@${s.host}`))) {
              if (o.state !== 'done') {
                imprecise++;
                problems.push(`${label}: unrelated ${o.id} ${o.state}`);
              }
            }
          }
        } finally {
          off();
          await fault?.clear();
        }
        // The fault is gone: one re-apply must converge.
        const again = await client.call('plan.make', { file }).then((v) => client.call('apply.run', { file, planId: v.planId })).catch((err: unknown) => err as Error);
        const next = await client.call('plan.make', { file }).catch((err: unknown) => err as Error);
        if (!(again instanceof Error) && again.ok && !(next instanceof Error) && pending(next).length === 0) converged++;
        else problems.push(`${label}: did not converge: ${again instanceof Error ? again.message : JSON.stringify(again.outcomes.filter((o) => o.state !== 'done'))} / ${next instanceof Error ? next.message : pending(next).map((o) => `${o.resource.name} ${o.action}`).join(', ')}`);
        const found = await leaks(doc);
        if (found.length) {
          leaked++;
          problems.push(...found.map((f) => `${label}: leak: ${f}`));
        }
      }
    } finally {
      await core.close();
    }
    const secs = ((performance.now() - started) / 1000).toFixed(0);
    console.log(`[faults] scenarios run: ${scenarios.length}, faults that failed operations: ${hit}, converged: ${converged}, leaked: ${leaked}, imprecise errors: ${imprecise} (${secs} s, seed ${SEED})`);
    for (const p of problems) console.log(`[faults] ${p}`);
    expect(problems).toEqual([]);
    expect(converged).toBe(scenarios.length);
  }, 3_600_000);
});
