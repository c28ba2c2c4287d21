import { describe, expect, it } from 'vitest';
import type { TrafficAverage } from '../traffic/average';
import { onlyVni, renderTraffic } from './traffic';

const avg: TrafficAverage = {
  datacenter: 'dc',
  from: 1000,
  to: 5000,
  samples: 5,
  vnis: [
    { vni: 5001, switch: 'front', bytes: 25_000_000, packets: 2000, drops: 0, errors: 0, hosts: [{ host: 'h1', bytesIn: 25_000_000, bytesOut: 1000, packetsIn: 2000, bytesToRemote: 24_000_000 }] },
    { vni: 5002, switch: 'back', bytes: 10, drops: 0, errors: 0, hosts: [] },
  ],
  nics: [
    { vm: 'web', host: 'h1', slot: 1, vni: 5001, switch: 'front', rxBytes: 1000, txBytes: 25_000_000 },
    { vm: 'db', host: 'h1', slot: 1, vni: 5002, switch: 'back', rxBytes: 5, txBytes: 5 },
  ],
};

describe('dcod traffic output', () => {
  it('prints each switch with its hosts, then the NICs, in bits per second by default', () => {
    const text = renderTraffic(avg, 'bits');
    expect(text).toContain('dc: average over 5 s (5 samples)');
    expect(text).toMatch(/5001 +front +\(all\) +200 Mbit\/s/);
    expect(text).toMatch(/h1 +200 Mbit\/s +8\.00 kbit\/s +2\.00 kp\/s +192 Mbit\/s/);
    expect(text).toMatch(/web +1 +h1 +front +8\.00 kbit\/s +200 Mbit\/s/);
    expect(renderTraffic(avg, 'bytes')).toMatch(/25\.0 MB\/s/);
  });

  it('--vni keeps one switch and the NICs on it', () => {
    const one = onlyVni(avg, 5002);
    expect(one.vnis.map((v) => v.vni)).toEqual([5002]);
    expect(one.nics.map((n) => n.vm)).toEqual(['db']);
  });
});
