import type { Command } from 'commander';
import type { CaptureProgress } from '../api/contract';
import { DcodError, fromErrorInfo } from '../errors';
import { printJson, withClient } from './context';

export function captureSummary(p: CaptureProgress): string {
  const sources = p.sources.map((s) => `  ${s.name}: ${s.packets} packets, ${s.bytes} bytes${s.state === 'failed' ? ` — failed: ${s.error?.message ?? ''}` : ''}`);
  return `${p.file} (${p.format}): ${p.packets} packets, ${p.bytes} bytes on switch ${p.switch} (VNI ${p.vni})\n${sources.join('\n')}\n`;
}

export function registerCapture(program: Command): void {
  program
    .command('capture')
    .description('capture the packets of one switch on every proxy that carries it, merged into one pcap file (Ctrl-C stops it)')
    .requiredOption('-f, --file <file>', 'the datacenter document (datacenter.yaml)')
    .requiredOption('--vni <n>', 'the switch to capture', (v) => Number.parseInt(v, 10))
    .requiredOption('-o, --out <file>', 'where to write the capture (.pcapng for pcapng with one interface per proxy; otherwise pcap)')
    .option('--filter <bpf>', 'a BPF filter, as tcpdump takes it (e.g. "icmp or arp")')
    .option('--seconds <s>', 'stop after this long', (v) => Number.parseFloat(v))
    .option('--json', 'print the result as JSON')
    .action(async (opts: { file: string; vni: number; out: string; filter?: string; seconds?: number; json?: boolean }, cmd: Command) =>
      withClient(cmd, async (client) => {
        if (opts.seconds !== undefined && !(opts.seconds > 0)) throw new DcodError('BAD_REQUEST', '--seconds must be a positive number');
        let finished!: (p: CaptureProgress) => void;
        const ended = new Promise<CaptureProgress>((r) => (finished = r));
        let id: string | undefined;
        const off = client.on('capture.progress', (p) => {
          if (p.id === id && p.state !== 'capturing') finished(p);
        });
        const interrupt = () => void (id && client.call('capture.stop', { id }).then(finished));
        process.once('SIGINT', interrupt);
        try {
          const started = await client.call('capture.start', {
            file: opts.file,
            vni: opts.vni,
            out: opts.out,
            ...(opts.filter ? { filter: opts.filter } : {}),
            ...(opts.seconds === undefined ? {} : { seconds: opts.seconds }),
          });
          id = started.id;
          // It may have ended (every source failing at once) before its id was known here.
          const now = await client.call('capture.status', { id });
          if (now.state !== 'capturing') finished(now);
          if (!opts.json) process.stderr.write(`capturing switch ${started.switch} (VNI ${started.vni}) on ${started.sources.map((s) => s.name).join(', ')} into ${started.file}${opts.seconds === undefined ? ' — Ctrl-C stops' : ''}\n`);
          const result = await ended;
          if (opts.json) printJson(result);
          else process.stdout.write(captureSummary(result));
          if (result.state === 'failed') throw result.error ? fromErrorInfo(result.error) : new DcodError('COMMAND_FAILED', 'the capture failed');
        } finally {
          off();
          process.off('SIGINT', interrupt);
        }
      }),
    );
}
