/**
 * bench/apply: applying a 3-host, 12-VM, 4-switch, 4-volume document from empty — DCoD's apply engine (one
 * exec per host and DAG level, hosts in parallel, one SSH connection each, journal fsynced) beside a
 * baseline that runs the very same commands one at a time per host, each over a NEW SSH connection (what a
 * naive `ssh host cmd` loop does). Both start from nothing and must end where a fresh plan is empty.
 *
 * Every exec also reports how long it ran on the host's own clock, so the wall time splits into the work
 * VBoxManage does on the hosts (the same for both; the lab's simulated VBoxManage is a Node process,
 * ~100 ms a call) and the time above it — the transport, which is what batching removes.
 * Goal: >= 10x faster. Run: `npm run bench:apply` (as root).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { inProcessClient } from '../src/api/client';
import type { ApiClient } from '../src/api/contract';
import { createService } from '../src/api/service';
import { APPLY_HOSTS, threeHostDocument } from '../e2e/apply-fixture';
import type { LabInfo } from '../e2e/lab/lab';
import { applyPlan } from '../src/apply/engine';
import { JournalWriter } from '../src/apply/journal';
import type { HostRunner } from '../src/hosts/runner';
import { levels, type Plan } from '../src/plan/plan';
import { quotePosix } from '../src/shell/quote';
import { KnownHosts } from '../src/ssh/known-hosts';
import { SshRunner } from '../src/ssh/ssh-runner';
import { benchInLab, median, printRows, timed } from './support';

const RUNS = 3;
const HOSTS = APPLY_HOSTS;

/** Host-side time of a command: the host's own clock around it, printed last on stderr. */
const HOST_NS = 'dcod-bench-host-ns';
function timedLine(line: string): string {
  return `t0=$(date +%s%N); ${line}; rc=$?; printf '\n${HOST_NS} %s\n' "$(($(date +%s%N) - t0))" >&2; exit $rc`;
}
function hostMs(stderr: string): number {
  const m = new RegExp(`${HOST_NS} (\\d+)`).exec(stderr);
  if (!m) throw new Error('a command did not report its host-side time');
  return Number(m[1]) / 1e6;
}

/** An SSH runner whose execs also report how long they took on the host itself. */
function timedRunner(runner: SshRunner, onHostMs: (ms: number) => void): HostRunner {
  return {
    shell: 'posix',
    run: (argv, opts) => timedRunner(runner, onHostMs).exec(quotePosix(argv), opts),
    exec: async (line, opts) => {
      const res = await runner.exec(timedLine(line), opts);
      onHostMs(hostMs(res.stderr));
      return res;
    },
    close: () => runner.close(),
  };
}

async function sshRunner(lab: LabInfo, name: string, knownHosts: KnownHosts): Promise<SshRunner> {
  const host = lab.hosts.find((h) => h.name === name)!;
  // The same key for both sides, so both pay the same handshake.
  return new SshRunner({ host: host.address, port: host.port, username: lab.user, auth: { kind: 'key', privateKey: await readFile(lab.keyPath) }, shell: 'posix' }, { knownHosts });
}

interface Measured {
  readonly ms: number;
  /** The critical path of work on the hosts themselves: per level, the slowest host. */
  readonly hostMs: number;
  readonly execs: number;
}

/** DCoD's engine over one persistent SSH connection per host (what the service's pool gives it), journal included. */
async function dcodApply(lab: LabInfo, plan: Plan, journalFile: string): Promise<Measured> {
  const knownHosts = await KnownHosts.open(undefined);
  let levelHostMs = 0;
  let hostTotal = 0;
  let inFlight = 0;
  const runners = new Map<string, HostRunner>();
  for (const name of HOSTS) {
    const ssh = await sshRunner(lab, name, knownHosts);
    await ssh.run(['true']); // connected before the clock starts, as the pool is after a plan
    const timed = timedRunner(ssh, (ms) => (levelHostMs = Math.max(levelHostMs, ms)));
    runners.set(name, {
      ...timed,
      // Levels are barriers: the first exec after none in flight starts a new level.
      exec: async (line, opts) => {
        if (inFlight++ === 0) {
          hostTotal += levelHostMs;
          levelHostMs = 0;
        }
        try {
          return await timed.exec(line, opts);
        } finally {
          inFlight--;
        }
      },
    });
  }
  const journal = await JournalWriter.open(journalFile);
  try {
    const run = await timed(() => applyPlan(plan, { planId: 'bench', docVersion: 'bench', journal, runnerFor: async (h) => runners.get(h)! }));
    if (!run.value.ok) throw new Error(`DCoD's apply failed: ${JSON.stringify(run.value.outcomes.filter((o) => o.state !== 'done'))}`);
    return { ms: run.ms, hostMs: hostTotal + levelHostMs, execs: run.value.execs };
  } finally {
    await journal.close();
    await Promise.all([...runners.values()].map((r) => r.close()));
  }
}

