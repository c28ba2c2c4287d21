import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RateTracker, rateBetween } from './rates';

describe('rateBetween', () => {
  it('divides each delta by the time between readings, for counters both readings have', () => {
    expect(rateBetween({ t: 10, counters: { rxBytes: 1000, txBytes: 50 } }, { t: 12, counters: { rxBytes: 3000, rxPackets: 4 } }, 5)).toEqual({
      t: 12,
      dt: 2,
      perSecond: { rxBytes: 1000 },
      reset: false,
    });
  });

  it('takes a counter that went down as counted from 0, and marks the reset', () => {
    expect(rateBetween({ t: 1, counters: { rxBytes: 9_000_000, txBytes: 10 } }, { t: 2, counters: { rxBytes: 500, txBytes: 20 } }, 5)).toEqual({
      t: 2,
      dt: 1,
      perSecond: { rxBytes: 500, txBytes: 10 },
      reset: true,
    });
  });

  it('gives nothing across a gap, or for readings out of order', () => {
    expect(rateBetween({ t: 1, counters: { rxBytes: 0 } }, { t: 20, counters: { rxBytes: 10 } }, 5)).toBeUndefined();
    expect(rateBetween({ t: 2, counters: { rxBytes: 0 } }, { t: 2, counters: { rxBytes: 10 } }, 5)).toBeUndefined();
  });

  it('never gives a negative or non-finite rate, whatever the counters do', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.double({ min: 0.01, max: 5, noNaN: true }), (a, b, dt) => {
        const r = rateBetween({ t: 100, counters: { txBytes: a } }, { t: 100 + dt, counters: { txBytes: b } }, 5)!;
        expect(r.perSecond.txBytes).toBeGreaterThanOrEqual(0);
        expect(Number.isFinite(r.perSecond.txBytes)).toBe(true);
        expect(r.reset).toBe(b < a);
      }),
    );
  });
});

describe('RateTracker', () => {
  it('rates each series against its own last reading; the first reading gives none', () => {
    const t = new RateTracker(5);
    t.frame('h1', 100);
    expect(t.update('h1', 'dev', { t: 100, counters: { rxBytes: 0 } })).toBeUndefined();
    t.frame('h1', 101);
    expect(t.update('h1', 'dev', { t: 101, counters: { rxBytes: 800 } })?.perSecond).toEqual({ rxBytes: 800 });
  });

  it('forgets a source that rebooted (its uptime went down), so no rate spans the reboot', () => {
    const t = new RateTracker(5);
    t.frame('h1', 5000);
    t.update('h1', 'dev', { t: 5000, counters: { rxBytes: 10_000 } });
    expect(t.frame('h1', 3)).toBe(true);
    expect(t.update('h1', 'dev', { t: 3, counters: { rxBytes: 20 } })).toBeUndefined();
    expect(t.frame('h1', 4)).toBe(false);
    expect(t.update('h1', 'dev', { t: 4, counters: { rxBytes: 120 } })?.perSecond).toEqual({ rxBytes: 100 });
  });
});
