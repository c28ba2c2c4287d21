/**
 * A whole datacenter through the real `dcod` CLI: two switches with DHCP, a router between them and four
 * VMs over three hosts. One `dcod apply` makes the VMs and the overlay (a proxy per host, VxLAN between
 * them, DHCP, the router); the VMs get addresses and reach each other across hosts and through the
 * router; a second apply has nothing to do; `destroy` leaves the hosts clean, proxies included.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { PlanView } from '../src/api/contract';
import type { DatacenterInput } from '../src/model/document';
import { proxyVmName } from '../src/overlay/names';
import { addLabHosts, guestNamespaces, removeLeftovers, vboxList } from './apply-fixture';
import { until } from './overlay/driver';
import { dcodIn } from './support/cli';
import { currentLab, inNetns, sshHost } from './support/lab';

const DC = 'e2edc';
const HOSTS = ['h1', 'h2', 'h3'] as const;
const PLACEMENT = { a1: 'h1', a2: 'h2', b1: 'h2', b2: 'h3' } as const;
type VmName = keyof typeof PLACEMENT;

const DOCUMENT: DatacenterInput = {
  apiVersion: 'dcod.dev/v1',
  kind: 'Datacenter',
  metadata: { name: DC },
  switches: [
    { name: 'a', vni: 6101, subnet: '10.61.1.0/24', dhcp: true },
    { name: 'b', vni: 6102, subnet: '10.61.2.0/24', dhcp: true },
  ],
  routers: [{ name: 'r1', interfaces: [{ switch: 'a', address: '10.61.1.1' }, { switch: 'b', address: '10.61.2.1' }] }],
  vms: Object.keys(PLACEMENT).map((name) => ({ name, memoryMb: 128, nics: [{ switch: name.slice(0, 1) }] })),
  placement: PLACEMENT,
};

const lab = currentLab();
let dir: string;
let file: string;
const dcod = dcodIn(() => dir);

/** The namespace of a running VM: the simulator names it after the first 8 hex digits of the VM's UUID. */
async function netnsOf(vm: VmName): Promise<string> {
  const host = PLACEMENT[vm];
  const r = await sshHost(host, `VBoxManage showvminfo ${vm} --machinereadable`);
  expect(r.code, r.stderr).toBe(0);
  const uuid = /^UUID="([0-9a-f-]+)"$/m.exec(r.stdout)?.[1];
  if (!uuid) throw new Error(`no UUID in showvminfo of ${vm}`);
  return `${lab.name}-${host}-${uuid.replace(/-/g, '').slice(0, 8)}`;
}

async function ipv4(ns: string): Promise<string | undefined> {
  const r = await inNetns(ns, ['ip', '-j', '-4', 'addr', 'show', 'dev', 'nic1']);
  return (JSON.parse(r.stdout || '[]') as { addr_info: { local: string }[] }[])[0]?.addr_info[0]?.local;
}

const pings = (ns: string, address: string) =>
  until(`${ns} to ping ${address}`, async () => ((await inNetns(ns, ['ping', '-c', '1', '-W', '1', address])).code === 0 ? true : undefined), 30_000);

async function pending(): Promise<PlanView['plan']['operations']> {
  const r = await dcod('plan', '-f', file, '--json');
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as PlanView).plan.operations.filter((o) => o.action !== 'noop');
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dcod-datacenter-e2e-'));
  file = path.join(dir, 'datacenter.yaml');
  await addLabHosts(dcod, HOSTS);
  await writeFile(file, stringify(DOCUMENT));
});

afterAll(async () => {
  await dcod('destroy', '-f', file, '--yes');
  for (const host of HOSTS) await removeLeftovers(host, DC);
  await rm(dir, { recursive: true, force: true });
});

describe('a datacenter with switches, DHCP and a router', () => {
  const addresses = new Map<VmName, string>();

  it('is made by one apply: the VMs where placed, and a proxy on every host that carries a switch', async () => {
    const r = await dcod('apply', '-f', file, '--yes');
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/Apply complete: \d+ done, 0 failed, 0 skipped/);
    for (const host of HOSTS) {
      const placed = Object.entries(PLACEMENT).filter(([, h]) => h === host).map(([vm]) => vm);
      expect(await vboxList(host, 'vms')).toEqual([...placed, proxyVmName(DC)].sort());
    }
  });

  it('gives every VM an address from its switch by DHCP', async () => {
    for (const vm of Object.keys(PLACEMENT) as VmName[]) {
      const ns = await netnsOf(vm);
      const address = await until(`a lease for ${vm}`, () => ipv4(ns), 60_000);
      expect(address.startsWith(vm.startsWith('a') ? '10.61.1.' : '10.61.2.'), `${vm} got ${address}`).toBe(true);
      addresses.set(vm, address);
    }
    expect(new Set(addresses.values()).size).toBe(4);
  });

  it('connects VMs of one switch across hosts, and the two switches through the router', async () => {
    const a1 = await netnsOf('a1');
    expect(await pings(a1, addresses.get('a2')!)).toBe(true); // h1 → h2 on switch a
    expect(await pings(a1, addresses.get('b2')!)).toBe(true); // h1 → h3, switch a → r1 → switch b
    expect(await pings(await netnsOf('b2'), addresses.get('a2')!)).toBe(true);
  });

  it('has nothing left to do: the plan is empty and a second apply changes nothing', async () => {
    expect(await pending()).toEqual([]);
    const r = await dcod('apply', '-f', file, '--yes');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('No changes');
  });

  it('is destroyed completely: no VM, proxy or guest left on any host', async () => {
    const r = await dcod('destroy', '-f', file, '--yes');
    expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
    for (const host of HOSTS) {
      expect(await vboxList(host, 'vms')).toEqual([]);
      expect(guestNamespaces(host)).toEqual([]);
    }
    expect((await dcod('plan', '-f', file, '--destroy')).stdout).toContain('No changes');
  });
});
