/**
 * Merging live captures into one time-ordered stream. Each source delivers its packets in time order,
 * but the sources arrive independently: a packet may be written once every live source has shown a
 * later one (nothing earlier can still come), or once it has waited `holdMs` on the laptop — so a quiet
 * source, or a proxy whose clock is off, delays the file by at most that and never stalls it.
 */
export interface Timed {
  readonly sec: number;
  readonly nsec: number;
}

interface Queued<T> {
  readonly item: T;
  readonly arrived: number;
}

const before = (a: Timed, b: Timed): boolean => a.sec < b.sec || (a.sec === b.sec && a.nsec < b.nsec);

export class TimeMerger<T extends Timed> {
  private readonly queues = new Map<number, Queued<T>[]>();
  private readonly ended = new Set<number>();

  constructor(private readonly holdMs: number) {}

  push(source: number, item: T, arrived: number): void {
    (this.queues.get(source) ?? this.queues.set(source, []).get(source)!).push({ item, arrived });
  }

  /** A source that will send nothing more is no longer waited for. */
  end(source: number): void {
    this.ended.add(source);
    if (!this.queues.has(source)) this.queues.set(source, []);
  }

  /** A source known to exist before its first packet is waited for from the start. */
  expect(source: number): void {
    if (!this.queues.has(source)) this.queues.set(source, []);
  }

  /** The packets that can be written now, in time order. */
  take(now: number): { source: number; item: T }[] {
    return this.emit((head, allHave) => allHave || head.arrived <= now - this.holdMs);
  }

  /** Everything left, in time order (the capture is over). */
  drain(): { source: number; item: T }[] {
    return this.emit(() => true);
  }

  private emit(ready: (head: Queued<T>, allHave: boolean) => boolean): { source: number; item: T }[] {
    const out: { source: number; item: T }[] = [];
    for (;;) {
      let best: number | undefined;
      let allHave = true;
      for (const [source, q] of this.queues) {
        const head = q[0];
        if (!head) {
          if (!this.ended.has(source)) allHave = false;
          continue;
        }
        if (best === undefined || before(head.item, this.queues.get(best)![0]!.item)) best = source;
      }
      if (best === undefined) return out;
      const q = this.queues.get(best)!;
      if (!ready(q[0]!, allHave)) return out;
      out.push({ source: best, item: q.shift()!.item });
    }
  }
}
