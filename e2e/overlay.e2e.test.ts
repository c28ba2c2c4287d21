// The overlay in the lab, from the laptop: three VirtualBox hosts made one datacenter. Switches a (VNI
// 5001) and b (VNI 5002) with DHCP, router r1 between them with a NAT uplink, six guests spread so that
// h1 carries both switches (and the router), h2 only a, h3 only b. Proxies are created, reached over
// their IPv6 link-local address and configured by the overlay planner's own operations (e2e/overlay/driver).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doc } from '../src/model/document.testkit';
import type { Datacenter } from '../src/model/document';
import { observeHost } from '../src/hosts/observe';
import { ownedVm } from '../src/overlay/topology';
import { vxlanName } from '../src/overlay/names';
import { createGuest, deleteGuest, observeAll, openOverlayLab, reconcile, until, wipe, type OverlayLab } from './overlay/driver';
import { inNetns } from './support/lab';
import { run } from './lab/run';

const DC = doc({
  name: 'ov',
  switches: [
    { name: 'a', vni: 5001, subnet: '10.0.1.0/24', dhcp: true },
    { name: 'b', vni: 5002, subnet: '10.0.2.0/24', dhcp: true },
  ],
  routers: [{ name: 'r1', interfaces: [{ switch: 'a', address: '10.0.1.1' }, { switch: 'b', address: '10.0.2.1' }], natUplink: true }],
  vms: [
    { name: 'a1', nics: [{ switch: 'a' }] },
    { name: 'a2', nics: [{ switch: 'a' }] },
    { name: 'a3', nics: [{ switch: 'a' }] },
    { name: 'b1', nics: [{ switch: 'b', address: '10.0.2.50' }] },
    { name: 'b2', nics: [{ switch: 'b' }] },
    { name: 'b3', nics: [{ switch: 'b' }] },
  ],
});
const PLACEMENT = new Map([
  ['a1', 'h1'],
  ['b1', 'h1'],
  ['a2', 'h2'],
  ['a3', 'h2'],
  ['b2', 'h3'],
  ['b3', 'h3'],
]);

let ol: OverlayLab;

/** The namespace of a running VM (the simulator's: `<lab>-<host>-<8 hex of its UUID>`). */
async function netnsOf(host: string, vm: (seen: Awaited<ReturnType<typeof observeHost>>) => { uuid: string } | undefined): Promise<string> {
  const seen = await observeHost(host, ol.hosts.get(host)!.runner);
  const found = vm(seen);
  if (!found) throw new Error(`no such VM on ${host}`);
  return `${ol.lab.name}-${host}-${found.uuid.replace(/-/g, '').slice(0, 8)}`;
}
const guestNs = (name: string) => netnsOf(PLACEMENT.get(name)!, (s) => s.vms.find((v) => v.name === name));
const proxyNs = (host: string) => netnsOf(host, (s) => ownedVm(s, DC.metadata.name, 'proxy'));

async function ipv4(ns: string): Promise<string | undefined> {
  const r = await inNetns(ns, ['ip', '-j', '-4', 'addr', 'show', 'dev', 'nic1']);
  return (JSON.parse(r.stdout || '[]') as { addr_info: { local: string }[] }[])[0]?.addr_info[0]?.local;
}

async function ping(ns: string, address: string, extra: string[] = []): Promise<boolean> {
  return (await inNetns(ns, ['ping', '-c', '1', '-W', '1', ...extra, address])).code === 0;
}
const pings = (ns: string, address: string, extra: string[] = []) => until(`${ns} to ping ${address}`, async () => ((await ping(ns, address, extra)) ? true : undefined), 20_000);

const addresses = new Map<string, string>();

