import { describe, expect, it } from 'vitest';
import { ProgressMeter, type BundleProgress } from './progress';

/** A meter on a clock the test sets (`at(ms)`), reporting at most every 250 ms, and what it reported. */
function meter(totalBytes: number) {
  let now = 0;
  const events: BundleProgress[] = [];
  const m = new ProgressMeter('export', (p) => events.push(p), 250, () => now);
  m.expect(totalBytes);
  return { m, events, at: (ms: number) => void (now = ms) };
}

describe('ProgressMeter', () => {
  it('reckons the rate and time left from the last seconds, not from a start spent waiting', () => {
    const { m, events, at } = meter(100 << 20);
    at(60_000); // a minute of VBoxManage export before the first byte
    m.report('exporting', 'web1');
    for (let s = 1; s <= 12; s++) {
      at(60_000 + s * 1000);
      m.add(5 << 20, 'downloading', 'vms/web1.ova');
    }
    const last = events.at(-1)!;
    expect(last.bytesPerSecond).toBe(5 << 20);
    expect(last.etaSeconds).toBe(8); // 40 MiB left at 5 MiB/s
  });

  it('counts skipped bytes as done but not as moved', () => {
    const { m, events, at } = meter(30 << 20);
    at(2000);
    m.skip(20 << 20, 'downloading', 'vms/db1.ova');
    expect(events.at(-1)).toMatchObject({ doneBytes: 20 << 20, bytesPerSecond: 0, etaSeconds: null });
    at(4000);
    m.add(2 << 20, 'downloading', 'vms/web1.ova');
    expect(events.at(-1)).toMatchObject({ doneBytes: 22 << 20, bytesPerSecond: 1 << 20, etaSeconds: 8 });
  });

  it('reports the last bytes at once, however soon after the previous report', () => {
    const { m, events, at } = meter(3 << 20);
    at(1000);
    m.add(1 << 20, 'downloading', 'vms/a.ova');
    at(1010);
    m.add(1 << 20, 'downloading', 'vms/a.ova'); // within 250 ms: not reported
    at(1020);
    m.add(1 << 20, 'downloading', 'vms/a.ova'); // the last: reported
    expect(events.map((e) => e.doneBytes)).toEqual([1 << 20, 3 << 20]);
    expect(events.at(-1)).toMatchObject({ totalBytes: 3 << 20, etaSeconds: 0 });
  });
});
