import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ExecResult, StreamingRunner } from '../hosts/runner';
import type { InventoryHost } from '../inventory/schema';
import { canonicalYaml } from '../model/document-file';
import { doc } from '../model/document.testkit';
import { observedHost, observedVm } from '../plan/observed.testkit';
import { snapshotFolder } from './record';
import { SnapshotService } from './snapshot-service';

const hosts: InventoryHost[] = ['h1', 'h2'].map((name) => ({ name, address: name, port: 22, os: 'linux', user: 'u', auth: { method: 'agent' } }));
const dcDoc = doc({ vms: [{ name: 'a' }, { name: 'b' }, { name: 'c', power: 'stopped' }] });
const observed = [
  observedHost({ host: 'h1', vms: [observedVm({ name: 'a', state: 'running' }), observedVm({ name: 'c', state: 'poweroff' })] }),
  observedHost({ host: 'h2', vms: [observedVm({ name: 'b', state: 'running' })] }),
];
const uuidOf = (name: string) => observed.flatMap((h) => h.vms).find((v) => v.name === name)!.uuid;

/** Hosts that answer VBoxManage snapshot commands; `fail` names a VM UUID whose take fails. */
function fakeAccess(fail?: string) {
  const calls: string[] = [];
  let n = 0;
  const runner = (host: string): StreamingRunner => ({
    shell: 'posix',
    run: async (argv): Promise<ExecResult> => {
      calls.push(`${host}: ${argv.join(' ')}`);
      if (argv[1] === 'snapshot' && argv[3] === 'take') {
        if (argv[2] === fail) return { stdout: '', stderr: 'VBoxManage: error: The machine is locked\n', code: 1 };
        return { stdout: `Snapshot taken. UUID: 00000000-0000-4000-8000-00000000000${++n}\n`, stderr: '', code: 0 };
      }
      return { stdout: '', stderr: '', code: 0 };
    },
    exec: async () => ({ stdout: '', stderr: '', code: 0 }),
    execStream: () => ({ done: Promise.resolve({ code: 0 }), stop: async () => undefined }),
    close: async () => undefined,
  });
  return { calls, access: { inventory: async () => hosts, refresh: async () => observed, runnerFor: async (h: InventoryHost) => runner(h.name) } };
}

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dcod-snap-'));
  file = path.join(dir, 'datacenter.yaml');
  await writeFile(file, canonicalYaml(dcDoc));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('SnapshotService', () => {
  it('snapshots every VM in parallel, live only where running, under one name', async () => {
    const { calls, access } = fakeAccess();
    const s = await new SnapshotService(access).take(file, 'before');
    expect(s.vms.map((v) => [v.vm, v.host, v.running])).toEqual([['a', 'h1', true], ['b', 'h2', true], ['c', 'h1', false]]);
    expect(calls.filter((c) => c.includes(' take '))).toHaveLength(3);
    expect(calls.find((c) => c.includes(uuidOf('a')))).toMatch(/take dcod-before --description .* --live$/);
    expect(calls.find((c) => c.includes(uuidOf('c')))).not.toMatch(/--live/);
    expect((await new SnapshotService(access).list(file)).map((x) => x.name)).toEqual(['before']);
    await expect(new SnapshotService(access).take(file, 'before')).rejects.toThrow(/already has a snapshot before/);
  });

  it('deletes the snapshots it made when one VM fails, and keeps no record', async () => {
    const { calls, access } = fakeAccess(uuidOf('b'));
    await expect(new SnapshotService(access).take(file, 'half')).rejects.toThrow(/VM b on h2: host h2: snapshotting VM b: The machine is locked/);
    expect(calls.filter((c) => / snapshot \S+ delete /.test(c)).map((c) => c.split(' ')[3]).sort()).toEqual([uuidOf('a'), uuidOf('c')].sort());
    expect(await new SnapshotService(access).list(file)).toEqual([]);
  });

  it('restores VMs (powered off first, started if they ran) and the document, naming VMs gone since', async () => {
    const { calls, access } = fakeAccess();
    const svc = new SnapshotService(access);
    await svc.take(file, 'before');
    await writeFile(file, canonicalYaml({ ...dcDoc, vms: dcDoc.vms.slice(0, 2) }));
    const gone = { ...access, refresh: async () => [observed[0]!, observedHost({ host: 'h2' })] };
    calls.length = 0;
    const r = await new SnapshotService(gone).restore(file, 'before');
    expect(r.recreate).toEqual(['b']);
    expect(calls.filter((c) => c.includes(uuidOf('a'))).map((c) => c.split(' ')[2])).toEqual(['controlvm', 'snapshot', 'startvm']);
    expect(calls.filter((c) => c.includes(uuidOf('c'))).map((c) => c.split(' ')[2])).toEqual(['snapshot']);
    expect(await readFile(file, 'utf8')).toBe(canonicalYaml(dcDoc));
  });

  it('calls a record that is not JSON damaged (FILE_ERROR), naming the file', async () => {
    const folder = snapshotFolder(file, dcDoc.metadata.name);
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'cut.json'), '{"name": "cut", "da');
    await expect(new SnapshotService(fakeAccess().access).list(file)).rejects.toMatchObject({ code: 'FILE_ERROR', message: expect.stringMatching(/cut\.json is damaged: not JSON$/) });
  });
});
