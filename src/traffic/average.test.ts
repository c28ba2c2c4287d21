import { describe, expect, it } from 'vitest';
import { averageSnapshots } from './average';
import type { TrafficSnapshot } from './snapshot';

const snap = (time: number, bytes: number, h2?: number): TrafficSnapshot => ({
  datacenter: 'dc',
  time,
  intervalS: 1,
  vnis: [
    {
      vni: 100,
      switch: 'front',
      bytes: bytes + (h2 ?? 0),
      drops: 0,
      errors: 0,
      hosts: [{ host: 'h1', bytesIn: bytes, bytesOut: 0 }, ...(h2 === undefined ? [] : [{ host: 'h2', bytesIn: h2, bytesOut: 0, packetsIn: 10 }])],
      topTalkers: [],
    },
  ],
  nics: [{ vm: 'a', host: 'h1', slot: 1, vni: 100, rxBytes: 0, txBytes: bytes }],
  sources: [],
});

describe('averageSnapshots', () => {
  it('averages every figure over the snapshots that had it, keeping names and numbers that identify', () => {
    const avg = averageSnapshots([snap(1000, 100), snap(2000, 300, 50), snap(3000, 200, 150)])!;
    expect(avg).toMatchObject({ datacenter: 'dc', from: 1000, to: 3000, samples: 3 });
    expect(avg.vnis).toEqual([
      {
        vni: 100,
        switch: 'front',
        bytes: (100 + 350 + 350) / 3,
        drops: 0,
        errors: 0,
        hosts: [
          { host: 'h1', bytesIn: 200, bytesOut: 0 },
          { host: 'h2', bytesIn: 100, bytesOut: 0, packetsIn: 10 },
        ],
      },
    ]);
    expect(avg.nics).toEqual([{ vm: 'a', host: 'h1', slot: 1, vni: 100, rxBytes: 0, txBytes: 200 }]);
  });

  it('has nothing to say about no snapshots', () => {
    expect(averageSnapshots([])).toBeUndefined();
  });
});
