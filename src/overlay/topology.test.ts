import { describe, expect, it } from 'vitest';
import { hostSeen, overlayDoc, overlayPlacement, proxySeen, vmSeen } from './overlay.testkit';
import { dhcpMac, proxyNicMac, routerMac, vmNicMac, vtepCandidate } from './names';
import { overlayTopology, type TopologyInput } from './topology';

const input = (over: Partial<TopologyInput> = {}): TopologyInput => ({ desired: overlayDoc(), placement: overlayPlacement(), observed: [], proxies: [], ...over });
const proxy = (t: ReturnType<typeof overlayTopology>, host: string) => t.proxies.find((p) => p.host === host)!;

describe('overlay topology', () => {
  it('puts a proxy on every host with a switch, one NIC slot per switch from slot 2', () => {
    const t = overlayTopology(input());
    expect(t.proxies.map((p) => [p.host, p.segments.map((s) => `${s.switch}@${s.slot}`)])).toEqual([
      ['h1', ['a@2', 'b@3']],
      ['h2', ['a@2']],
      ['h3', ['b@2']],
    ]);
    expect(proxy(t, 'h1').segments[0]!.mac).toBe(proxyNicMac('dc', 'h1', 2));
    expect(t.diagnostics).toEqual([]);
  });

  it('gives every proxy a link-local VTEP known before it exists, distinct even where the hash collides', () => {
    const t = overlayTopology(input());
    expect(t.proxies.map((p) => p.vtep)).toEqual(['h1', 'h2', 'h3'].map((h) => vtepCandidate('dc', h, 0)));
    for (const p of t.proxies) expect(p.vtep).toMatch(/^169\.254\.([1-9]|[1-9]\d|1\d\d|2[0-4]\d|25[0-4])\.([1-9]|[1-9]\d|1\d\d|2[0-4]\d|25[0-4])$/);
    // 400 hosts in a space of 254² addresses: some candidates collide, the next one is taken.
    const many = Array.from({ length: 400 }, (_, i) => `host${i}`);
    const d = overlayDoc({ vms: many.map((h) => ({ name: `v${h}`, cpus: 1, memoryMb: 64, nics: [{ switch: 'a' }], volumes: [], power: 'running' as const, chipset: 'piix3' as const, apartFrom: [] })) });
    const big = overlayTopology({ desired: d, placement: new Map(many.map((h) => [`v${h}`, h])), observed: [], proxies: [] });
    expect(new Set(big.proxies.map((p) => p.vtep)).size).toBe(400);
  });

  it('floods to exactly the other proxies of a switch and sends known MACs straight to their VTEP', () => {
    const t = overlayTopology(input({ observed: [hostSeen('h2', [vmSeen('a2', 'vm', { nics: [{ attach: 'intnet:dcod-vni-5001', mac: '080027000A02' }] })])] }));
    const vtep = (h: string) => proxy(t, h).vtep;
    const [a, b] = proxy(t, 'h1').segments;
    expect(a!.floodTo).toEqual([vtep('h2')]);
    expect(b!.floodTo).toEqual([vtep('h3')]);
    // a2's MAC is not in the document: it comes from the observed VM.
    expect(a!.remote).toEqual(
      [
        { mac: '080027000A02', vtep: vtep('h2') },
        { mac: '080027000A03', vtep: vtep('h2') },
        { mac: dhcpMac('dc', 'a'), vtep: vtep('h2') },
      ].sort((x, y) => x.mac.localeCompare(y.mac)),
    );
    expect(proxy(t, 'h2').segments[0]!.remote.map((r) => r.mac).sort()).toEqual(['080027000A01', routerMac('dc', 'r1', 'a')].sort());
  });

  it('takes a MAC the document leaves open from the VM, else the one the VM planner gives it', () => {
    const t = overlayTopology(input());
    expect(proxy(t, 'h1').segments[0]!.remote).toContainEqual({ mac: vmNicMac('dc', 'a2', 1), vtep: proxy(t, 'h2').vtep });
  });

  it('runs the router where most of its switches are and DHCP where most of the switch\'s VMs are', () => {
    const t = overlayTopology(input());
    expect(proxy(t, 'h1').routers.map((r) => [r.name, r.interfaces.map((i) => `${i.address}/${i.prefix}`), r.uplink])).toEqual([
      ['r1', ['10.0.1.1/24', '10.0.2.1/24'], { proxySide: '169.254.1.1', routerSide: '169.254.1.2', prefix: 30 }],
    ]);
    expect(t.proxies.map((p) => [p.host, p.dhcp.map((d) => d.switch)])).toEqual([
      ['h1', ['b']],
      ['h2', ['a']],
      ['h3', []],
    ]);
    expect(proxy(t, 'h1').dhcp[0]).toMatchObject({ router: '10.0.2.1', statics: [{ mac: '080027000B01', address: '10.0.2.50', name: 'b1' }] });
  });

  it('keeps a VNI on its slot and a service where it already runs', () => {
    const running = vmSeen('dcod-proxy-dc', 'proxy', { chipset: 'ich9', nics: [{ attach: 'bridged:br0', mac: 'x' }, { attach: 'intnet:dcod-vni-5002', mac: 'y' }] });
    const t = overlayTopology(input({ observed: [hostSeen('h1', [running])], proxies: [proxySeen('h1', undefined, ['dhcp 5001 running'])] }));
    expect(proxy(t, 'h1').segments.map((s) => `${s.switch}@${s.slot}`)).toEqual(['a@3', 'b@2']);
    expect(proxy(t, 'h1').dhcp.map((d) => d.switch)).toEqual(['a', 'b']);
  });

  it('refuses a 36th switch on one host', () => {
    const switches = Array.from({ length: 36 }, (_, i) => ({ name: `s${i}`, vni: 100 + i }));
    const d = { ...overlayDoc({ vms: [{ name: 'v', cpus: 1, memoryMb: 512, nics: switches.map((s) => ({ switch: s.name })), volumes: [], power: 'running' as const, chipset: 'ich9' as const, apartFrom: [] }] }), switches: switches.map((s) => ({ ...s, dhcp: false })), routers: [] };
    const t = overlayTopology({ desired: d, placement: new Map([['v', 'h1']]), observed: [], proxies: [] });
    expect(t.proxies[0]!.segments).toHaveLength(35);
    expect(t.diagnostics.filter((x) => x.severity === 'error')).toEqual([expect.objectContaining({ severity: 'error', message: expect.stringMatching(/more than 35 switches; switch "s35"/) })]);
  });
});
