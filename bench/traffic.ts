/**
 * bench/traffic: the laptop's CPU while sampling 100 switches (VNIs) spread over 10 lab hosts at 1 Hz —
 * one streaming channel per host, frames parsed, rates, a snapshot and a history tick per second, the
 * snapshot serialised as if sent to the UI — beside the same sampling done the naive way (one exec per
 * host per second). Goal: < 5% of one core. Run: `npm run bench:traffic` (as root).
 *
 * Each host namespace gets what a proxy carrying 30 switches has: per VNI a bridge `dcod-br<vni>` with a
 * "VxLAN" port `dcod-vx<vni>` and a segment port (veths: the far side reads their counters the same).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { StreamingRunner } from '../src/hosts/runner';
import { quotePosix } from '../src/shell/quote';
import { KnownHosts } from '../src/ssh/known-hosts';
import { SshRunner } from '../src/ssh/ssh-runner';
import { TrafficMonitor } from '../src/traffic/monitor';
import { samplerScript, type SamplerSpec } from '../src/traffic/sampler-script';
import { NAMING } from '../src/traffic/traffic-service';
import type { TrafficTargets } from '../src/traffic/targets';
import { benchInLab, printRows } from './support';

const HOSTS = 10;
const VNIS = 100;
/** Each switch is carried by this many hosts: 100 × 3 / 10 = 30 switches per host. */
const SPREAD = 3;
const WARMUP_S = 8;
const MEASURE_S = 60;
const BASELINE_S = 20;

/** Which hosts carry VNI v (1-based host numbers). */
const carriers = (v: number): number[] => Array.from({ length: SPREAD }, (_, i) => ((v + i * 3) % HOSTS) + 1);

/** CPU seconds used so far by every process in these namespaces, with their reaped children (/proc/<pid>/stat). */
function namespacesCpuS(netns: readonly string[]): number {
  let ticks = 0;
  for (const ns of netns) {
    for (const pid of execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).split('\n').filter(Boolean)) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        ticks += [11, 12, 13, 14].reduce((a, i) => a + Number(fields[i]), 0); // utime stime cutime cstime
      } catch {
        // gone meanwhile: its time is in its parent's cutime once reaped
      }
    }
  }
  return ticks / 100; // USER_HZ
}

/** This process's CPU over `seconds` as % of one core, and the far side's (all lab hosts together). */
function cpuPercentOver(seconds: number, hostNetns: readonly string[]): Promise<{ laptop: number; hosts: number }> {
  const start = process.cpuUsage();
  const far0 = namespacesCpuS(hostNetns);
  const t0 = performance.now();
  return new Promise((resolve) =>
    setTimeout(() => {
      const used = process.cpuUsage(start);
      const wall = performance.now() - t0;
      resolve({ laptop: ((used.user + used.system) / 1000 / wall) * 100, hosts: ((namespacesCpuS(hostNetns) - far0) * 1000 / wall) * 100 });
    }, seconds * 1000),
  );
}

