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

/** Keeps the tally and turns it into progress events, at most every `everyMs`. */
export class ProgressMeter {
  private done = 0;
  private total = 0;
  private readonly started = Date.now();
  private last = 0;

  constructor(private readonly operation: BundleProgress['operation'], private readonly emit: (p: BundleProgress) => void, private readonly everyMs = 250) {}

  expect(bytes: number): void {
    this.total += bytes;
  }

  add(bytes: number, phase: BundleProgress['phase'], item?: string): void {
    this.done += bytes;
    if (Date.now() - this.last >= this.everyMs) this.report(phase, item);
  }

  report(phase: BundleProgress['phase'], item?: string): void {
    this.last = Date.now();
    const secs = Math.max((Date.now() - this.started) / 1000, 0.001);
    const rate = this.done / secs;
    const left = Math.max(this.total - this.done, 0);
    this.emit({ operation: this.operation, phase, ...(item ? { item } : {}), doneBytes: this.done, totalBytes: Math.max(this.total, this.done), bytesPerSecond: Math.round(rate), etaSeconds: this.total > 0 && rate > 0 ? Math.round(left / rate) : null });
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
