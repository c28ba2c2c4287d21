// Live traffic and capture across two lab hosts joined by the overlay (VxLAN between proxies, set up by
// the overlay's own driver, e2e/overlay/driver): switch a (VNI 5101) and b (VNI 5102), guest x1 on h1 and
// x2 on h2, each with a NIC on both. iperf3 between x1 and x2 over a; `dcod traffic --json` must report
// a's rate within 5% of iperf3's own figure and b near zero; a capture during a ping holds the ICMP packets.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaptureService } from '../src/capture/capture-service';
import { observeHost } from '../src/hosts/observe';
import type { StreamingRunner } from '../src/hosts/runner';
import { InventoryHost } from '../src/inventory/schema';
import { canonicalYaml } from '../src/model/document-file';
import { doc } from '../src/model/document.testkit';
import type { TrafficAverage } from '../src/traffic/average';
import { averageSnapshots } from '../src/traffic/average';
import type { TrafficSnapshot } from '../src/traffic/snapshot';
import { TrafficService } from '../src/traffic/traffic-service';
import { createGuest, observeAll, openOverlayLab, proxyRunnerOf, reconcile, until, wipe, type OverlayLab } from './overlay/driver';
import { startApp } from './support/app';
import { screenshot } from './support/browser';
import { inNetns } from './support/lab';

const pexec = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');
const DC = doc({
  name: 'trf',
  switches: [
    { name: 'a', vni: 5101, subnet: '10.1.1.0/24', dhcp: true },
    { name: 'b', vni: 5102, subnet: '10.1.2.0/24', dhcp: true },
  ],
  vms: [
    { name: 'x1', nics: [{ switch: 'a' }, { switch: 'b' }] },
    { name: 'x2', nics: [{ switch: 'a' }, { switch: 'b' }] },
  ],
});
const PLACEMENT = new Map([
  ['x1', 'h1'],
  ['x2', 'h2'],
]);
/** iperf3's UDP payload: with its headers a frame stays within the overlay's 1450-byte MTU. */
const IPERF_LENGTH = 1400;

let ol: OverlayLab;
let dir: string;
let docFile: string;
const ns = new Map<string, string>();
const address = new Map<string, string>();
const proxyRunners = new Map<string, Promise<StreamingRunner>>();

async function dcod(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await pexec(process.execPath, [path.join(ROOT, 'bin/dcod.mjs'), '--inventory', path.join(dir, 'inventory.yaml'), '--known-hosts', path.join(dir, 'known_hosts'), ...args], { cwd: ROOT, maxBuffer: 64 << 20 });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

/** Runs iperf3 UDP from x1 to x2 at `mbps` for `seconds`, resolving iperf3's own figure (bits/s sent). */
async function iperf(mbps: number, seconds: number): Promise<number> {
  await inNetns(ns.get('x2')!, ['iperf3', '-s', '-D', '-1']);
  await new Promise((r) => setTimeout(r, 300));
  const r = await inNetns(ns.get('x1')!, ['iperf3', '-c', address.get('x2')!, '-u', '-b', `${mbps}M`, '-l', String(IPERF_LENGTH), '-t', String(seconds), '-J'], { timeoutMs: (seconds + 20) * 1000 });
  const out = JSON.parse(r.stdout) as { end: { sum: { bits_per_second: number } } };
  return out.end.sum.bits_per_second;
}

/** The lab hosts as inventory entries named as the driver observes them (h1, h2). */
function inventory(): InventoryHost[] {
  return [...ol.hosts.values()].map((h) => InventoryHost.parse({ name: h.info.name, address: h.info.address, user: ol.lab.user, auth: { method: 'password', password: 'env:UNUSED' } }));
}

function proxyRunner(host: string): Promise<StreamingRunner> {
  let r = proxyRunners.get(host);
  if (!r) {
    r = (async () => {
      const seen = await observeHost(host, ol.hosts.get(host)!.runner);
      const runner = await proxyRunnerOf(ol, seen, DC.metadata.name);
      if (!runner) throw new Error(`no proxy on ${host}`);
      return runner as StreamingRunner;
    })();
    proxyRunners.set(host, r);
  }
  return r;
}

const services = {
  inventory: async () => inventory(),
  refresh: async () => (await observeAll(ol, DC.metadata.name)).hosts,
  runnerFor: async (h: InventoryHost) => ol.hosts.get(h.name)!.runner,
  runnerForProxy: proxyRunner,
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dcod-traffic-e2e-'));
  docFile = path.join(dir, 'datacenter.yaml');
  await writeFile(docFile, canonicalYaml({ ...DC, vms: [] }));
  ol = await openOverlayLab();
  await wipe(ol, DC.metadata.name);
  for (const [vm, host] of PLACEMENT) await createGuest(ol, DC, vm, host);
  await reconcile(ol, DC, PLACEMENT);
  for (const [vm, host] of PLACEMENT) {
    const seen = await observeHost(host, ol.hosts.get(host)!.runner);
    const uuid = seen.vms.find((v) => v.name === vm)!.uuid;
    const name = `${ol.lab.name}-${host}-${uuid.replace(/-/g, '').slice(0, 8)}`;
    ns.set(vm, name);
    const lease = async () => {
      const r = await inNetns(name, ['ip', '-j', '-4', 'addr', 'show', 'dev', 'nic1']);
      return (JSON.parse(r.stdout || '[]') as { addr_info: { local: string }[] }[])[0]?.addr_info[0]?.local;
    };
    address.set(vm, await until(`a lease for ${vm}`, lease));
  }
  const imported = await dcod('hosts', 'import', path.join(ol.lab.dir, 'hosts.yaml'));
  expect(imported.code, imported.stderr).toBe(0);
}, 300_000);

