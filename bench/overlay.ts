/**
 * bench/overlay: TCP throughput (iperf3, 10 s) between two guests on different hosts over the overlay
 * (their NICs on switch a: internal network → proxy → VxLAN over the LAN → proxy → internal network),
 * beside the same two guests over one plain bridge (a second NIC of each, bridged to the LAN: no proxy,
 * no VxLAN), alternating in the same run. Goal: >= 90%. Run: `npm run bench:overlay` (as root).
 *
 * In the lab every hop is a veth pair into a Linux bridge, all of it softirq work on the machine's cores.
 * One way the overlay crosses 7 of them where the plain bridge crosses 3 (guest → internal-network bridge
 * → proxy NIC → proxy bridge → VxLAN → proxy LAN NIC → host bridge → LAN → … and back out the same way).
 * So the bench also measures that hop count alone: two namespaces joined by a chain of 7 bridges beside a
 * chain of 3, nothing else — no VxLAN, no proxy, nothing DCoD configures. Where the overlay's ratio is
 * near the chains', the gap is the lab's hop count, not the overlay's datapath.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { observeHost } from '../src/hosts/observe';
import { doc } from '../src/model/document.testkit';
import { createGuest, openOverlayLab, reconcile, wipe, type OverlayLab } from '../e2e/overlay/driver';
import { benchInLab, median, printRows } from './support';

const SECONDS = 10;
const RUNS = 5;

const DC = doc({
  name: 'bench',
  switches: [{ name: 'a', vni: 5001, subnet: '10.0.1.0/24', dhcp: true }],
  vms: [
    { name: 'g1', nics: [{ switch: 'a' }, { bridged: true }] },
    { name: 'g2', nics: [{ switch: 'a' }, { bridged: true }] },
  ],
});
const PLACEMENT = new Map([
  ['g1', 'h1'],
  ['g2', 'h2'],
]);

async function guestNs(ol: OverlayLab, vm: string): Promise<string> {
  const host = PLACEMENT.get(vm)!;
  const seen = await observeHost(host, ol.hosts.get(host)!.runner);
  const uuid = seen.vms.find((v) => v.name === vm)!.uuid;
  return `${ol.lab.name}-${host}-${uuid.replace(/-/g, '').slice(0, 8)}`;
}

function ipv4(ns: string, dev: string): string | undefined {
  const out = spawnSync('ip', ['-n', ns, '-j', '-4', 'addr', 'show', 'dev', dev], { encoding: 'utf8' }).stdout;
  return (JSON.parse(out || '[]') as { addr_info: { local: string }[] }[])[0]?.addr_info[0]?.local;
}

async function lease(ns: string, dev: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const a = ipv4(ns, dev);
    if (a) return a;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`no address on ${dev} in ${ns}`);
}

/**
 * Two namespaces `<lab>-hc<n>a` and `<lab>-hc<n>z` joined through `n` bridges, each in a namespace of its
 * own (as each host and proxy is), over veth pairs: the hops of a path with nothing else on it. Named from
 * the lab, so its `down` removes them. Returns the client's namespace, the server's and its address.
 */
function hopChain(lab: string, n: number): { client: string; server: string; address: string } {
  const ns = (x: string) => `${lab}-hc${n}${x}`;
  const ip = (...argv: string[]) => {
    const r = spawnSync('ip', argv, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`ip ${argv.join(' ')}: ${r.stderr}`);
  };
  const bridges = Array.from({ length: n }, (_, i) => ns(`b${i}`));
  const [client, server] = [ns('a'), ns('z')];
  for (const name of [client, ...bridges, server]) {
    ip('netns', 'add', name);
    ip('-n', name, 'link', 'set', 'lo', 'up');
  }
  for (const b of bridges) {
    ip('-n', b, 'link', 'add', 'sw', 'type', 'bridge', 'stp_state', '0');
    ip('-n', b, 'link', 'set', 'sw', 'up');
  }
  // Link i joins hop i to hop i+1 (hop 0 the client, hop n+1 the server); a bridge's ends are its ports.
  const hops = [client, ...bridges, server];
  for (let i = 0; i + 1 < hops.length; i++) {
    ip('link', 'add', `l${i}a`, 'netns', hops[i]!, 'type', 'veth', 'peer', 'name', `l${i}b`, 'netns', hops[i + 1]!);
    for (const [dev, at] of [[`l${i}a`, i], [`l${i}b`, i + 1]] as const) {
      const where = hops[at]!;
      if (where !== client && where !== server) ip('-n', where, 'link', 'set', dev, 'master', 'sw');
      ip('-n', where, 'link', 'set', dev, 'up');
    }
  }
  const address = `10.254.${n}.2`;
  ip('-n', client, 'addr', 'add', `10.254.${n}.1/24`, 'dev', 'l0a');
  ip('-n', server, 'addr', 'add', `${address}/24`, 'dev', `l${n}b`);
  return { client, server, address };
}

