import { describe, expect, it } from 'vitest';
import { buildSnapshot, nicKey, type SnapshotInput } from './snapshot';

const naming = { bridge: (v: number) => `dcod-br${v}`, vxlan: (v: number) => `dcod-vx${v}`, prefix: 'dcod-' };

function input(over: Partial<SnapshotInput>): SnapshotInput {
  return {
    datacenter: 'lab',
    time: 1000,
    intervalS: 1,
    switches: [
      { vni: 100, name: 'front' },
      { vni: 200, name: 'back' },
    ],
    nics: [
      { uuid: 'u-a', vm: 'a', host: 'h1', slot: 1, vni: 100 },
      { uuid: 'u-b', vm: 'b', host: 'h2', slot: 1, vni: 100 },
      { uuid: 'u-b', vm: 'b', host: 'h2', slot: 2, vni: 200 },
    ],
    nicRates: new Map([
      [nicKey('u-a', 1), { rxBytes: 10_000, txBytes: 1_000_000 }],
      [nicKey('u-b', 1), { rxBytes: 1_000_000, txBytes: 10_000 }],
      [nicKey('u-b', 2), { rxBytes: 0, txBytes: 0 }],
    ]),
    proxies: new Map(),
    sources: [],
    naming,
    ...over,
  };
}

describe('buildSnapshot', () => {
  it("a switch's throughput is what entered it at each host: its VMs' transmit", () => {
    const s = buildSnapshot(input({}));
    expect(s.vnis.map((v) => [v.vni, v.switch, v.bytes])).toEqual([
      [100, 'front', 1_010_000],
      [200, 'back', 0],
    ]);
    expect(s.vnis[0]!.hosts).toEqual([
      { host: 'h1', bytesIn: 1_000_000, bytesOut: 10_000 },
      { host: 'h2', bytesIn: 10_000, bytesOut: 1_000_000 },
    ]);
    expect(s.vnis[0]!.topTalkers.map((n) => n.vm)).toEqual(['a', 'b']);
    expect(s.nics.map((n) => `${n.vm}/${n.slot}:${n.switch}`)).toEqual(['a/1:front', 'b/1:front', 'b/2:back']);
  });

  it('adds the proxy: packets, VxLAN to and from other hosts, drops and errors of all ports, services', () => {
    const proxies = new Map([
      [
        'h1',
        {
          devices: new Map([
            ['dcod-br100', { rxBytes: 0, txBytes: 0, rxDropped: 1, txDropped: 0, rxErrors: 0, txErrors: 0 }],
            ['nic2', { rxBytes: 999_000, txBytes: 9_000, rxPackets: 700, txPackets: 300, rxDropped: 0, txDropped: 2 }],
            ['dcod-vx100', { rxBytes: 9_500, txBytes: 990_000, rxPackets: 300, txPackets: 690, rxErrors: 3 }],
            ['dcod-dh100', { rxBytes: 500, txBytes: 600, rxPackets: 1, txPackets: 2 }],
          ]),
          ports: new Map([['dcod-br100', ['nic2', 'dcod-vx100', 'dcod-dh100']]]),
        },
      ],
    ]);
    const h1 = buildSnapshot(input({ proxies })).vnis[0]!.hosts[0]!;
    expect(h1).toEqual({ host: 'h1', bytesIn: 1_000_500, bytesOut: 10_600, packetsIn: 701, packetsOut: 302, bytesToRemote: 990_000, bytesFromRemote: 9_500, drops: 3, errors: 3 });
    // Without the host's VM counters the proxy's side of the switch stands in.
    const noVms = buildSnapshot(input({ proxies, nicRates: new Map() })).vnis[0]!;
    expect(noVms.hosts.find((h) => h.host === 'h1')).toMatchObject({ bytesIn: 999_500, bytesOut: 9_600 });
    expect(noVms.packets).toBe(701);
    expect(noVms.drops).toBe(3);
  });

  it('lists a VNI seen on a NIC even when the document has no switch for it', () => {
    const s = buildSnapshot(input({ switches: [], nics: [{ uuid: 'u-a', vm: 'a', host: 'h1', slot: 1, vni: 7 }] }));
    expect(s.vnis.map((v) => v.switch)).toEqual(['vni-7']);
  });
});
