import { describe, expect, it } from 'vitest';
import { RollingHistory } from './history';

describe('RollingHistory', () => {
  it('keeps the last `capacity` ticks; a series not written in a tick is a gap there', () => {
    const h = new RollingHistory(['rx', 'tx'] as const, 3);
    for (let i = 0; i < 5; i++) {
      h.tick(1000 * i);
      if (i !== 3) h.set('a', { rx: i, tx: i * 10 });
      if (i === 4) h.set('b', { rx: 7 });
    }
    const w = h.window(60, ['a', 'b', 'missing']);
    expect(w.t).toEqual([2000, 3000, 4000]);
    expect(w.series.get('a')).toEqual({ rx: [2, null, 4], tx: [20, null, 40] });
    expect(w.series.get('b')).toEqual({ rx: [null, null, 7], tx: [null, null, null] });
    expect(w.series.get('missing')).toEqual({ rx: [null, null, null], tx: [null, null, null] });
  });

  it('gives only the ticks within the window, and forgets series silent for a whole capacity', () => {
    const h = new RollingHistory(['v'] as const, 4);
    h.tick(0);
    h.set('old', { v: 1 });
    for (let i = 1; i <= 8; i++) h.tick(i * 1000);
    expect(h.keys()).toEqual([]);
    expect(h.window(2, []).t).toEqual([6000, 7000, 8000]);
  });
});
