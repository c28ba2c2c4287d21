/**
 * Counters into rates. Pure: the sampler feeds readings in, rates come out.
 *
 * - A counter that went down was reset (the device was recreated, the VM restarted, the host rebooted):
 *   its new value is taken as the delta from 0, and the rate is marked `reset` so a chart can show the gap.
 * - The far side's uptime going down is a reboot: every series of that source starts over.
 * - Readings further apart than `maxGapS` (a lost connection) give no rate: averaging across an outage
 *   would draw a flat line where nothing was known.
 */
import { COUNTER_NAMES, type Counters } from './counters';

export interface Reading {
  /** Seconds, on the far side's monotonic clock (its uptime), or the laptop's where it has none. */
  readonly t: number;
  readonly counters: Counters;
}

export interface Rate {
  readonly t: number;
  /** Seconds since the previous reading. */
  readonly dt: number;
  /** Each counter present in both readings, per second. */
  readonly perSecond: Counters;
  /** Some counter went down since the previous reading (see above). */
  readonly reset: boolean;
}

/** The rate between two readings of one series, or undefined when there is none to give. */
export function rateBetween(prev: Reading, next: Reading, maxGapS: number): Rate | undefined {
  const dt = next.t - prev.t;
  if (!(dt > 0) || dt > maxGapS) return undefined;
  const perSecond: Counters = {};
  let reset = false;
  for (const name of COUNTER_NAMES) {
    const a = prev.counters[name];
    const b = next.counters[name];
    if (a === undefined || b === undefined) continue;
    let delta = b - a;
    if (delta < 0) {
      reset = true;
      delta = b;
    }
    perSecond[name] = delta / dt;
  }
  return { t: next.t, dt, perSecond, reset };
}

/** The last reading of every series of every source, turning each new one into a rate. */
export class RateTracker {
  private readonly last = new Map<string, Map<string, Reading>>();
  private readonly uptime = new Map<string, number>();

  constructor(private readonly maxGapS: number) {}

  /**
   * Notes a source's uptime for the frame about to be fed; a smaller one than before means it rebooted
   * and forgets all its series. Returns whether it did.
   */
  frame(source: string, uptime: number | undefined): boolean {
    const before = this.uptime.get(source);
    if (uptime === undefined) return false;
    this.uptime.set(source, uptime);
    if (before === undefined || uptime >= before) return false;
    this.last.delete(source);
    return true;
  }

  update(source: string, series: string, reading: Reading): Rate | undefined {
    const bySeries = this.last.get(source) ?? this.last.set(source, new Map()).get(source)!;
    const prev = bySeries.get(series);
    bySeries.set(series, reading);
    return prev === undefined ? undefined : rateBetween(prev, reading, this.maxGapS);
  }

  /** Drops a source entirely (it is no longer sampled). */
  forget(source: string): void {
    this.last.delete(source);
    this.uptime.delete(source);
  }
}
