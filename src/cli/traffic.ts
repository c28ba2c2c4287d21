import type { Command } from 'commander';
import type { ApiClient, TrafficSnapshot } from '../api/contract';
import { DcodError } from '../errors';
import { averageSnapshots, type TrafficAverage } from '../traffic/average';
import { formatPerSecond, formatRate, type RateUnit } from '../traffic/units';
import { printJson, table, withClient } from './context';

/** How long to wait for every sampler to deliver before averaging with what there is. */
const WARMUP_LIMIT_MS = 20_000;

/**
 * Snapshots once the samplers have settled: no source still connecting for three intervals (a rate needs
 * two frames), then `seconds` of them.
 */
export async function collectSnapshots(client: ApiClient, seconds: number): Promise<{ snapshots: TrafficSnapshot[]; warnings: string[] }> {
  const snapshots: TrafficSnapshot[] = [];
  let settled = 0;
  const started = Date.now();
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  let collectingSince: number | undefined;
  const off = client.on('traffic.snapshot', (s) => {
    if (collectingSince === undefined) {
      // A failed source retries on its own schedule: waiting for it would only delay the others.
      const anyConnecting = s.sources.some((x) => x.state === 'connecting');
      settled = anyConnecting ? 0 : settled + 1;
      if (settled < 3 && Date.now() - started < WARMUP_LIMIT_MS) return;
      collectingSince = s.time;
    }
    snapshots.push(s);
    if (s.time - collectingSince >= seconds * 1000 - 1) done();
  });
  try {
    await finished;
  } finally {
    off();
  }
  const last = snapshots.at(-1);
  const warnings = (last?.sources ?? []).filter((x) => x.state !== 'streaming').map((x) => `${x.id}: ${x.state}${x.error ? `: ${x.error.message}` : ''}`);
  return { snapshots, warnings };
}

export function renderTraffic(avg: TrafficAverage, unit: RateUnit): string {
  const rate = (n: number | undefined) => (n === undefined ? '-' : formatRate(n, unit));
  const per = (n: number | undefined, what?: string) => (n === undefined ? '-' : formatPerSecond(n, what));
  const rows: string[][] = [['VNI', 'SWITCH', 'HOST', 'IN', 'OUT', 'PACKETS IN', 'TO REMOTE', 'FROM REMOTE', 'DROPS', 'ERRORS']];
  for (const v of avg.vnis) {
    rows.push([String(v.vni), v.switch, '(all)', rate(v.bytes), '', per(v.packets), '', '', per(v.drops, 'drops'), per(v.errors, 'err')]);
    for (const h of v.hosts) {
      rows.push(['', '', h.host, rate(h.bytesIn), rate(h.bytesOut), per(h.packetsIn), rate(h.bytesToRemote), rate(h.bytesFromRemote), per(h.drops, 'drops'), per(h.errors, 'err')]);
    }
  }
  const nics = [['VM', 'NIC', 'HOST', 'SWITCH', 'RECEIVED', 'SENT'], ...avg.nics.map((n) => [n.vm, String(n.slot), n.host, n.switch ?? (n.vni === undefined ? '-' : `vni-${n.vni}`), rate(n.rxBytes), rate(n.txBytes)])];
  const seconds = ((avg.to - avg.from) / 1000 + 1).toFixed(0);
  return `${avg.datacenter}: average over ${seconds} s (${avg.samples} samples)\n\n${table(rows)}\n${avg.nics.length ? table(nics) : 'no VM NIC counters (no running VM of the datacenter)\n'}`;
}

/** Keeps one switch, and the NICs on it. */
export function onlyVni(avg: TrafficAverage, vni: number): TrafficAverage {
  return { ...avg, vnis: avg.vnis.filter((v) => v.vni === vni), nics: avg.nics.filter((n) => n.vni === vni) };
}

export function registerTraffic(program: Command): void {
  program
    .command('traffic')
    .description("the datacenter's live traffic: rates per switch (VNI), host and VM NIC, averaged over a few seconds")
    .requiredOption('-f, --file <file>', 'the datacenter document (datacenter.yaml)')
    .option('--vni <n>', 'only this switch', (v) => Number.parseInt(v, 10))
    .option('--seconds <s>', 'how long to measure', (v) => Number.parseFloat(v), 5)
    .option('--bytes', 'show bytes per second instead of bits')
    .option('--json', 'print JSON (all rates in bytes or packets per second)')
    .action(async (opts: { file: string; vni?: number; seconds: number; bytes?: boolean; json?: boolean }, cmd: Command) =>
      withClient(cmd, async (client) => {
        if (!(opts.seconds > 0)) throw new DcodError('BAD_REQUEST', '--seconds must be a positive number');
        if (opts.vni !== undefined && !(opts.vni >= 1)) throw new DcodError('BAD_REQUEST', '--vni must be a VNI (1 to 16777215)');
        const status = await client.call('traffic.start', { file: opts.file });
        if (opts.vni !== undefined && !status.switches.some((s) => s.vni === opts.vni)) {
          throw new DcodError('NOT_FOUND', `datacenter ${status.datacenter} has no switch with VNI ${opts.vni}`);
        }
        const { snapshots, warnings } = await collectSnapshots(client, opts.seconds);
        await client.call('traffic.stop');
        for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
        const all = averageSnapshots(snapshots)!;
        const avg = opts.vni === undefined ? all : onlyVni(all, opts.vni);
        if (opts.json) return printJson(avg);
        process.stdout.write(renderTraffic(avg, opts.bytes ? 'bytes' : 'bits'));
      }),
    );
}
