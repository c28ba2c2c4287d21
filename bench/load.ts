/**
 * bench/load: DCoD at the size issue #11 asks of it — 20 lab hosts, 50 VMs on each (1,000), 200 switches
 * — through the core's own API, in a lab of its own. It adds the hosts, refreshes the inventory, plans and
 * applies the document, and checks the result: a second plan is empty and every host has exactly its 50
 * VMs. Figures: inventory refresh time (of the 20 hosts, empty and then full), plan time (`plan.make`:
 * a refresh and the planner), apply wall time, and the core's peak RSS (the bench runs it in-process).
 * The VMs stay powered off: 1,000 running guests would be 1,000 network namespaces each running a DHCP
 * client on 2 cores; the 20 overlay proxies run (each host carries 12 switches, 2 shared with the next
 * host, so every switch spans hosts).
 * Run: `npm run bench:load` (as root; ~20 min on 2 cores). BENCH_LOAD_HOSTS / BENCH_LOAD_VMS make it smaller.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { inProcessClient } from '../src/api/client';
import { createService } from '../src/api/service';
import type { DatacenterInput } from '../src/model/document';
import { sshHost } from '../e2e/support/lab';
import { benchInLab, median, printRows, timed } from './support';

const HOSTS = Number(process.env.BENCH_LOAD_HOSTS ?? 20);
const VMS = Number(process.env.BENCH_LOAD_VMS ?? 50);
const SWITCHES = 10 * HOSTS;
/** Switches each host's VMs use: its own 10, and the first 2 of the next host's. */
const PER_HOST = 12;
const RUNS = 3;

function loadDocument(hosts: readonly string[]): DatacenterInput {
  const vms = hosts.flatMap((host, k) =>
    Array.from({ length: VMS }, (_, j) => ({
      name: `l${k + 1}-vm${j + 1}`,
      memoryMb: 64,
      power: 'stopped' as const,
      nics: [{ switch: `lsw${((k * 10 + (j % PER_HOST)) % SWITCHES) + 1}` }],
      host,
    })),
  );
  return {
    apiVersion: 'dcod.dev/v1',
    kind: 'Datacenter',
    metadata: { name: 'load' },
    switches: Array.from({ length: SWITCHES }, (_, i) => ({ name: `lsw${i + 1}`, vni: 20_000 + i })),
    vms: vms.map(({ host: _host, ...vm }) => vm),
    placement: Object.fromEntries(vms.map((v) => [v.name, v.host])),
  };
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

await benchInLab({ name: 'ld', hosts: HOSTS, cidr: '198.18.57.0/24' }, async (lab) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dcod-bench-load-'));
  const core = await createService({ paths: { inventory: path.join(dir, 'inventory.yaml'), knownHosts: path.join(dir, 'known_hosts') } });
  const client = inProcessClient(core);
  const file = path.join(dir, 'datacenter.yaml');
  try {
    const hosts = lab.hosts.filter((h) => h.kind === 'virtualbox');
    for (const [i, h] of hosts.entries()) await client.call('hosts.add', { name: `h${i + 1}`, address: h.address, user: lab.user, auth: { method: 'key', keyFile: lab.keyPath } });
    const names = hosts.map((_, i) => `h${i + 1}`);
    const refresh = async (): Promise<number[]> => {
      const out: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const { ms, value } = await timed(() => client.call('hosts.refresh', {}));
        const bad = value.filter((o) => !o.reachable || o.error);
        if (bad.length) throw new Error(`refresh: ${bad.map((o) => `${o.host} (${o.error?.message ?? 'unreachable'})`).join(', ')}`);
        out.push(ms);
      }
      return out;
    };
    const emptyRefresh = await refresh();

    const doc = loadDocument(names);
    await writeFile(file, stringify(doc));
    console.log(`planning and applying ${doc.vms!.length} VMs, ${doc.switches!.length} switches on ${names.length} hosts…`);
    const plan = await timed(() => client.call('plan.make', { file }));
    const ops = plan.value.plan.operations.filter((o) => o.action !== 'noop').length;
    const apply = await timed(() => client.call('apply.run', { file, planId: plan.value.planId }));
    const failed = apply.value.outcomes.filter((o) => o.state !== 'done');
    if (failed.length) throw new Error(`apply: ${failed.length} operations not done, first: ${JSON.stringify(failed[0])}`);

    // Correct: nothing left to plan, each host has its VMs (and the datacenter's proxy).
    const plans: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const again = await timed(() => client.call('plan.make', { file }));
      const left = again.value.plan.operations.filter((o) => o.action !== 'noop');
      if (left.length) throw new Error(`the plan after the apply is not empty: ${left.slice(0, 5).map((o) => o.summary).join('; ')} (${left.length} in all)`);
      plans.push(again.ms);
    }
    for (const [i, h] of hosts.entries()) {
      const r = await sshHost(h, 'VBoxManage list vms');
      const vms = [...r.stdout.matchAll(/^"(.*)" \{/gm)].map((m) => m[1]!).filter((n) => n.startsWith(`l${i + 1}-`));
      if (vms.length !== VMS) throw new Error(`h${i + 1} has ${vms.length} of its ${VMS} VMs`);
    }
    const fullRefresh = await refresh();
    const rssMb = process.resourceUsage().maxRSS / 1024;

    printRows(`bench/load: ${names.length} hosts × ${VMS} VMs (powered off), ${SWITCHES} switches, ${names.length} proxies; medians of ${RUNS}`, [
      { figure: `inventory refresh, ${names.length} empty hosts`, dcod: secs(median(emptyRefresh)), baseline: '', goal: '' },
      { figure: `inventory refresh, ${names.length} × ${VMS} VMs`, dcod: secs(median(fullRefresh)), baseline: '', goal: '' },
      { figure: 'plan.make of the empty datacenter (refresh + plan)', dcod: `${secs(plan.ms)}, ${ops} operations`, baseline: '', goal: '' },
      { figure: 'apply wall time', dcod: `${secs(apply.ms)}, ${apply.value.execs} execs`, baseline: '', goal: '' },
      { figure: 'plan.make after the apply (refresh + plan): empty', dcod: secs(median(plans)), baseline: '', goal: '' },
      { figure: 'core peak RSS', dcod: `${rssMb.toFixed(0)} MiB`, baseline: '', goal: '' },
    ]);
  } finally {
    await core.close();
    await rm(dir, { recursive: true, force: true });
  }
});