await benchInLab({ name: 'btrf', hosts: HOSTS, cidr: '198.18.23.0/24' }, async (lab) => {
  const vniBase = 5000;
  for (const [i, h] of lab.hosts.entries()) {
    const mine = Array.from({ length: VNIS }, (_, k) => k + 1).filter((v) => carriers(v).includes(i + 1));
    const script = mine
      .flatMap((v) => {
        const vni = vniBase + v;
        // veth pairs: the kernel may have no dummy driver; the unenslaved ends (t, u) stay down.
        return [`link add ${NAMING.bridge(vni)} type bridge`, `link add ${NAMING.vxlan(vni)} type veth peer name u${vni}`, `link add s${vni} type veth peer name t${vni}`, `link set ${NAMING.vxlan(vni)} master ${NAMING.bridge(vni)} up`, `link set s${vni} master ${NAMING.bridge(vni)} up`, `link set ${NAMING.bridge(vni)} up`];
      })
      .join('\n');
    execFileSync('ip', ['-n', h.netns, '-batch', '-'], { input: `${script}\n` });
  }
  console.log(`${VNIS} VNIs on ${HOSTS} hosts, each carried by ${SPREAD} (${(VNIS * SPREAD) / HOSTS} per host, a bridge and two ports each)`);

  const knownHosts = await KnownHosts.open(undefined);
  const runners = new Map<string, SshRunner>(lab.hosts.map((h) => [h.name, new SshRunner({ host: h.address, port: h.port, username: lab.user, auth: { kind: 'password', password: lab.password }, shell: 'posix' }, { knownHosts })]));
  const spec: SamplerSpec = { devicePrefixes: [''], masterPrefix: NAMING.prefix, vms: [], vboxmanage: 'VBoxManage', intervalS: 1 };
  const targets: TrafficTargets = {
    datacenter: 'bench',
    switches: Array.from({ length: VNIS }, (_, k) => ({ vni: vniBase + k + 1, name: `s${k + 1}` })),
    nics: [],
    samplers: lab.hosts.map((h) => ({ id: `proxy:${h.name}`, kind: 'proxy' as const, host: h.name, spec })),
  };

  /** Samples with a monitor over the given runners; returns its CPU share and what it produced. */
  async function measure(runnerFor: (host: string) => StreamingRunner, seconds: number) {
    let bytesToUi = 0;
    let snapshots = 0;
    const monitor = new TrafficMonitor({
      runnerFor: async (t) => runnerFor(t.host),
      naming: NAMING,
      onSnapshot: (snap) => {
        bytesToUi += JSON.stringify(snap).length;
        snapshots++;
      },
    });
    await monitor.setTargets(targets);
    await new Promise((r) => setTimeout(r, WARMUP_S * 1000));
    const streaming = monitor.sources().filter((x) => x.state === 'streaming').length;
    if (streaming !== HOSTS) throw new Error(`only ${streaming} of ${HOSTS} samplers deliver: ${JSON.stringify(monitor.sources())}`);
    const [s0, b0] = [snapshots, bytesToUi];
    const cpu = await cpuPercentOver(seconds, lab.hosts.map((h) => h.netns));
    const last = monitor.snapshot()!;
    if (last.vnis.length !== VNIS || last.vnis.some((v) => v.hosts.length !== SPREAD)) throw new Error('the snapshot does not hold every VNI on every carrier');
    await monitor.stop();
    return { cpu, perSecond: (snapshots - s0) / seconds, uiKb: (bytesToUi - b0) / seconds / 1024 };
  }

  // The app's way: one streaming channel per host.
  const stream = await measure((h) => runners.get(h)!, MEASURE_S);
  // The naive way, through the very same monitor: a new exec per host every second running the loop's body once.
  const body = `${samplerScript(spec).split('\n').filter((l) => l.startsWith('  ')).join('\n')}\necho .`;
  const polling = (r: SshRunner): StreamingRunner => ({
    shell: r.shell,
    run: (argv, o) => r.run(argv, o),
    exec: (line, o) => r.exec(line, o),
    close: () => r.close(),
    execStream(_line, handlers) {
      const timer = setInterval(() => void r.exec(quotePosix(['sh', '-c', body])).then((res) => handlers.onStdout(Buffer.from(res.stdout)), () => undefined), 1000);
      let end!: () => void;
      const done = new Promise<{ code: number | null }>((resolve) => (end = () => resolve({ code: 0 })));
      return { done, stop: async () => (clearInterval(timer), end()) };
    },
  });
  const poll = await measure((h) => polling(runners.get(h)!), BASELINE_S);
  await Promise.all([...runners.values()].map((r) => r.close()));

  printRows(`bench/traffic: ${VNIS} VNIs over ${HOSTS} hosts at 1 Hz, ${MEASURE_S} s`, [
    { figure: 'laptop CPU, % of one core', dcod: `${stream.cpu.laptop.toFixed(2)}%`, baseline: `${poll.cpu.laptop.toFixed(2)}% (an exec per host per second)`, ratio: `${(stream.cpu.laptop / poll.cpu.laptop).toFixed(2)}x`, goal: '< 5%' },
    { figure: 'hosts CPU (all 10), % of one core', dcod: `${stream.cpu.hosts.toFixed(2)}%`, baseline: `${poll.cpu.hosts.toFixed(2)}%`, ratio: `${(stream.cpu.hosts / poll.cpu.hosts).toFixed(2)}x`, goal: '' },
    { figure: 'snapshots per second', dcod: stream.perSecond.toFixed(2), baseline: poll.perSecond.toFixed(2), goal: '1' },
    { figure: 'snapshot to the UI, KiB/s (JSON)', dcod: stream.uiKb.toFixed(1), baseline: poll.uiKb.toFixed(1), goal: '' },
  ]);
});