describe('the overlay across three hosts', () => {
  beforeAll(async () => {
    ol = await openOverlayLab();
    await wipe(ol, DC.metadata.name);
    for (const [vm, host] of PLACEMENT) await createGuest(ol, DC, vm, host);
    const plans = await reconcile(ol, DC, PLACEMENT);
    // One pass: every VTEP address is known when the plan is made, before any proxy exists.
    expect(plans.length).toBe(1);
    expect(plans[0]!.operations.map((o) => o.id)).toEqual(['h1', 'h2', 'h3'].flatMap((h) => [`proxy/${h}/create@${h}`, `proxy/${h}/start@${h}`, `proxy/${h}/configure@${h}`]));
  });
  afterAll(async () => {
    await wipe(ol, DC.metadata.name);
    await ol.close();
  });

  it('gives every VM a DHCP address, the fixed one to b1, and MTU 1450 (option 26)', async () => {
    for (const vm of PLACEMENT.keys()) {
      const ns = await guestNs(vm);
      const address = await until(`a lease for ${vm}`, () => ipv4(ns));
      addresses.set(vm, address);
      expect(address.startsWith(vm.startsWith('a') ? '10.0.1.' : '10.0.2.')).toBe(true);
      expect((await inNetns(ns, ['cat', '/sys/class/net/nic1/mtu'])).stdout.trim()).toBe('1450');
    }
    expect(addresses.get('b1')).toBe('10.0.2.50');
    expect(new Set(addresses.values()).size).toBe(6);
  });

  it('connects VMs of one switch across hosts, and the switches through the router and out through NAT', async () => {
    const a1 = await guestNs('a1');
    const a2 = await guestNs('a2');
    expect(await pings(a1, addresses.get('a2')!)).toBe(true);
    expect(await pings(a1, addresses.get('a3')!)).toBe(true);
    // h2 → the router on h1 → h3.
    expect(await pings(a2, addresses.get('b2')!)).toBe(true);
    expect(await pings(a2, addresses.get('b1')!)).toBe(true);
    // The lab's office router, through r1's NAT uplink and h1's proxy.
    expect(await pings(a2, ol.lab.gateway)).toBe(true);
  });

  it('never drops a full-size frame silently: the MTU handed out forbids it, the largest allowed size passes', async () => {
    const a1 = await guestNs('a1');
    const big = await inNetns(a1, ['ping', '-c', '1', '-W', '1', '-M', 'do', '-s', '1472', addresses.get('a2')!]);
    expect(big.code).not.toBe(0);
    // Refused at the sender (EMSGSIZE), not lost on the way.
    expect(big.stdout + big.stderr).toMatch(/message too long|mtu = 1450/i);
    expect(await pings(a1, addresses.get('a2')!, ['-M', 'do', '-s', '1422'])).toBe(true);
    expect(await pings(await guestNs('b1'), addresses.get('b3')!, ['-M', 'do', '-s', '1422'])).toBe(true);
  });

  it('carries IPv6 neighbour discovery across hosts (link-local ping)', async () => {
    const a2 = await guestNs('a2');
    const ll = JSON.parse((await inNetns(a2, ['ip', '-j', '-6', 'addr', 'show', 'dev', 'nic1'])).stdout) as { addr_info: { local: string }[] }[];
    const address = ll[0]!.addr_info.find((a) => a.local.startsWith('fe80'))!.local;
    expect(await pings(await guestNs('a1'), `${address}%nic1`, ['-6'])).toBe(true);
  });

  it('floods a broadcast on a only to the proxies that carry a', async () => {
    const counts = await Promise.all(
      ['h1', 'h2', 'h3'].map(async (host) => {
        const ns = await proxyNs(host);
        // VxLAN packets of VNI 5001 arriving on the proxy's LAN NIC (the VNI is bytes 4-6 of the VxLAN
        // header): broadcasts on h1 and h2; on h3, which doesn't carry a, anything at all.
        // Inner frames to ff:ff:ff:ff:ff:ff start 50 bytes in (outer Ethernet, IPv4, UDP, VxLAN headers).
        return run(['ip', 'netns', 'exec', ns, 'timeout', '5', 'tcpdump', '-i', 'nic1', '-n', '-l', '-Q', 'in', `udp dst port 4789 and (udp[12:4] & 0xffffff00) = 0x00138900${host === 'h3' ? '' : ' and ether[50:4] = 0xffffffff and ether[54:2] = 0xffff'}`], {
          allowFailure: true,
          timeoutMs: 10_000,
        });
      }).concat([
        (async () => {
          await new Promise((r) => setTimeout(r, 1500));
          await inNetns(await guestNs('a1'), ['ping', '-b', '-c', '3', '-i', '0.2', '-W', '1', '10.0.1.255']);
          return { stdout: '', stderr: '', code: 0 };
        })(),
      ]),
    );
    const received = counts.slice(0, 3).map((r) => r.stdout.split('\n').filter((l) => l.trim() !== '').length);
    // h1 sent them (its proxy sends, it doesn't receive them), h2 carries a, h3 doesn't.
    expect(received[1]).toBeGreaterThanOrEqual(3);
    expect(received[2]).toBe(0);
  });

  it('restores a crashed proxy on the next reconcile, and traffic resumes', async () => {
    const ns = await proxyNs('h1');
    const a2 = await guestNs('a2');
    // The lab's "VM crash": every process of the proxy killed, its namespace gone.
    const pids = (await run(['ip', 'netns', 'pids', ns], { allowFailure: true })).stdout.split(/\s+/).filter(Boolean);
    for (const pid of pids) process.kill(Number(pid), 'SIGKILL');
    await run(['ip', 'netns', 'del', ns]);
    expect(await ping(a2, addresses.get('b2')!)).toBe(false);
    const seen = await observeAll(ol, DC.metadata.name);
    expect(ownedVm(seen.hosts.find((h) => h.host === 'h1'), DC.metadata.name, 'proxy')?.state).toBe('aborted');
    const plans = await reconcile(ol, DC, PLACEMENT);
    expect(plans[0]!.operations.map((o) => `${o.id}: ${o.reason}`)).toEqual([
      'proxy/h1/start@h1: it is aborted (crashed): the watchdog restarts it',
      'proxy/h1/configure@h1: the proxy boots with no configuration',
    ]);
    expect(await pings(a2, addresses.get('b2')!)).toBe(true);
  });

  it('takes a host out of the others\' flood lists when its last VM of a switch goes', async () => {
    const before = await observeAll(ol, DC.metadata.name);
    const h2 = before.proxies.find((p) => p.host === 'h2')!.vtep!;
    const h1Facts = () => before.proxies.find((p) => p.host === 'h1')!.facts;
    expect(h1Facts()).toContain(`flood ${vxlanName(5001)} ${h2}`);
    await deleteGuest(ol, 'a2', 'h2');
    await deleteGuest(ol, 'a3', 'h2');
    const smaller: Datacenter = { ...DC, vms: DC.vms.filter((v) => v.name !== 'a2' && v.name !== 'a3') };
    const placement = new Map([...PLACEMENT].filter(([vm]) => vm !== 'a2' && vm !== 'a3'));
    const plans = await reconcile(ol, smaller, placement);
    expect(plans[0]!.operations.map((o) => o.id)).toEqual(['proxy/h1/configure@h1', 'proxy/h2/delete@h2']);
    const after = await observeAll(ol, DC.metadata.name);
    expect(after.proxies.map((p) => p.host)).toEqual(['h1', 'h3']);
    expect(after.proxies.find((p) => p.host === 'h1')!.facts.filter((f) => f.startsWith(`flood ${vxlanName(5001)}`))).toEqual([]);
    // a's DHCP moved to h1 with its last VMs there: a1 still renews and reaches b.
    expect(after.proxies.find((p) => p.host === 'h1')!.facts).toContain('dhcp 5001 running');
    expect(await pings(await guestNs('a1'), addresses.get('b3')!)).toBe(true);
  });
});
