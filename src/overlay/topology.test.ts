import { describe, expect, it } from 'vitest';
import { hostSeen, overlayDoc, overlayPlacement, proxySeen, vmSeen } from './overlay.testkit';
import { dhcpMac, proxyNicMac, routerMac } from './names';
import { overlayTopology, type TopologyInput } from './topology';

const VTEPS = [proxySeen('h1', '198.18.0.101'), proxySeen('h2', '198.18.0.102'), proxySeen('h3', '198.18.0.103')];
const input = (over: Partial<TopologyInput> = {}): TopologyInput => ({ desired: overlayDoc(), placement: overlayPlacement(), observed: [], proxies: VTEPS, ...over });
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

  it('floods to exactly the other proxies of a switch and sends known MACs straight to their VTEP', () => {
    const t = overlayTopology(input({ observed: [hostSeen('h2', [vmSeen('a2', 'vm', { nics: [{ attach: 'intnet:dcod-vni-5001', mac: '080027000A02' }] })])] }));
    const [a, b] = proxy(t, 'h1').segments;
    expect(a!.floodTo).toEqual(['198.18.0.102']);
    expect(b!.floodTo).toEqual(['198.18.0.103']);
    // a2's MAC is not in the document: it comes from the observed VM.
    expect(a!.remote).toEqual(
      [
        { mac: '080027000A02', vtep: '198.18.0.102' },
        { mac: '080027000A03', vtep: '198.18.0.102' },
        { mac: dhcpMac('dc', 'a'), vtep: '198.18.0.102' },
      ].sort((x, y) => x.mac.localeCompare(y.mac)),
    );
    expect(proxy(t, 'h2').segments[0]!.remote.map((r) => r.mac).sort()).toEqual(['080027000A01', routerMac('dc', 'r1', 'a')].sort());
  });

  it('leaves a proxy whose VTEP is not known yet out of the others\' tables', () => {
    const t = overlayTopology(input({ proxies: VTEPS.filter((p) => p.host !== 'h3') }));
    expect(proxy(t, 'h1').segments[1]).toMatchObject({ switch: 'b', floodTo: [], remote: [] });
  });

  it('keeps a proxy that is down in the others\' tables, at the address they remember for it', () => {
    const down = overlayTopology(input({ proxies: [proxySeen('h1', '198.18.0.101', ['peer h3 198.18.0.103']), VTEPS[1]!] }));
    expect(proxy(down, 'h1').segments[1]).toMatchObject({ switch: 'b', floodTo: ['198.18.0.103'] });
    expect(proxy(down, 'h1').peers).toEqual([{ host: 'h2', vtep: '198.18.0.102' }, { host: 'h3', vtep: '198.18.0.103' }]);
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
    const t = overlayTopology(input({ observed: [hostSeen('h1', [running])], proxies: [proxySeen('h1', '198.18.0.101', ['dhcp 5001 running']), ...VTEPS.slice(1)] }));
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
