/**
 * Export and import against two labs, through the real CLI: a 3-host datacenter (2 switches with DHCP, a
 * router, 5 VMs made from an OVA image, a volume) with marker bytes written into every VM's disk and the
 * volume is exported, destroyed, and imported into a fresh 2-host lab run from that lab's own laptop:
 * every VM runs with its marker, DHCP, routing and cross-host switching work, and nothing is left to
 * plan. The import reads a single-file `.dcod` bundle, itself written by an export that was cancelled
 * mid-way and run again (the files finished before the cancel are kept, not fetched again). A bundle
 * with one byte flipped, or cut short, is refused, naming the file, before any host is touched.
 * The target lab is DCOD_TARGET_LAB (default sxb) on DCOD_TARGET_CIDR (default 198.18.82.0/24).
 */
import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, open, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { BundleManifest, PlanView } from '../src/api/contract';
import type { DatacenterInput } from '../src/model/document';
import { scanArchive } from '../src/bundle/archive-target';
import { labDown, labUp, type LabInfo } from './lab/lab';
import { until } from './overlay/driver';
import { dcodIn, FIXTURE_HOSTS, fiveVmDocument, type CliResult } from './snapshot-fixture';
import { spawnDcod } from './support/cli';
import { injectFault, type Fault } from './support/faults';
import { currentLab, inNetns, sshArgv, sshHost } from './support/lab';

const DC = 'e2eexp';
const TARGET = process.env.DCOD_TARGET_LAB ?? 'sxb';
const TARGET_CIDR = process.env.DCOD_TARGET_CIDR ?? '198.18.82.0/24';
const lab = currentLab();
let target: LabInfo;
let dir: string;
let targetDir: string;
let file: string;
let bundle: string;
let single: string;
const MARKER = (vm: string) => `MARKER-${vm}-${'x'.repeat(64)}`;
const ok = (r: CliResult) => expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
const dcod = (...args: string[]) => dcodIn(dir, args);
const dcodTarget = (...args: string[]) => dcodIn(targetDir, args, { netns: target.laptop.netns });

/** A command on a host of either lab, over SSH from that lab's own laptop. */
async function onHost(l: LabInfo, host: string, command: string): Promise<{ stdout: string; code: number }> {
  if (l.name === lab.name) return sshHost(host, command);
  const r = await inNetns(l.laptop.netns, sshArgv(l, host, command));
  expect(r.stderr).not.toMatch(/Connection|Permission denied|Could not resolve/);
  return r;
}

async function vmInfo(l: LabInfo, host: string, vm: string): Promise<string> {
  const r = await onHost(l, host, `VBoxManage showvminfo ${vm} --machinereadable`);
  return r.code === 0 ? r.stdout : '';
}
const diskOf = (info: string, port: number) => new RegExp(`^"SATA-${port}-0"="(.*)"$`, 'm').exec(info)?.[1];