/**
 * Gbit/s received by the server, one iperf3 run from `client` to `server` at `address`. Both ends run on
 * CPU 0, and with them the softirq work of every hop (a veth delivers on the sending CPU): the figure is
 * what one core can push through the path. Left to the scheduler, the same path gave 26 or 63 Gbit/s
 * from one run to the next, as the ends and the softirq work fell on one core or split over both.
 */
function iperf(client: string, server: string, address: string): number {
  const srv = spawnSync('ip', ['netns', 'exec', server, 'iperf3', '-s', '-1', '-D', '-B', address, '-A', '0'], { encoding: 'utf8' });
  if (srv.status !== 0) throw new Error(`iperf3 server: ${srv.stderr}`);
  spawnSync('sleep', ['0.5']);
  const r = spawnSync('ip', ['netns', 'exec', client, 'iperf3', '-c', address, '-t', String(SECONDS), '-J', '-A', '0'], { encoding: 'utf8', timeout: (SECONDS + 20) * 1000 });
  if (r.status !== 0) throw new Error(`iperf3 to ${address}: ${r.stdout.slice(-500)}${r.stderr}`);
  return (JSON.parse(r.stdout) as { end: { sum_received: { bits_per_second: number } } }).end.sum_received.bits_per_second / 1e9;
}

await benchInLab({ name: 'bov', hosts: 2, cidr: '198.18.41.0/24' }, async () => {
  const ol = await openOverlayLab();
  try {
    await wipe(ol, DC.metadata.name);
    for (const [vm, host] of PLACEMENT) await createGuest(ol, DC, vm, host);
    await reconcile(ol, DC, PLACEMENT);
    const [g1, g2] = [await guestNs(ol, 'g1'), await guestNs(ol, 'g2')];
    const overlay = await lease(g2, 'nic1');
    const plain = await lease(g2, 'nic2');
    await lease(g1, 'nic1');
    await lease(g1, 'nic2');
    const [long, short] = [hopChain(ol.lab.name, 7), hopChain(ol.lab.name, 3)];
    const ours: number[] = [];
    const base: number[] = [];
    const longRuns: number[] = [];
    const shortRuns: number[] = [];
    const loadBefore = os.loadavg()[0]!;
    // Alternating, so all see the same machine load.
    for (let i = 0; i < RUNS; i++) {
      ours.push(iperf(g1, g2, overlay));
      base.push(iperf(g1, g2, plain));
      longRuns.push(iperf(long.client, long.server, long.address));
      shortRuns.push(iperf(short.client, short.server, short.address));
    }
    // The lab shares the machine's cores with whatever else runs: each overlay run is compared with the
    // plain run right after it, and the median of those ratios is the figure.
    const ratio = median(ours.map((x, i) => x / base[i]!));
    // The machine's other work decides how much CPU the softirq chain gets: the figures mean little without it.
    const load = `load average ${loadBefore.toFixed(1)} → ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`;
    printRows(`overlay: iperf3 TCP ${SECONDS} s, guest on h1 → guest on h2, ${RUNS} paired runs, ${load}`, [
      { figure: 'throughput (median)', dcod: `${median(ours).toFixed(2)} Gbit/s (VxLAN via proxies, MTU 1450)`, baseline: `${median(base).toFixed(2)} Gbit/s (same guests, plain LAN bridge, MTU 1500)`, ratio: `${(ratio * 100).toFixed(0)}% (median of paired ratios)`, goal: '>= 90%' },
      { figure: 'all runs (Gbit/s)', dcod: ours.map((x) => x.toFixed(2)).join(' '), baseline: base.map((x) => x.toFixed(2)).join(' '), goal: '' },
      {
        figure: 'the hop count alone',
        dcod: `${median(longRuns).toFixed(2)} Gbit/s (chain of 7 bridges: ${longRuns.map((x) => x.toFixed(1)).join(' ')})`,
        baseline: `${median(shortRuns).toFixed(2)} Gbit/s (chain of 3: ${shortRuns.map((x) => x.toFixed(1)).join(' ')})`,
        ratio: `${(median(longRuns.map((x, i) => x / shortRuns[i]!)) * 100).toFixed(0)}%`,
        goal: 'reference',
      },
    ]);
    await wipe(ol, DC.metadata.name);
  } finally {
    await ol.close();
  }
});