afterAll(async () => {
  await Promise.all([...proxyRunners.values()].map((r) => r.then((x) => x.close(), () => undefined)));
  await wipe(ol, DC.metadata.name);
  await ol.close();
  await rm(dir, { recursive: true, force: true });
});

describe('dcod traffic', () => {
  it("reports iperf3's rate on its switch within 5%, and the other switch near zero", async () => {
    const measured = iperf(200, 20);
    await new Promise((r) => setTimeout(r, 3000));
    const res = await dcod('traffic', '-f', docFile, '--json', '--seconds', '8');
    const iperfBps = await measured;
    expect(res.code, res.stderr).toBe(0);
    const avg = JSON.parse(res.stdout) as TrafficAverage;
    const a = avg.vnis.find((v) => v.vni === 5101)!;
    const b = avg.vnis.find((v) => v.vni === 5102)!;
    const ratio = (a.bytes * 8) / iperfBps;
    console.log(`iperf3 ${(iperfBps / 1e6).toFixed(2)} Mbit/s; dcod traffic ${((a.bytes * 8) / 1e6).toFixed(2)} Mbit/s on VNI 5101 (ratio ${ratio.toFixed(4)}); VNI 5102 ${((b.bytes * 8) / 1e3).toFixed(2)} kbit/s`);
    expect(Math.abs(ratio - 1)).toBeLessThan(0.05);
    expect(b.bytes * 8).toBeLessThan(50_000);
    expect(a.hosts.map((h) => h.host)).toHaveLength(2);
    expect(avg.nics.find((n) => n.vm === 'x1' && n.slot === 1)!.txBytes * 8).toBeGreaterThan(iperfBps * 0.95);
  });

  it("adds the proxies' view: the rate leaving h1 over VxLAN and arriving on h2, with packets", async () => {
    const snapshots: TrafficSnapshot[] = [];
    const traffic = new TrafficService({ ...services, onSnapshot: (s) => snapshots.push(s) });
    try {
      await traffic.start(docFile);
      await until('every sampler streaming', async () => (snapshots.at(-1)?.sources.length === 4 && snapshots.at(-1)!.sources.every((s) => s.state === 'streaming') ? true : undefined));
      const measured = iperf(100, 12);
      await new Promise((r) => setTimeout(r, 3000));
      const from = snapshots.length;
      await new Promise((r) => setTimeout(r, 6000));
      const avg = averageSnapshots(snapshots.slice(from))!;
      const iperfBps = await measured;
      const a = avg.vnis.find((v) => v.vni === 5101)!;
      const h1 = a.hosts.find((h) => h.host === 'h1')!;
      const h2 = a.hosts.find((h) => h.host === 'h2')!;
      console.log(`iperf3 ${(iperfBps / 1e6).toFixed(2)} Mbit/s; h1 → remote ${((h1.bytesToRemote! * 8) / 1e6).toFixed(2)} Mbit/s, h2 ← remote ${((h2.bytesFromRemote! * 8) / 1e6).toFixed(2)} Mbit/s, ${a.packets!.toFixed(0)} packets/s`);
      expect(Math.abs((h1.bytesToRemote! * 8) / iperfBps - 1)).toBeLessThan(0.05);
      expect(Math.abs((h2.bytesFromRemote! * 8) / iperfBps - 1)).toBeLessThan(0.05);
      // 100 Mbit/s of 1400-byte datagrams is about 8900 packets a second.
      expect(a.packets!).toBeGreaterThan((iperfBps / 8 / IPERF_LENGTH) * 0.9);
      // The sender and the receiver, nearly tied (one sends what the other receives).
      expect(snapshots.at(-1)!.vnis.find((v) => v.vni === 5101)!.topTalkers.slice(0, 2).map((n) => `${n.vm}/${n.slot}`).sort()).toEqual(['x1/1', 'x2/1']);
      const history = traffic.history(5101, 60);
      expect(history.hosts.map((h) => h.host)).toEqual(['h1', 'h2']);
      expect(Math.max(...history.hosts[0]!.bytesIn.map((v) => v ?? 0)) * 8).toBeGreaterThan(iperfBps * 0.9);
    } finally {
      await traffic.stop();
    }
  });
});