async function running(l: LabInfo, host: string): Promise<string[]> {
  const r = await onHost(l, host, 'VBoxManage list runningvms');
  return [...r.stdout.matchAll(/^"(.*)" \{/gm)].map((m) => m[1]!).filter((n) => !n.startsWith('dcod-proxy-')).sort();
}

async function guestNs(l: LabInfo, host: string, vm: string): Promise<string> {
  const uuid = /^UUID="(.*)"$/m.exec(await vmInfo(l, host, vm))![1]!;
  return `${l.name}-${host}-${uuid.replace(/-/g, '').slice(0, 8)}`;
}
async function ipv4(ns: string, nic = 'nic1'): Promise<string | undefined> {
  const r = await inNetns(ns, ['ip', '-j', '-4', 'addr', 'show', 'dev', nic]);
  return (JSON.parse(r.stdout || '[]') as { addr_info: { local: string }[] }[])[0]?.addr_info[0]?.local;
}
const pings = (ns: string, address: string) => until(`${ns} to ping ${address}`, async () => ((await inNetns(ns, ['ping', '-c', '1', '-W', '1', address])).code === 0 ? true : undefined), 30_000);

/** An OVA with one small disk, made on h1 by VirtualBox itself and brought here. */
async function baseImage(): Promise<string> {
  const r = await sshHost(
    'h1',
    'set -e; cd "$HOME"; rm -f dcodexbase.vdi dcodexbase.ova; VBoxManage createvm --name dcodexbase --register >/dev/null; VBoxManage storagectl dcodexbase --name SATA --add sata; ' +
      'VBoxManage createmedium disk --filename "$HOME/dcodexbase.vdi" --size 8 >/dev/null; VBoxManage storageattach dcodexbase --storagectl SATA --port 0 --type hdd --medium "$HOME/dcodexbase.vdi"; ' +
      'VBoxManage export dcodexbase --output "$HOME/dcodexbase.ova" >/dev/null 2>&1; VBoxManage unregistervm dcodexbase --delete >/dev/null 2>&1; base64 dcodexbase.ova; rm -f dcodexbase.ova',
  );
  expect(r.code, r.stderr).toBe(0);
  const ova = path.join(dir, 'base.ova');
  await writeFile(ova, Buffer.from(r.stdout, 'base64'));
  return ova;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dcod-export-e2e-'));
  targetDir = await mkdtemp(path.join(os.tmpdir(), 'dcod-import-e2e-'));
  file = path.join(dir, 'datacenter.yaml');
  bundle = path.join(dir, 'bundle');
  single = path.join(dir, 'lab.dcod');
  for (const h of lab.hosts.filter((x) => x.kind === 'virtualbox')) ok(await dcod('hosts', 'add', h.name, h.address, '--user', lab.user, '--key', lab.keyPath));
  const doc: DatacenterInput = { ...fiveVmDocument(DC, 9300), images: [{ name: 'base', ova: await baseImage() }] };
  doc.vms = doc.vms!.map((v) => ({ ...v, image: 'base' }));
  await writeFile(file, stringify(doc));
  ok(await dcod('apply', '-f', file, '--yes'));
  // A VM imported from an OVA gets its volumes once its controllers can be seen: from the second plan.
  ok(await dcod('apply', '-f', file, '--yes'));
  for (const [vm, host] of Object.entries(doc.placement!)) {
    const disk = diskOf(await vmInfo(lab, host, vm), 0);
    expect(disk, `${vm}'s disk`).toBeDefined();
    expect((await sshHost(host, `printf %s '${MARKER(vm)}' > '${disk}'`)).code).toBe(0);
  }
  const volume = diskOf(await vmInfo(lab, 'h1', 'web1'), 1);
  expect(volume).toMatch(new RegExp(`/dcod-${DC}/data\\.vdi$`));
  expect((await sshHost('h1', `printf %s '${MARKER('data')}' > '${volume}'`)).code).toBe(0);
  target = await labUp({ name: TARGET, hosts: 2, cidr: TARGET_CIDR });
  for (const h of target.hosts.filter((x) => x.kind === 'virtualbox')) ok(await dcodTarget('hosts', 'add', h.name, h.address, '--user', target.user, '--key', target.keyPath));
}, 600_000);

afterAll(async () => {
  await dcod('destroy', '-f', file, '--yes');
  await labDown(TARGET);
  await rm(dir, { recursive: true, force: true });
  await rm(targetDir, { recursive: true, force: true });
});

