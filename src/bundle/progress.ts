/** How a bundle export or import reports itself: bytes, rate and time left, per phase and file. */
export interface BundleProgress {
  readonly operation: 'export' | 'import';
  readonly phase: 'reading' | 'exporting' | 'downloading' | 'verifying' | 'uploading' | 'importing' | 'done';
  /** The file or VM being worked on. */
  readonly item?: string;
  readonly doneBytes: number;
  /** Bytes known so far to be moved in all (grows during an export as each OVA's size becomes known). */
  readonly totalBytes: number;
  readonly bytesPerSecond: number;
  /** null while the total is not known yet. */
  readonly etaSeconds: number | null;
}

/** How far back the rate looks: long enough to smooth a link's jitter, short enough to follow its changes. */
const RATE_WINDOW_MS = 10_000;

/**
 * Keeps the tally and turns it into progress events, at most every `everyMs`. The rate (and so the time
 * left) is of the bytes moved in the last RATE_WINDOW_MS: measured from the start, it would count the
 * minutes VirtualBox spends writing an OVA before any byte moves, and promise a far later end.
 */
export class ProgressMeter {
  private done = 0;
  private total = 0;
  /** Bytes really moved, not skipped as already there: what the rate measures. */
  private moved = 0;
  private readonly started: number;
  private last = 0;
  private samples: { t: number; moved: number }[] = [];

  constructor(
    private readonly operation: BundleProgress['operation'],
    private readonly emit: (p: BundleProgress) => void,
    private readonly everyMs = 250,
    private readonly clock: () => number = Date.now,
  ) {
    this.started = clock();
  }

  expect(bytes: number): void {
    this.total += bytes;
  }

  /** Bytes moved; reported at most every `everyMs`, and at once when they are the last ones expected (the bar reaches its end). */
  add(bytes: number, phase: BundleProgress['phase'], item?: string): void {
    this.done += bytes;
    this.moved += bytes;
    if (this.clock() - this.last >= this.everyMs || (bytes > 0 && this.done === this.total)) this.report(phase, item);
  }

  /** Bytes that count as done without being moved (a file an earlier run left whole). */
  skip(bytes: number, phase: BundleProgress['phase'], item?: string): void {
    this.done += bytes;
    this.report(phase, item);
  }

  private rate(now: number): number {
    this.samples.push({ t: now, moved: this.moved });
    while (this.samples.length > 1 && this.samples[1]!.t <= now - RATE_WINDOW_MS) this.samples.shift();
    const first = this.samples[0]!;
    if (now - first.t >= 1000) return ((this.moved - first.moved) * 1000) / (now - first.t);
    return (this.moved * 1000) / Math.max(now - this.started, 1);
  }

  report(phase: BundleProgress['phase'], item?: string): void {
    const now = this.clock();
    this.last = now;
    const rate = this.rate(now);
    const left = Math.max(this.total - this.done, 0);
    this.emit({ operation: this.operation, phase, ...(item ? { item } : {}), doneBytes: this.done, totalBytes: Math.max(this.total, this.done), bytesPerSecond: Math.round(rate), etaSeconds: this.total > 0 && left === 0 ? 0 : this.total > 0 && rate > 0 ? Math.round(left / rate) : null });
  }
}

/** `1.5 GiB`: binary units, one decimal above bytes. */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

/** `1:11`: time left as minutes and seconds. */
export const formatEta = (seconds: number): string => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;

/** How far along a progress bar is, 0 to 1. */
export const doneFraction = (p: Pick<BundleProgress, 'doneBytes' | 'totalBytes'>): number => (p.totalBytes > 0 ? Math.min(p.doneBytes / p.totalBytes, 1) : 0);