/** The baseline: the plan's commands in DAG order, one at a time per host, a new connection for each. */
async function baseline(lab: LabInfo, plan: Plan): Promise<Measured> {
  const knownHosts = await KnownHosts.open(undefined);
  let execs = 0;
  let hostTotal = 0;
  const start = performance.now();
  for (const level of levels(plan)) {
    const perHost = await Promise.all(
      HOSTS.map(async (name) => {
        let ms = 0;
        for (const op of level.filter((o) => o.target.host === name)) {
          for (const argv of op.commands) {
            const runner = timedRunner(await sshRunner(lab, name, knownHosts), (t) => (ms += t));
            execs++;
            try {
              const res = await runner.run(argv);
              if (res.code !== 0) throw new Error(`baseline: ${argv.join(' ')} failed on ${name}: ${res.stderr}`);
            } finally {
              await runner.close();
            }
          }
        }
        return ms;
      }),
    );
    hostTotal += Math.max(...perHost);
  }
  return { ms: performance.now() - start, hostMs: hostTotal, execs };
}

async function applyAll(client: ApiClient, file: string, destroy = false) {
  const view = await client.call('plan.make', { file, ...(destroy ? { destroy: true } : {}) });
  const run = await client.call('apply.run', { file, planId: view.planId });
  if (!run.ok) throw new Error(`apply failed: ${JSON.stringify(run.outcomes.filter((o) => o.state !== 'done'), null, 2)}`);
}

async function assertConverged(client: ApiClient, file: string, who: string): Promise<void> {
  const left = (await client.call('plan.make', { file })).plan.operations.filter((o) => o.action !== 'noop');
  if (left.length) throw new Error(`after the ${who} apply a new plan still has ${left.length} operations: ${left.map((o) => o.summary).join('; ')}`);
}

await benchInLab({ name: 'bap', hosts: HOSTS.length, cidr: '198.18.31.0/24' }, async (lab) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dcod-bench-apply-'));
  const core = await createService({ paths: { inventory: path.join(dir, 'inventory.yaml'), knownHosts: path.join(dir, 'known_hosts') } });
  const client = inProcessClient(core);
  try {
    for (const name of HOSTS) {
      const h = lab.hosts.find((x) => x.name === name)!;
      await client.call('hosts.add', { name, address: h.address, port: h.port, os: 'linux', user: lab.user, auth: { method: 'key', keyFile: lab.keyPath } });
    }
    const file = path.join(dir, 'datacenter.yaml');
    await writeFile(file, stringify(threeHostDocument('bench')));

    const ours: Measured[] = [];
    const theirs: Measured[] = [];
    let plan: Plan | undefined;
    for (let i = 0; i < RUNS; i++) {
      // Each side starts from empty hosts with a fresh plan, must converge, and is destroyed after.
      console.log(`run ${i + 1}/${RUNS}: DCoD…`);
      plan = (await client.call('plan.make', { file })).plan;
      ours.push(await dcodApply(lab, plan, path.join(dir, `journal-${i}.jsonl`)));
      await assertConverged(client, file, 'DCoD');
      await applyAll(client, file, true);

      console.log(`run ${i + 1}/${RUNS}: baseline…`);
      theirs.push(await baseline(lab, (await client.call('plan.make', { file })).plan));
      await assertConverged(client, file, 'baseline');
      await applyAll(client, file, true);
    }

    const m = (xs: Measured[], f: (x: Measured) => number) => median(xs.map(f));
    const [a, b] = [m(ours, (x) => x.ms), m(theirs, (x) => x.ms)];
    const [ha, hb] = [m(ours, (x) => x.hostMs), m(theirs, (x) => x.hostMs)];
    const [oa, ob] = [m(ours, (x) => x.ms - x.hostMs), m(theirs, (x) => x.ms - x.hostMs)];
    const operations = plan?.operations.length ?? 0;
    const commands = plan?.operations.reduce((n, o) => n + o.commands.length, 0) ?? 0;
    printRows(`apply: ${HOSTS.length} hosts, 12 VMs, 4 switches, 4 volumes from empty (${operations} operations, ${commands} commands), median of ${RUNS}`, [
      { figure: 'wall time', dcod: `${a.toFixed(0)} ms`, baseline: `${b.toFixed(0)} ms (new SSH connection per command)`, ratio: `${(b / a).toFixed(1)}x faster`, goal: '>= 10x faster' },
      { figure: 'work on the hosts (critical path)', dcod: `${ha.toFixed(0)} ms`, baseline: `${hb.toFixed(0)} ms`, goal: 'the same work' },
      { figure: 'wall time above that work', dcod: `${oa.toFixed(0)} ms`, baseline: `${ob.toFixed(0)} ms`, ratio: `${(ob / Math.max(oa, 1)).toFixed(1)}x less`, goal: '>= 10x less' },
      { figure: 'SSH execs', dcod: `${ours[0]?.execs ?? 0} (one per host and level) over ${HOSTS.length} connections`, baseline: `${theirs[0]?.execs ?? 0} over as many connections`, goal: '1 per host and level' },
    ]);
  } finally {
    await core.close();
    await rm(dir, { recursive: true, force: true });
  }
});
