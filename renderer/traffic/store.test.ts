import { beforeEach, describe, expect, it } from 'vitest';
import type { TrafficSnapshot } from '../../src/api/contract';
import { UI_STATE_STORAGE } from '../store/storage';
import { nicRate, receiveSnapshot, setPaused, switchRate, useTraffic } from './store';

const snap = (time: number, bytes: number): TrafficSnapshot => ({
  datacenter: 'dc',
  time,
  intervalS: 1,
  vnis: [{ vni: 5, switch: 'front', bytes, packets: 10, drops: 1, errors: 0, hosts: [{ host: 'h1', bytesIn: bytes, bytesOut: 0 }], topTalkers: [] }],
  nics: [{ vm: 'web', host: 'h1', slot: 1, vni: 5, switch: 'front', rxBytes: 5, txBytes: bytes }],
  sources: [],
});

beforeEach(() => {
  useTraffic.setState({ trafficPhase: 'watching', trafficStatus: { file: '/dc.yaml', datacenter: 'dc', intervalS: 1, switches: [], sources: [] }, trafficSeries: new Map(), trafficPaused: false, trafficShown: null, trafficLatest: null });
});

describe('the traffic slice', () => {
  it('gives the canvas the current rate of a NIC and of a switch', () => {
    receiveSnapshot(snap(1000, 100));
    const s = useTraffic.getState();
    expect(nicRate(s, 'web', 1)).toEqual({ bytesPerSecond: 105 });
    expect(nicRate(s, 'web', 2)).toBeUndefined();
    expect(switchRate(s, 'front')).toEqual({ bytesPerSecond: 100, packetsPerSecond: 10, dropsPerSecond: 1, errorsPerSecond: 0 });
  });

  it('keeps recording while paused, and shows what happened meanwhile on resume', () => {
    receiveSnapshot(snap(1000, 100));
    setPaused(true);
    receiveSnapshot(snap(2000, 200));
    expect(useTraffic.getState().trafficShown?.time).toBe(1000);
    expect(useTraffic.getState().trafficSeries.get(5)!.t).toEqual([1000, 2000]);
    setPaused(false);
    expect(useTraffic.getState().trafficShown?.time).toBe(2000);
  });

  it("ignores snapshots of another datacenter, and declares where every field is kept", () => {
    receiveSnapshot({ ...snap(1000, 1), datacenter: 'other' });
    expect(useTraffic.getState().trafficLatest).toBeNull();
    for (const f of Object.keys(useTraffic.getState())) expect(UI_STATE_STORAGE, f).toHaveProperty(f);
  });
});
