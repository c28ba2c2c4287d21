/**
 * The overlay watchdog in a core like `dcod serve`'s: a datacenter applied through the service, then one
 * host's proxy VM crashes (the lab kills its namespace and everything in it). Nobody applies anything; the
 * watchdog finds the proxy aborted, starts and configures it again, says so in the activity log, and the
 * VMs on either side of that host ping each other again within its period (plus the proxy's boot).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { inProcessClient } from '../src/api/client';
import { createService, type Core } from '../src/api/service';
import type { DatacenterInput } from '../src/model/document';
import { proxyVmName } from '../src/overlay/names';
import { addLabHosts, guestNamespaces, removeLeftovers } from './apply-fixture';
import { dcodIn } from './support/cli';
import { injectFault } from './support/faults';
import { currentLab, inNetns, sshHost } from './support/lab';
import { until } from './support/until';

const DC = 'wdog';
const HOSTS = ['h1', 'h2'] as const;
const PLACEMENT = { w1: 'h1', w2: 'h2' } as const;
const WATCHDOG_MS = 4000;
/** Beyond the watchdog's period: reading the hosts, `startvm`, the appliance's boot and its configuration. */
const RESTORE_MS = 60_000;

const DOCUMENT: DatacenterInput = {
  apiVersion: 'dcod.dev/v1',
  kind: 'Datacenter',
  metadata: { name: DC },
  switches: [{ name: 'a', vni: 6201, subnet: '10.62.1.0/24', dhcp: true }],
  vms: Object.keys(PLACEMENT).map((name) => ({ name, memoryMb: 128, nics: [{ switch: 'a' }] })),
  placement: PLACEMENT,
};

const lab = currentLab();
let dir: string;
let file: string;
let core: Core;
const dcod = dcodIn(() => dir);

async function namespaceOf(host: string, vm: string): Promise<string> {
  const r = await sshHost(host, `VBoxManage showvminfo ${vm} --machinereadable`);
  expect(r.code, r.stderr).toBe(0);
  const uuid = /^UUID="([0-9a-f-]+)"$/m.exec(r.stdout)?.[1];
  if (!uuid) throw new Error(`no UUID in showvminfo of ${vm}`);
  return `${lab.name}-${host}-${uuid.replace(/-/g, '').slice(0, 8)}`;
}

async function lease(ns: string): Promise<string> {
  return until(`a DHCP lease in ${ns}`, async () => {
    const r = await inNetns(ns, ['ip', '-j', '-4', 'addr', 'show', 'dev', 'nic1']);
    return (JSON.parse(r.stdout || '[]') as { addr_info: { local: string }[] }[])[0]?.addr_info[0]?.local;
  });
}

const pingOnce = async (ns: string, address: string) => (await inNetns(ns, ['ping', '-c', '1', '-W', '1', address])).code === 0;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dcod-watchdog-e2e-'));
  file = path.join(dir, 'datacenter.yaml');
  await addLabHosts(dcod, HOSTS);
  await writeFile(file, stringify(DOCUMENT));
  core = await createService({ paths: { inventory: path.join(dir, 'inventory.yaml'), knownHosts: path.join(dir, 'known_hosts') }, overlayWatchdogMs: WATCHDOG_MS });
  const client = inProcessClient(core);
  const view = await client.call('plan.make', { file });
  const result = await client.call('apply.run', { file, planId: view.planId });
  expect(result.ok, JSON.stringify(result.outcomes.filter((o) => o.state !== 'done'))).toBe(true);
});

afterAll(async () => {
  await core?.close();
  await dcod('destroy', '-f', file, '--yes');
  for (const host of HOSTS) await removeLeftovers(host, DC);
  await rm(dir, { recursive: true, force: true });
});

describe('the overlay watchdog', () => {
  it('restores a crashed proxy without an apply, and the VMs across it ping again', async () => {
    const w1 = await namespaceOf('h1', 'w1');
    const w2 = await lease(await namespaceOf('h2', 'w2'));
    await lease(w1);
    await until(`w1 to ping w2 (${w2})`, async () => ((await pingOnce(w1, w2)) ? true : undefined));

    const proxy = await namespaceOf('h2', proxyVmName(DC));
    const since = core.activity.list().at(-1)?.seq ?? 0;
    const crashed = Date.now();
    injectFault(lab, 'vm-killed', 'h2', guestNamespaces('h2').sort().indexOf(proxy));
    expect(guestNamespaces('h2')).not.toContain(proxy);
    // The namespace goes once its last process has died: the path is cut a moment after the kill.
    await until('the crash to cut w1 off from w2', async () => ((await pingOnce(w1, w2)) ? undefined : true), 10_000);

    // The activity log says what the watchdog did: shown whole when the pings don't come back.
    const log = () => core.activity.list(since);
    const explained = (what: string) => `${what}; the activity log since the crash:\n${log().map((e) => `  ${e.time} ${e.level} ${e.source}: ${e.message}`).join('\n')}`;
    await until(`w1 to ping w2 again after the proxy of h2 crashed`, async () => ((await pingOnce(w1, w2)) ? true : undefined), WATCHDOG_MS + RESTORE_MS).catch((err: Error) => {
      throw new Error(explained(err.message));
    });
    console.log(`[watchdog] pings resumed ${((Date.now() - crashed) / 1000).toFixed(1)} s after the proxy crashed (watchdog period ${WATCHDOG_MS / 1000} s)`);
    // The pings come back once the proxy is configured; the repair's own end is logged a moment later.
    await until('the watchdog to say how its repair ended', async () => (log().some((e) => /^watchdog: (restored|could not restore)/.test(e.message)) ? true : undefined), RESTORE_MS).catch((err: Error) => {
      throw new Error(explained(err.message));
    });
    console.log(explained('[watchdog] done'));
    expect(log()).toContainEqual(expect.objectContaining({ level: 'warn', source: 'h2/proxy', message: expect.stringMatching(/^watchdog: the overlay of wdog needs repair: start the overlay proxy on h2 \(it is aborted/) }));
    expect(log()).toContainEqual(expect.objectContaining({ level: 'info', message: expect.stringMatching(/^watchdog: restored the overlay of wdog \(\d+ done, 0 failed, 0 skipped\)$/) }));
    // Only the proxy was touched: no apply ran, and h1's proxy had nothing to repair.
    expect(log().filter((e) => e.source === 'h1/proxy')).toEqual([]);
  });
});
