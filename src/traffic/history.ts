/**
 * The rolling in-memory history behind the charts: one sample per tick for every series, kept for a
 * fixed number of ticks (15 minutes at 1 Hz by default). Ring buffers of Float32 — 900 points of a
 * 6-field series are 21 KB — and a series that was not written in a tick reads as a gap (null) there,
 * without the tick having to visit every series.
 */
export interface Window<F extends string> {
  /** Tick times (epoch ms), oldest first. */
  readonly t: readonly number[];
  /** Per series asked for: per field, one value per tick, null where it was not known. */
  readonly series: ReadonlyMap<string, Readonly<Record<F, readonly (number | null)[]>>>;
}

interface Series {
  readonly data: Float32Array;
  /** The tick number each slot was written in; a slot is only valid for that tick. */
  readonly stamp: Float64Array;
  last: number;
}

export class RollingHistory<F extends string> {
  private readonly times: Float64Array;
  private readonly ticks: Float64Array;
  private tickNo = -1;
  private readonly series = new Map<string, Series>();

  constructor(
    private readonly fields: readonly F[],
    readonly capacity: number,
  ) {
    this.times = new Float64Array(capacity);
    this.ticks = new Float64Array(capacity).fill(-1);
  }

  /** Starts the tick of time `t` (epoch ms, increasing); series written from now on belong to it. */
  tick(t: number): void {
    this.tickNo++;
    const pos = this.tickNo % this.capacity;
    this.times[pos] = t;
    this.ticks[pos] = this.tickNo;
    // A series silent for a whole window holds nothing any more.
    if (pos === 0) for (const [key, s] of this.series) if (this.tickNo - s.last >= this.capacity) this.series.delete(key);
  }

  set(key: string, values: Readonly<Partial<Record<F, number>>>): void {
    if (this.tickNo < 0) return;
    let s = this.series.get(key);
    if (!s) this.series.set(key, (s = { data: new Float32Array(this.capacity * this.fields.length), stamp: new Float64Array(this.capacity).fill(-1), last: this.tickNo }));
    const pos = this.tickNo % this.capacity;
    s.stamp[pos] = this.tickNo;
    s.last = this.tickNo;
    this.fields.forEach((f, i) => (s.data[pos * this.fields.length + i] = values[f] ?? Number.NaN));
  }

  keys(): string[] {
    return [...this.series.keys()];
  }

  /** The ticks of the last `seconds` before the newest one, and the asked-for series over them. */
  window(seconds: number, keys: readonly string[]): Window<F> {
    const count = Math.min(this.tickNo + 1, this.capacity);
    const newest = this.tickNo < 0 ? 0 : this.times[this.tickNo % this.capacity]!;
    const slots: number[] = [];
    for (let k = this.tickNo - count + 1; k <= this.tickNo; k++) {
      const pos = k % this.capacity;
      if (this.times[pos]! >= newest - seconds * 1000) slots.push(pos);
    }
    const series = new Map<string, Record<F, (number | null)[]>>();
    for (const key of keys) {
      const s = this.series.get(key);
      const rec = {} as Record<F, (number | null)[]>;
      this.fields.forEach((f, i) => {
        rec[f] = slots.map((pos) => {
          if (!s || s.stamp[pos] !== this.ticks[pos]) return null;
          const v = s.data[pos * this.fields.length + i]!;
          return Number.isNaN(v) ? null : v;
        });
      });
      series.set(key, rec);
    }
    return { t: slots.map((pos) => this.times[pos]!), series };
  }
}