describe('dcod export', () => {
  it('writes a self-describing bundle: the virtual document, an OVA per VM, the volume, sizes and SHA-256s', async () => {
    const r = await dcod('export', '-f', file, '-o', bundle);
    ok(r);
    expect(r.stderr).toMatch(/^done +\[#+\] [\d.]+ KiB \/ [\d.]+ KiB +[\d.]+ \S+\/s +ETA 0:00$/m);
    const m = JSON.parse(await readFile(path.join(bundle, 'manifest.json'), 'utf8')) as BundleManifest;
    expect(m.vms.map((v) => v.name).sort()).toEqual(['app1', 'db1', 'db2', 'web1', 'web2']);
    expect(m.vms.find((v) => v.name === 'web1')?.volumeDisks).toEqual([{ index: 1, volume: 'data', port: 1 }]);
    expect(m.files.map((f) => f.path).sort()).toEqual(['datacenter.yaml', 'vms/app1.ova', 'vms/db1.ova', 'vms/db2.ova', 'vms/web1.ova', 'vms/web2.ova', 'volumes/data.vdi']);
    for (const f of m.files) expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
    const doc = await readFile(path.join(bundle, 'datacenter.yaml'), 'utf8');
    expect(doc).not.toMatch(/placement|h1|h2|h3/);
    expect(await readFile(path.join(bundle, 'volumes/data.vdi'), 'utf8')).toBe(MARKER('data'));
  });

  it('writes one .dcod file; cancelled mid-way and run again, it keeps the files finished before the cancel and completes', async () => {
    type Finished = { path: string; header: number };
    const progressFile = `${single}.progress.json`;
    const finished = async () => JSON.parse(await readFile(progressFile, 'utf8').catch(() => '[]')) as Finished[];
    const first = spawnDcod(dir, ['export', '-f', file, '-o', single]);
    let stderr = '';
    // Once the hosts have been read, h1's VBoxManage hangs (a wedged VBoxSVC): h1's VMs stay unexported, so
    // the cancel surely comes mid-way (the small files of the other hosts take well under a second), and it
    // has to end a VBoxManage export that would never return by itself.
    let hung: Fault | undefined;
    first.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (!hung && /^exporting /m.test(stderr)) hung = injectFault(lab, 'vboxmanage-hangs', 'h1');
    });
    const exited = new Promise<number | null>((resolve) => first.on('exit', (code) => resolve(code)));
    let code: number | null;
    try {
      await until('an OVA of another host to be in the .dcod', async () => ((await finished()).some((f) => f.path.startsWith('vms/')) ? true : undefined), 120_000);
      first.kill('SIGINT'); // what Ctrl-C does: the CLI cancels the export
      const late = setTimeout(() => first.kill('SIGKILL'), 30_000);
      code = await exited;
      clearTimeout(late);
    } finally {
      await hung?.clear();
    }
    expect(code, `the CLI did not end within 30 s of Ctrl-C; its stderr:\n${stderr}`).not.toBeNull();
    expect(code, stderr).toBe(1);
    expect(stderr).toMatch(/export cancelled: run it again to resume|cancelled/);
    const before = (await finished()).filter((f) => f.path !== 'datacenter.yaml');
    expect(before.length).toBeGreaterThan(0);
    expect(before.length, 'the cancel came mid-way').toBeLessThan(6);

    ok(await dcod('export', '-f', file, '-o', single));
    const fh = await open(single, 'r');
    const scan = await scanArchive(fh);
    await fh.close();
    // Each file finished before the cancel is where the first run wrote it: kept, not fetched again.
    for (const f of before) expect(scan.entries.find((e) => e.name === f.path)?.header, f.path).toBe(f.header);
    const names = execFileSync('tar', ['-tf', single], { encoding: 'utf8' }).trim().split('\n').filter((n) => !n.startsWith('.dcod-incomplete/'));
    expect(names.sort()).toEqual(['datacenter.yaml', 'manifest.json', 'vms/app1.ova', 'vms/db1.ova', 'vms/db2.ova', 'vms/web1.ova', 'vms/web2.ova', 'volumes/data.vdi']);
    expect(execFileSync('tar', ['-xOf', single, 'volumes/data.vdi'], { encoding: 'utf8' })).toBe(MARKER('data'));
  });
});

