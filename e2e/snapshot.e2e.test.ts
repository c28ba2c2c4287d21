/**
 * Datacenter snapshots against the lab, through the real CLI: snapshot a running datacenter, change it
 * (a VM deleted, a NIC rewired), restore — the VMs and the document are as before and nothing is left to
 * plan; a snapshot is listed and deleted from every VM.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { PlanView, SnapshotSummary } from '../src/api/contract';
import type { DatacenterInput } from '../src/model/document';
import { dcodIn, FIXTURE_HOSTS, fiveVmDocument } from './snapshot-fixture';
import { currentLab, sshHost } from './support/lab';

const DC = 'e2esnap';
const lab = currentLab();
let dir: string;
let file: string;
const dcod = (...args: string[]) => dcodIn(dir, args);
const ok = (r: { code: number; stdout: string; stderr: string }) => expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);

async function showVm(host: string, vm: string): Promise<string> {
  const r = await sshHost(host, `VBoxManage showvminfo ${vm} --machinereadable`);
  return r.code === 0 ? r.stdout : '';
}
async function pending(): Promise<string[]> {
  const r = await dcod('plan', '-f', file, '--json');
  ok(r);
  return (JSON.parse(r.stdout) as PlanView).plan.operations.filter((o) => o.action !== 'noop').map((o) => o.summary);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dcod-snapshot-e2e-'));
  file = path.join(dir, 'datacenter.yaml');
  for (const h of lab.hosts.filter((x) => x.kind === 'virtualbox')) ok(await dcod('hosts', 'add', h.name, h.address, '--user', lab.user, '--key', lab.keyPath));
  await writeFile(file, stringify(fiveVmDocument(DC, 9100)));
  ok(await dcod('apply', '-f', file, '--yes'));
});

afterAll(async () => {
  await dcod('destroy', '-f', file, '--yes');
  await rm(dir, { recursive: true, force: true });
});

describe('dcod snapshot', () => {
  let before: string;
  it('takes one named snapshot of every VM, with the document version', async () => {
    before = await readFile(file, 'utf8');
    const r = await dcod('snapshot', 'take', '-f', file, 'before', '--json');
    ok(r);
    const s = JSON.parse(r.stdout) as SnapshotSummary;
    expect(s.vms.map((v) => `${v.vm}@${v.host}`).sort()).toEqual(['app1@h1', 'db1@h2', 'db2@h3', 'web1@h1', 'web2@h2']);
    for (const v of s.vms) expect(await showVm(v.host, v.vm)).toContain('SnapshotName="dcod-before"');
    const list = await dcod('snapshot', 'list', '-f', file);
    expect(list.stdout).toMatch(/^before\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+[0-9a-f]{12}\s+/m);
  });

  it('restores the VMs and the document after a VM was deleted and a NIC rewired; nothing is left to plan', async () => {
    const doc: DatacenterInput = fiveVmDocument(DC, 9100);
    doc.vms = doc.vms!.filter((v) => v.name !== 'db2').map((v) => (v.name === 'web2' ? { ...v, nics: [{ switch: 'back' }] } : v));
    const { db2: _gone, ...placement } = doc.placement!;
    doc.placement = placement;
    await writeFile(file, stringify(doc));
    ok(await dcod('apply', '-f', file, '--yes'));
    expect(await showVm('h3', 'db2')).toBe('');
    expect(await showVm('h2', 'web2')).toContain('intnet1="dcod-vni-9102"');

    const r = await dcod('snapshot', 'restore', '-f', file, 'before', '--yes');
    ok(r);
    expect(r.stdout).toMatch(/Restored 4 VMs and .* to snapshot before/);
    expect(r.stdout).toMatch(/recreated .*: db2/);
    expect(await readFile(file, 'utf8')).toBe(before);
    expect(await showVm('h2', 'web2')).toContain('intnet1="dcod-vni-9101"');
    for (const [vm, host] of [['web1', 'h1'], ['web2', 'h2'], ['app1', 'h1'], ['db1', 'h2'], ['db2', 'h3']] as const) expect(await showVm(host, vm)).toContain('VMState="running"');
    expect(await pending()).toEqual([]);
  });

  it('deletes a snapshot from every VM and forgets it', async () => {
    ok(await dcod('snapshot', 'delete', '-f', file, 'before'));
    for (const h of FIXTURE_HOSTS) for (const vm of ['web1', 'web2', 'app1', 'db1']) expect(await showVm(h, vm)).not.toContain('dcod-before');
    expect((await dcod('snapshot', 'list', '-f', file)).stdout).toBe('no snapshots\n');
  });
});
