import net from 'node:net';
import { Semaphore } from '../concurrency/semaphore';
import { parseBanner, type BannerInfo } from './banner';
import { addresses, type Ipv4Range } from './cidr';

export interface SweepHit extends BannerInfo {
  readonly address: string;
  readonly port: number;
}

export interface SweepOptions {
  readonly port?: number;
  /** Connections in flight at once. */
  readonly concurrency?: number;
  /** How long a silent address gets before it is taken as absent. */
  readonly connectTimeoutMs?: number;
  /** How long an open port gets to send its banner. */
  readonly bannerTimeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Called as each SSH server answers, so the UI can show hosts as they arrive. */
  readonly onHit?: (hit: SweepHit) => void;
}

/**
 * TCP-connects to the SSH port of every address in the ranges, with high concurrency and short timeouts,
 * and reads each server's banner. Addresses that refuse, time out or speak something other than SSH are
 * left out. Only the ranges given are touched: there is no default range.
 */
export async function sweep(ranges: readonly Ipv4Range[], opts: SweepOptions = {}): Promise<SweepHit[]> {
  const port = opts.port ?? 22;
  const sem = new Semaphore(opts.concurrency ?? 512);
  const hits: SweepHit[] = [];
  const probes: Promise<void>[] = [];
  for (const range of ranges) {
    for (const address of addresses(range)) {
      if (opts.signal?.aborted) break;
      probes.push(
        sem.use(async () => {
          if (opts.signal?.aborted) return;
          const info = await readBanner(address, port, opts.connectTimeoutMs ?? 800, opts.bannerTimeoutMs ?? 2000);
          if (!info) return;
          const hit = { address, port, ...info };
          hits.push(hit);
          opts.onHit?.(hit);
        }),
      );
    }
  }
  await Promise.all(probes);
  return hits.sort((a, b) => a.address.localeCompare(b.address, 'en', { numeric: true }));
}

/** Connects and reads the first line the server sends; undefined for anything but an SSH banner. */
export function readBanner(address: string, port: number, connectTimeoutMs: number, bannerTimeoutMs: number): Promise<BannerInfo | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port });
    let buffered = '';
    const done = (info: BannerInfo | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(info);
    };
    let timer = setTimeout(() => done(undefined), connectTimeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      timer = setTimeout(() => done(undefined), bannerTimeoutMs);
    });
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      // A server may send other lines before its identification string (RFC 4253 §4.2).
      for (const line of buffered.split('\n').slice(0, -1)) {
        if (line.startsWith('SSH-')) return done(parseBanner(line));
      }
      if (buffered.length > 8192) done(undefined);
    });
    socket.once('error', () => done(undefined));
    socket.once('close', () => done(undefined));
  });
}