describe('dcod import', () => {
  it('refuses a bundle with one byte flipped, naming the file, before touching a host', async () => {
    const bad = path.join(dir, 'bad');
    await cp(bundle, bad, { recursive: true });
    const ova = path.join(bad, 'vms/db1.ova');
    const bytes = await readFile(ova);
    const at = bytes.length >> 1;
    bytes.writeUInt8(bytes.readUInt8(at) ^ 0x01, at);
    await writeFile(ova, bytes);
    const r = await dcodTarget('import', bad, '-f', path.join(targetDir, 'bad.yaml'), '--yes');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bundle file vms\/db1\.ova does not match its SHA-256 .* nothing was imported \[FILE_ERROR\]/);
    for (const h of ['h1', 'h2']) expect(await onHost(target, h, 'VBoxManage list vms')).toMatchObject({ code: 0, stdout: '' });
  });

  it('refuses a .dcod with one byte flipped, or cut short, naming it, before touching a host', async () => {
    const flipped = path.join(dir, 'flipped.dcod');
    await cp(single, flipped);
    const fh = await open(flipped, 'r+');
    const db1 = (await scanArchive(fh)).entries.find((e) => e.name === 'vms/db1.ova')!;
    const at = db1.header + 512 + (db1.bytes >> 1);
    const one = Buffer.alloc(1);
    await fh.read(one, 0, 1, at);
    one[0]! ^= 0x01;
    await fh.write(one, 0, 1, at);
    await fh.close();
    let r = await dcodTarget('import', flipped, '-f', path.join(targetDir, 'bad.yaml'), '--yes');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bundle file vms\/db1\.ova does not match its SHA-256 in the manifest: .*flipped\.dcod is damaged; nothing was imported \[FILE_ERROR\]/);
    const cut = path.join(dir, 'cut.dcod');
    await cp(single, cut);
    await truncate(cut, at);
    r = await dcodTarget('import', cut, '-f', path.join(targetDir, 'bad.yaml'), '--yes');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cut\.dcod is truncated: it ends inside vms\/db1\.ova; nothing was imported \[FILE_ERROR\]/);
    for (const h of ['h1', 'h2']) expect(await onHost(target, h, 'VBoxManage list vms')).toMatchObject({ code: 0, stdout: '' });
  });

  it('imports into a fresh 2-host lab after the source is destroyed: VMs run with their markers, DHCP, routing and switching work, nothing left to plan', async () => {
    ok(await dcod('destroy', '-f', file, '--yes'));
    for (const h of FIXTURE_HOSTS) expect(await running(lab, h)).toEqual([]);

    const out = path.join(targetDir, 'datacenter.yaml');
    const r = await dcodTarget('import', single, '-f', out, '--yes');
    ok(r);
    expect(r.stdout).toMatch(/Apply complete/);
    const placement = (await import('yaml')).parse(await readFile(out, 'utf8')).placement as Record<string, string>;
    expect(Object.keys(placement).sort()).toEqual(['app1', 'db1', 'db2', 'web1', 'web2']);
    expect(new Set(Object.values(placement))).toEqual(new Set(['h1', 'h2']));
    for (const h of ['h1', 'h2']) expect(await running(target, h)).toEqual(Object.entries(placement).filter(([, x]) => x === h).map(([vm]) => vm).sort());

    for (const [vm, host] of Object.entries(placement)) {
      const disk = diskOf(await vmInfo(target, host, vm), 0)!;
      expect((await onHost(target, host, `cat '${disk}'`)).stdout, `${vm}'s disk`).toBe(MARKER(vm));
    }
    const volume = diskOf(await vmInfo(target, placement.web1!, 'web1'), 1)!;
    expect(volume).toMatch(new RegExp(`/dcod-${DC}/data\\.vdi$`));
    expect((await onHost(target, placement.web1!, `cat '${volume}'`)).stdout).toBe(MARKER('data'));

    const ns = Object.fromEntries(await Promise.all(Object.entries(placement).map(async ([vm, host]) => [vm, await guestNs(target, host, vm)] as const)));
    const addr = async (vm: string, nic = 'nic1') => until(`${vm} to get a DHCP lease`, () => ipv4(ns[vm]!, nic), 30_000);
    expect(await addr('web1')).toMatch(/^10\.91\.1\./);
    expect(await addr('db1')).toMatch(/^10\.91\.2\./);
    // Same switch, across hosts where the placement allows it; and from one switch to the other through the router.
    const front = ['web1', 'web2', 'app1'];
    const pair = front.flatMap((a) => front.filter((b) => placement[a] !== placement[b]).map((b) => [a, b] as const))[0] ?? (['web1', 'web2'] as const);
    expect(await pings(ns[pair[0]]!, await addr(pair[1]))).toBe(true);
    expect(await pings(ns.web1!, await addr('db1'))).toBe(true);

    const plan = await dcodTarget('plan', '-f', out, '--json');
    ok(plan);
    expect((JSON.parse(plan.stdout) as PlanView).plan.operations.filter((o) => o.action !== 'noop').map((o) => o.summary)).toEqual([]);

    // The same bundle again onto the same hosts: refused with the plan, before any byte is uploaded.
    const again = await dcodTarget('import', single, '-f', path.join(targetDir, 'again.yaml'), '--yes');
    expect(again.code, again.stdout).toBe(1);
    expect(again.stderr).toMatch(/datacenter e2eexp is on these hosts already \(.*web1 on h[12].*\): destroy it there first/);
    expect(again.stdout).not.toMatch(/uploading/);
    for (const h of ['h1', 'h2']) expect((await onHost(target, h, `ls "$HOME/VirtualBox VMs" | grep '^dcod-import-' || true`)).stdout).toBe('');
  });
});
