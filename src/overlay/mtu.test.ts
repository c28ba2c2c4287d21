import { describe, expect, it } from 'vitest';
import { doc } from '../model/document.testkit';
import { mtuDiagnostics, segmentMtu } from './mtu';

describe('switch MTU', () => {
  it('hands guests 1450 by DHCP on a 1500-byte underlay', () => {
    const d = doc({ switches: [{ name: 'a', vni: 1, subnet: '10.0.0.0/24', dhcp: true }] });
    expect(segmentMtu(d, d.switches[0]!)).toEqual({ guest: 1450, underlay: 1500, how: 'MTU 1450 (1500-byte underlay − 50 bytes of VxLAN), handed out by DHCP (option 26)' });
    expect(mtuDiagnostics(d)).toEqual([]);
  });

  it('lets guests keep 1500 where the user says the LAN carries jumbo frames', () => {
    const d = doc({ underlayMtu: 9000, switches: [{ name: 'a', vni: 1 }] });
    expect(segmentMtu(d, d.switches[0]!).guest).toBe(1500);
    expect(segmentMtu(d, d.switches[0]!).how).toMatch(/9000-byte underlay carries VxLAN's 50 bytes/);
    expect(mtuDiagnostics(d)).toEqual([]);
  });

  it('takes the switch MTU, never above what fits, and warns when guests must be told by hand', () => {
    const d = doc({ underlayMtu: 9000, switches: [{ name: 'a', vni: 1, mtu: 8950 }, { name: 'b', vni: 2, mtu: 1400 }] });
    expect(segmentMtu(d, d.switches[0]!).guest).toBe(8950);
    expect(segmentMtu({ underlayMtu: 1500 }, d.switches[0]!).guest).toBe(1450);
    expect(mtuDiagnostics(d)).toEqual([expect.objectContaining({ path: 'switches[1]', message: expect.stringMatching(/"b" must use MTU 1400/) })]);
    const plain = doc({ switches: [{ name: 'a', vni: 1 }] });
    expect(mtuDiagnostics(plain)).toEqual([expect.objectContaining({ severity: 'warning', path: 'switches[0]', message: expect.stringMatching(/must use MTU 1450/) })]);
  });
});
