/**
 * bench/apply: applying a 3-host, 12-VM, 4-switch, 4-volume document from empty, with the overlay's proxy
 * VM on each host — DCoD's apply engine (one exec per host and DAG level, a level's operations side by
 * side in it, hosts in parallel, one SSH connection each, journal fsynced) beside a baseline that runs the
 * very same commands one at a time per host, each over a NEW SSH connection (what a naive `ssh host cmd`
 * loop does). Both start from nothing and must end where a fresh plan is empty.
 *
 * Every exec also reports how long it ran on the host's own clock, so the wall time splits into the work
 * on the hosts and the time above it — the transport, which is what batching removes. The lab's
 * VBoxManage is a simulator (a Node process per call, all hosts on this machine's cores): the bench
 * measures what one call costs, since every call's CPU spread over this machine's cores is the least wall
 * time any apply can take here, and so bounds the ratio.
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
import { proxyRunner, type ProxyTarget } from '../src/overlay/access';
import { loadOrCreateOverlayKey, type OverlayKey } from '../src/overlay/keys';
import { proxyVmName, UNDERLAY_SLOT } from '../src/overlay/names';
import { levels, type Plan, type Target } from '../src/plan/plan';
import { quotePosix } from '../src/shell/quote';
import { KnownHosts } from '../src/ssh/known-hosts';
import { SshRunner } from '../src/ssh/ssh-runner';
import { showVmInfo } from '../src/vbox/commands';
import { parseShowVmInfo } from '../src/vbox/showvminfo';
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

/** A runner whose execs also report how long they took on the host itself. */
function timedRunner(runner: HostRunner, onHostMs: (ms: number) => void): HostRunner {
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

interface Lab {
  readonly info: LabInfo;
  readonly knownHosts: KnownHosts;
  readonly key: OverlayKey;
  readonly dir: string;
  readonly dc: string;
}

async function hostRunner(lab: Lab, name: string): Promise<SshRunner> {
  const host = lab.info.hosts.find((h) => h.name === name)!;
  // The same key for both sides, so both pay the same handshake.
  return new SshRunner({ host: host.address, port: host.port, username: lab.info.user, auth: { kind: 'key', privateKey: await readFile(lab.info.keyPath) }, shell: 'posix' }, { knownHosts: lab.knownHosts });
}

/** Where a host's proxy VM is (as DCoD's overlay finds it: its UUID and LAN MAC, read over `ssh`). */
async function proxyTarget(lab: Lab, host: string, ssh: HostRunner): Promise<ProxyTarget> {
  const res = await ssh.run(['VBoxManage', ...showVmInfo(proxyVmName(lab.dc))]);
  const vm = parseShowVmInfo(res.stdout);
  const mac = vm.nics.find((n) => n.slot === UNDERLAY_SLOT)?.mac;
  if (res.code !== 0 || mac === undefined) throw new Error(`no proxy on ${host}: ${res.stderr}`);
  return { host, hostAddress: lab.info.hosts.find((h) => h.name === host)!.address, vmUuid: vm.uuid, underlayMac: mac };
}

/** A new connection into a host's proxy (patient: it may still be booting). */
function connectProxy(lab: Lab, target: ProxyTarget): Promise<SshRunner> {
  return proxyRunner(target, { key: lab.key, knownHostsDir: path.join(lab.dir, 'bench-proxy-known-hosts'), patient: true });
}

interface Measured {
  readonly ms: number;
  /** The critical path of work on the hosts themselves: per level, the slowest target. */
  readonly hostMs: number;
  readonly execs: number;
}

/** DCoD's engine over one persistent SSH connection per host and proxy (what the service gives it), journal included. */
async function dcodApply(lab: Lab, plan: Plan, journalFile: string): Promise<Measured> {
  let levelHostMs = 0;
  let hostTotal = 0;
  let inFlight = 0;
  const opened: HostRunner[] = [];
  /** Levels are barriers: the first exec after none in flight starts a new level. */
  const measured = (runner: HostRunner): HostRunner => {
    opened.push(runner);
    const t = timedRunner(runner, (ms) => (levelHostMs = Math.max(levelHostMs, ms)));
    return {
      ...t,
      exec: async (line, opts) => {
        if (inFlight++ === 0) {
          hostTotal += levelHostMs;
          levelHostMs = 0;
        }
        try {
          return await t.exec(line, opts);
        } finally {
          inFlight--;
        }
      },
    };
  };
  const connections = new Map<string, SshRunner>();
  const runners = new Map<string, HostRunner>();
  for (const name of HOSTS) {
    const ssh = await hostRunner(lab, name);
    await ssh.run(['true']); // connected before the clock starts, as the pool is after a plan
    connections.set(name, ssh);
    runners.set(name, measured(ssh));
  }
  const proxies = new Map<string, Promise<HostRunner>>();
  const journal = await JournalWriter.open(journalFile);
  try {
    const run = await timed(() =>
      applyPlan(plan, {
        planId: 'bench',
        docVersion: 'bench',
        journal,
        runnerFor: async (h) => runners.get(h)!,
        // Like the overlay service: the proxy is looked up over the host's connection once it is needed,
        // then its own connection kept.
        runnerForProxy: (h) => proxies.get(h) ?? proxies.set(h, proxyTarget(lab, h, connections.get(h)!).then((t) => connectProxy(lab, t)).then(measured)).get(h)!,
      }),
    );
    if (!run.value.ok) throw new Error(`DCoD's apply failed: ${JSON.stringify(run.value.outcomes.filter((o) => o.state !== 'done'))}`);
    return { ms: run.ms, hostMs: hostTotal + levelHostMs, execs: run.value.execs };
  } finally {
    await journal.close();
    await Promise.all(opened.map((r) => r.close()));
  }
}

/**
 * The baseline: the plan's commands in DAG order, one at a time per host, a new connection for each. A
 * proxy's commands go to the proxy over a new connection each too, found once by a `showvminfo` on its
 * host (not counted, as DCoD's isn't).
 */
async function baseline(lab: Lab, plan: Plan): Promise<Measured> {
  let execs = 0;
  let hostTotal = 0;
  const proxies = new Map<string, ProxyTarget>();
  const connect = async (target: Target): Promise<HostRunner> => {
    if (target.kind === 'host') return hostRunner(lab, target.host);
    let found = proxies.get(target.host);
    if (!found) {
      const ssh = await hostRunner(lab, target.host);
      found = await proxyTarget(lab, target.host, ssh).finally(() => ssh.close());
      proxies.set(target.host, found);
    }
    return connectProxy(lab, found);
  };
  const start = performance.now();
  for (const level of levels(plan)) {
    const perHost = await Promise.all(
      HOSTS.map(async (name) => {
        let ms = 0;
        for (const op of level.filter((o) => o.target.host === name)) {
          for (const argv of op.commands) {
            const runner = timedRunner(await connect(op.target), (t) => (ms += t));
            execs++;
            try {
              const res = await runner.run(argv);
              if (res.code !== 0) throw new Error(`baseline: ${argv.join(' ').slice(0, 200)} failed on ${op.target.kind} ${name}: ${res.stderr}`);
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

/** What one VBoxManage call costs on a lab host, on its own clock: the median of 10 in a row. */
async function vboxmanageCallMs(lab: Lab): Promise<number> {
  const ssh = await hostRunner(lab, HOSTS[0]);
  try {
    const res = await ssh.exec('for i in 1 2 3 4 5 6 7 8 9 10; do t0=$(date +%s%N); VBoxManage list vms >/dev/null; echo $(($(date +%s%N) - t0)); done');
    return median(res.stdout.trim().split('\n').map((ns) => Number(ns) / 1e6));
  } finally {
    await ssh.close();
  }
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

await benchInLab({ name: 'bap', hosts: HOSTS.length, cidr: '198.18.31.0/24' }, async (info) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dcod-bench-apply-'));
  const core = await createService({ paths: { inventory: path.join(dir, 'inventory.yaml'), knownHosts: path.join(dir, 'known_hosts') } });
  const client = inProcessClient(core);
  try {
    for (const name of HOSTS) {
      const h = info.hosts.find((x) => x.name === name)!;
      await client.call('hosts.add', { name, address: h.address, port: h.port, os: 'linux', user: info.user, auth: { method: 'key', keyFile: info.keyPath } });
    }
    const file = path.join(dir, 'datacenter.yaml');
    const doc = threeHostDocument('bench');
    await writeFile(file, stringify(doc));
    // The core's own overlay key (same config dir), so the proxies it plans let the bench in.
    const lab: Lab = { info, knownHosts: await KnownHosts.open(undefined), key: await loadOrCreateOverlayKey(dir), dir, dc: doc.metadata.name };

    const ours: Measured[] = [];
    const theirs: Measured[] = [];
    const callMs: number[] = [];
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
      callMs.push(await vboxmanageCallMs(lab));
    }

    const m = (xs: Measured[], f: (x: Measured) => number) => median(xs.map(f));
    const [a, b] = [m(ours, (x) => x.ms), m(theirs, (x) => x.ms)];
    const [ha, hb] = [m(ours, (x) => x.hostMs), m(theirs, (x) => x.hostMs)];
    const [oa, ob] = [m(ours, (x) => x.ms - x.hostMs), m(theirs, (x) => x.ms - x.hostMs)];
    const operations = plan?.operations.length ?? 0;
    const commands = plan?.operations.reduce((n, o) => n + o.commands.length, 0) ?? 0;
    const busiest = Math.max(...HOSTS.map((h) => plan?.operations.filter((o) => o.target.kind === 'host' && o.target.host === h).reduce((n, o) => n + o.commands.length, 0) ?? 0));
    const call = median(callMs);
    // Every simulated VBoxManage call is a CPU-bound process on this machine's cores, for both sides: no
    // apply can take less wall time than their CPU time spread over all cores.
    const vboxCalls = plan?.operations.reduce((n, o) => n + o.commands.filter((c) => c[0] === 'VBoxManage').length, 0) ?? 0;
    const floor = (vboxCalls * call) / os.availableParallelism();
    printRows(`apply: ${HOSTS.length} hosts, 12 VMs, 4 switches, 4 volumes, 3 proxies from empty (${operations} operations, ${commands} commands), median of ${RUNS}`, [
      { figure: 'wall time', dcod: `${a.toFixed(0)} ms`, baseline: `${b.toFixed(0)} ms (new SSH connection per command)`, ratio: `${(b / a).toFixed(1)}x faster`, goal: '>= 10x faster' },
      { figure: 'work on the hosts (critical path)', dcod: `${ha.toFixed(0)} ms (operations side by side)`, baseline: `${hb.toFixed(0)} ms (one at a time)`, ratio: `${(hb / ha).toFixed(1)}x less`, goal: '' },
      { figure: 'wall time above that work', dcod: `${oa.toFixed(0)} ms`, baseline: `${ob.toFixed(0)} ms`, ratio: `${(ob / Math.max(oa, 1)).toFixed(1)}x less`, goal: '>= 10x less' },
      { figure: 'SSH execs', dcod: `${ours[0]?.execs ?? 0} (one per target and level)`, baseline: `${theirs[0]?.execs ?? 0} over as many connections`, goal: '1 per target and level' },
      { figure: 'one VBoxManage call (simulated)', dcod: `${call.toFixed(0)} ms; ${busiest} calls on the busiest host`, baseline: 'the same', goal: '' },
      { figure: 'least wall time possible here', dcod: `${floor.toFixed(0)} ms: ${vboxCalls} VBoxManage calls × ${call.toFixed(0)} ms ÷ ${os.availableParallelism()} cores`, baseline: '', ratio: `${(b / floor).toFixed(1)}x at best`, goal: '' },
    ]);
  } finally {
    await core.close();
    await rm(dir, { recursive: true, force: true });
  }
});
