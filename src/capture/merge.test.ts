import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimeMerger } from './merge';

const p = (sec: number, nsec = 0) => ({ sec, nsec });

describe('TimeMerger', () => {
  it('writes a packet once every live source has shown a later one', () => {
    const m = new TimeMerger<{ sec: number; nsec: number }>(500);
    m.expect(0);
    m.expect(1);
    m.push(0, p(1), 0);
    m.push(0, p(3), 0);
    expect(m.take(10)).toEqual([]); // source 1 could still send something earlier
    m.push(1, p(2), 10);
    expect(m.take(10).map((x) => x.item.sec)).toEqual([1, 2]);
    m.end(1);
    expect(m.take(10).map((x) => x.item.sec)).toEqual([3]);
  });

  it('writes a packet that waited holdMs even if a source stays quiet', () => {
    const m = new TimeMerger<{ sec: number; nsec: number }>(500);
    m.expect(0);
    m.expect(1);
    m.push(0, p(5, 1), 1000);
    expect(m.take(1499)).toEqual([]);
    expect(m.take(1500)).toEqual([{ source: 0, item: p(5, 1) }]);
  });

  it('drains sorted sources into one sorted stream, losing nothing', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.nat({ max: 1000 }), { maxLength: 20 }), { minLength: 1, maxLength: 4 }), (sources) => {
        const m = new TimeMerger<{ sec: number; nsec: number }>(500);
        sources.forEach((times, s) => [...times].sort((a, b) => a - b).forEach((t) => m.push(s, p(t), 0)));
        const got = [...m.take(0), ...m.drain()].map((x) => x.item.sec);
        expect(got).toEqual(sources.flat().sort((a, b) => a - b));
      }),
    );
  });
});