describe('capture', () => {
  it('holds the ICMP packets of a ping between the two hosts, from both proxies, read back by tcpdump', async () => {
    const captures = new CaptureService(services);
    const out = path.join(dir, 'ping.pcapng');
    const started = await captures.start({ file: docFile, vni: 5101, filter: 'icmp', out });
    expect(started.sources.map((s) => s.name)).toEqual(['h1:dcod-br5101', 'h2:dcod-br5101']);
    await until('tcpdump running on both proxies', async () => (captures.status(started.id).sources.every((s) => s.state === 'capturing') ? true : undefined), 15_000);
    const ping = await inNetns(ns.get('x1')!, ['ping', '-c', '4', '-i', '0.2', address.get('x2')!]);
    expect(ping.code, ping.stdout).toBe(0);
    await new Promise((r) => setTimeout(r, 1000));
    const stats = await captures.stop(started.id);
    expect(stats.state).toBe('done');
    const { stdout } = await pexec('tcpdump', ['-n', '-r', out]);
    const requests = stdout.split('\n').filter((l) => l.includes(`${address.get('x1')} > ${address.get('x2')}: ICMP echo request`));
    const replies = stdout.split('\n').filter((l) => l.includes(`${address.get('x2')} > ${address.get('x1')}: ICMP echo reply`));
    // Each packet crosses both proxies' bridges, so both saw it.
    expect(requests.length).toBe(8);
    expect(replies.length).toBe(8);
    expect(stats.sources.map((s) => s.packets)).toEqual([8, 8]);
    await captures.close();
  });
});

describe('the traffic view', () => {
  it('charts a switch live, split by host, while iperf3 runs', async () => {
    const app = await startApp();
    try {
      await app.core.call('hosts.import', { file: path.join(ol.lab.dir, 'hosts.yaml') }, { transport: 'in-process' });
      const { page, errors } = await app.open();
      await page.getByRole('button', { name: 'Traffic' }).click();
      await page.getByLabel('Datacenter document').fill(docFile);
      await page.getByRole('button', { name: 'Watch' }).click();
      await page.getByTestId('traffic-vni-5101').waitFor({ timeout: 30_000 });
      const measured = iperf(150, 30);
      const rate = page.getByTestId('traffic-vni-5101-rate');
      await expect.poll(() => rate.textContent(), { timeout: 20_000, interval: 500 }).toMatch(/^1[45]\d(\.\d)? Mbit\/s$/);
      // Enough seconds on the chart to see the plateau, and the other switch idle beside it.
      await new Promise((r) => setTimeout(r, 15_000));
      expect(await page.getByTestId('traffic-vni-5102-rate').textContent()).toMatch(/ (k?bit|bit)\/s$/);
      expect(await page.locator('[data-testid="traffic-vni-5101"] .u-legend').textContent()).toMatch(/host-198-18-\d+-11 in.*host-198-18-\d+-12 in/s);
      await screenshot(page, 'traffic-view');
      await page.getByRole('button', { name: 'Pause' }).click();
      const frozen = await rate.textContent();
      await new Promise((r) => setTimeout(r, 2500));
      expect(await rate.textContent()).toBe(frozen);
      await measured;
      expect(errors).toEqual([]);
    } finally {
      await app.close();
    }
  });
});
