import { describe, expect, it } from 'vitest';
import type { TrafficSnapshot } from '../../src/api/contract';
import { appendSnapshot, chartColumns, fromHistory, type VniSeries } from './series';

const snap = (time: number, hosts: { host: string; bytesIn: number }[]): TrafficSnapshot => ({
  datacenter: 'dc',
  time,
  intervalS: 1,
  vnis: [{ vni: 5, switch: 'a', bytes: 0, drops: 0, errors: 0, hosts: hosts.map((h) => ({ ...h, bytesOut: 0 })), topTalkers: [] }],
  nics: [],
  sources: [],
});

describe('traffic series', () => {
  it('appends snapshots per host, with gaps for hosts that come and go, within the window', () => {
    const all = new Map<number, VniSeries>();
    appendSnapshot(all, snap(1000, [{ host: 'h1', bytesIn: 10 }]), 3);
    appendSnapshot(all, snap(2000, [{ host: 'h1', bytesIn: 20 }, { host: 'h2', bytesIn: 5 }]), 3);
    appendSnapshot(all, snap(2000, [{ host: 'h1', bytesIn: 99 }]), 3); // not newer: ignored
    appendSnapshot(all, snap(3000, [{ host: 'h2', bytesIn: 6 }]), 3);
    appendSnapshot(all, snap(4000, [{ host: 'h1', bytesIn: 40 }]), 3);
    const s = all.get(5)!;
    expect(s.t).toEqual([2000, 3000, 4000]);
    expect(s.hosts.get('h1')!.bytesIn).toEqual([20, null, 40]);
    expect(s.hosts.get('h2')!.bytesIn).toEqual([5, 6, null]);
  });

  it('gives a chart its columns in seconds, scaled, for the last windowS', () => {
    const s = fromHistory({ vni: 5, switch: 'a', t: [1000, 2000, 3000], hosts: [{ host: 'h2', bytesIn: [1, 2, 3], bytesOut: [0, 0, null], packetsIn: [], packetsOut: [], drops: [], errors: [] }, { host: 'h1', bytesIn: [4, 5, 6], bytesOut: [1, 1, 1], packetsIn: [], packetsOut: [], drops: [], errors: [] }] });
    expect(chartColumns(s, ['bytesIn', 'bytesOut'], 1, 8)).toEqual({
      data: [[2, 3], [40, 48], [8, 8], [16, 24], [0, null]],
      labels: ['h1 in', 'h1 out', 'h2 in', 'h2 out'],
    });
    expect(chartColumns(undefined, ['bytesIn'], 60, 1)).toEqual({ data: [[]], labels: [] });
  });
});
