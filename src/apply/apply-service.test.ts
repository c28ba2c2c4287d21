import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalRunner } from '../hosts/local-runner';
import type { ObservedHost, ObservedVm } from '../hosts/observed';
import type { InventoryHost } from '../inventory/schema';
import type { Datacenter } from '../model/document';
import { canonicalYaml, loadDocumentFile } from '../model/document-file';
import { doc } from '../model/document.testkit';
import type { Operation, Plan } from '../plan/plan';
import { ApplyService, type ApplyProgress, type ApplyServiceDeps } from './apply-service';
import { COMPACT_ABOVE_BYTES, journalPath, lastOutcomes, readJournal } from './journal';

const DOC = canonicalYaml(doc({ name: 'lab', switches: [{ name: 'front', vni: 5001 }], vms: [{ name: 'web1', nics: [{ switch: 'front' }] }], placement: { web1: 'h1' } }));

let dir: string;
let file: string;
let vbox: string;
let log: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dcod-apply-svc-'));
  file = path.join(dir, 'datacenter.yaml');
  await writeFile(file, DOC);
  log = path.join(dir, 'ran.log');
  vbox = path.join(dir, 'VBoxManage');
  await writeFile(vbox, `#!/bin/sh\necho "$*" >> ${log}\ncase "$*" in *broken*) printf "VBoxManage: error: The machine 'web1' is already locked by a session (or being locked or unlocked)\\nVBoxManage: error: Details: code VBOX_E_INVALID_OBJECT_STATE (0x80bb0007), component MachineWrap, interface IMachine, callee nsISupports\\n" >&2; exit 1;; esac\n`);
  await chmod(vbox, 0o755);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const inventory: InventoryHost[] = ['h1', 'h2'].map((name) => ({ name, address: 'local', port: 22, os: 'linux', user: 'me', auth: { method: 'agent' } }));
const vm = (over: Partial<ObservedVm> = {}): ObservedVm =>
  ({ name: 'old1', uuid: '11111111-2222-3333-4444-555555555555', groups: ['/'], state: 'poweroff', cpus: 2, memoryMb: 1024, chipset: 'piix3', nics: [], storageControllers: [], storageAttachments: [], snapshots: [], guestAdditions: {}, raw: {}, extraData: {}, guestProperties: {}, ...over }) as unknown as ObservedVm;
const observedHost = (host: string, vms: ObservedVm[] = []): ObservedHost => ({
  host, reachable: true, vbox: { version: '7.0.6', major: 7, minor: 0, patch: 6 }, bridgedInterfaces: [], internalNetworks: [], vms, warnings: [], observedAt: new Date().toISOString(),
} as ObservedHost);

const op = (id: string, commands: string[][], dependsOn: string[] = []): Operation => ({
  id, target: { kind: 'host', host: 'h1' }, resource: { kind: 'vm', name: 'web1' }, action: 'create', summary: `do ${id}`, reason: 'not on h1', commands, dependsOn,
});

function service(planner: (d: Datacenter) => Plan, observed: () => ObservedHost[] = () => [observedHost('h1'), observedHost('h2')], drift: ApplyServiceDeps['drift'] = undefined) {
  const progress: ApplyProgress[] = [];
  const deps: ApplyServiceDeps = {
    planner: (d) => planner(d),
    ...(drift ? { drift } : {}),
    refresh: async () => observed(),
    inventory: async () => inventory.map((h) => ({ ...h, vboxmanage: vbox })),
    runnerFor: async () => new LocalRunner(),
    onProgress: (p) => progress.push(p),
  };
  return { svc: new ApplyService(deps), progress };
}

describe('ApplyService', () => {
  it('applies exactly the plan it made, with progress per operation, and journals it', async () => {
    const plan: Plan = { datacenter: 'lab', operations: [op('vm/web1/create', [['VBoxManage', 'createvm', 'web1']]), op('vm/web1/start', [['VBoxManage', 'startvm', 'web1']], ['vm/web1/create'])], diagnostics: [] };
    const { svc, progress } = service(() => plan);
    const view = await svc.makePlan(file);
    expect(view).toMatchObject({ docVersion: (await loadDocumentFile(file)).version, destroy: false, plan, hosts: [{ host: 'h1', reachable: true }, { host: 'h2', reachable: true }] });
    const result = await svc.apply(file, view.planId);
    expect(result).toMatchObject({ ok: true, counts: { done: 2, failed: 0, skipped: 0 }, execs: 2 });
    expect(progress.map((p) => `${p.state} ${p.op}`)).toEqual(['started vm/web1/create', 'done vm/web1/create', 'started vm/web1/start', 'done vm/web1/start']);
    expect(await readFile(log, 'utf8')).toBe('createvm web1\nstartvm web1\n');
    const records = await readJournal(journalPath(file, 'lab'));
    expect(records.map((r) => r.type)).toEqual(['begin', 'op', 'op', 'op', 'op', 'end']);
  });

  it('compacts a journal grown past its bound before applying: the history left still gives status its answers', async () => {
    const journal = journalPath(file, 'lab');
    const old = (i: number) => {
      const base = { planId: `old-${i}`, time: new Date(0).toISOString(), docVersion: 'v0' };
      return [{ type: 'begin', datacenter: 'lab', operations: 1, ...base }, { type: 'op', op: 'vm/web1/start', state: 'done', resource: 'vm/web1', action: 'start', ...base }, { type: 'end', done: 1, failed: 0, skipped: 0, ...base }];
    };
    await mkdir(path.dirname(journal), { recursive: true });
    await writeFile(journal, Array.from({ length: 5000 }, (_, i) => old(i).map((r) => `${JSON.stringify(r)}\n`).join('')).join(''));
    expect((await stat(journal)).size).toBeGreaterThan(COMPACT_ABOVE_BYTES);
    const plan: Plan = { datacenter: 'lab', operations: [{ ...op('switch/front/create', [['VBoxManage', 'createvm', 'x']]), resource: { kind: 'switch', name: 'front' } }], diagnostics: [] };
    const { svc } = service(() => plan);
    const view = await svc.makePlan(file);
    expect((await svc.apply(file, view.planId)).ok).toBe(true);
    const records = await readJournal(journal);
    expect([...new Set(records.map((r) => r.planId))]).toEqual(['old-4999', view.planId]); // vm/web1's last apply, and this one
    expect(lastOutcomes(records).get('vm/web1')).toMatchObject({ planId: 'old-4999', state: 'done' });
  });

  it('applies a datacenter once at a time across cores (two dcod processes): the second is told who holds it', async () => {
    const slow: Plan = { datacenter: 'lab', operations: [op('vm/web1/create', [['sleep', '0.6']])], diagnostics: [] };
    const first = service(() => slow).svc;
    const second = service(() => slow).svc;
    const [a, b] = [await first.makePlan(file), await second.makePlan(file)];
    const running = first.apply(file, a.planId);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(second.apply(file, b.planId)).rejects.toMatchObject({ code: 'INVALID_STATE', retryable: true, message: expect.stringContaining(`is being applied by dcod (pid ${process.pid}, plan ${a.planId.slice(0, 12)}`) });
    expect((await running).ok).toBe(true);
    expect((await second.apply(file, b.planId)).ok).toBe(true);
  });

  it('refuses a plan made from another version of the document, and an unknown plan id', async () => {
    const { svc } = service(() => ({ datacenter: 'lab', operations: [], diagnostics: [] }));
    const view = await svc.makePlan(file);
    await writeFile(file, DOC.replace('5001', '5002'));
    await expect(svc.apply(file, view.planId)).rejects.toMatchObject({ code: 'INVALID_STATE', message: expect.stringMatching(/changed since plan/) });
    await expect(svc.apply(file, 'f'.repeat(64))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('plans a destroy against the document with nothing in it', async () => {
    const seen: Datacenter[] = [];
    const { svc } = service((d) => (seen.push(d), { datacenter: 'lab', operations: [], diagnostics: [] }));
    const view = await svc.makePlan(file, { destroy: true });
    expect(view.destroy).toBe(true);
    expect(seen[0]).toMatchObject({ metadata: { name: 'lab' }, vms: [], switches: [], volumes: [], routers: [], placement: {} });
  });

  it('resumes a persisted plan in a new process: what the journal says was done is not run again', async () => {
    const plan: Plan = { datacenter: 'lab', operations: [op('vm/web1/create', [['VBoxManage', 'createvm', 'web1']]), op('vm/web1/start', [['VBoxManage', 'startvm', 'broken']], ['vm/web1/create'])], diagnostics: [] };
    const first = service(() => plan);
    const view = await first.svc.makePlan(file);
    const failed = await first.svc.apply(file, view.planId);
    expect(failed.outcomes[1]).toMatchObject({ state: 'failed', error: { code: 'VM_LOCKED', retryable: true } });

    await writeFile(log, '');
    const second = service(() => plan); // another process: only the plan file and the journal carry over
    const again = await second.svc.apply(file, view.planId);
    expect(again.outcomes.map((o) => o.state === 'done' && o.resumed)).toEqual([true, false]);
    expect(await readFile(log, 'utf8')).toBe('startvm broken\n');
  });

  it('says where each resource stands: missing, failed last apply, in sync, and extra', async () => {
    let ops: Operation[] = [op('vm/web1/create', [['VBoxManage', 'createvm', 'broken']])];
    const { svc } = service(() => ({ datacenter: 'lab', operations: ops, diagnostics: [] }));
    expect((await svc.status(file)).resources).toEqual([
      { kind: 'switch', name: 'front', state: 'in-sync', hosts: [], details: [] },
      { kind: 'vm', name: 'web1', state: 'missing', hosts: ['h1'], details: ['create: not on h1'] },
    ]);
    await svc.apply(file, (await svc.makePlan(file)).planId);
    expect((await svc.status(file)).resources[1]).toMatchObject({ state: 'failed', error: { code: 'VM_LOCKED' } });
    ops = [{ ...op('vm/old/delete', []), resource: { kind: 'vm', name: 'old' }, action: 'delete', reason: 'not in the document' }];
    expect((await svc.status(file)).resources.map((r) => `${r.name} ${r.state}`)).toEqual(['front in-sync', 'web1 in-sync', 'old extra']);
  });

  it('tells a hand-made change (drift) from a document edit not applied yet (pending)', async () => {
    const update = { ...op('vm/web1/update', [['VBoxManage', 'modifyvm', 'web1']]), action: 'update' as const, reason: 'memory 1024 → 512 MB' };
    const plan = (): Plan => ({ datacenter: 'lab', operations: [update], diagnostics: [] });
    const edited = service(plan);
    expect((await edited.svc.status(file)).resources[1]).toMatchObject({ state: 'pending', details: ['update: memory 1024 → 512 MB'] });
    const byHand = service(plan, undefined, () => [{ resource: { kind: 'vm', name: 'web1' }, host: 'h1', changes: ['memory 512 → 1024 MB'] }]);
    expect((await byHand.svc.status(file)).resources[1]).toMatchObject({ state: 'drift', hosts: ['h1'], details: ['memory 512 → 1024 MB'] });
  });

  it('adopts a powered-off VM: tags it on its host and adds it, as it is, to the document', async () => {
    const old = vm({ nics: [{ slot: 1, attachment: 'intnet', attachmentRaw: 'intnet', network: 'dcod-vni-5001', mac: '080027000001' }, { slot: 2, attachment: 'bridged', attachmentRaw: 'bridged', network: 'eno1', mac: '080027000002' }] as unknown as ObservedVm['nics'] });
    const { svc } = service(() => ({ datacenter: 'lab', operations: [], diagnostics: [] }), () => [observedHost('h1'), observedHost('h2', [old])]);
    const result = await svc.adopt(file, 'h2', 'old1');
    expect(result.vm).toEqual({ name: 'old1', cpus: 2, memoryMb: 1024, nics: [{ switch: 'front', mac: '080027000001' }, { bridged: true, mac: '080027000002' }], volumes: [], power: 'stopped', chipset: 'piix3', apartFrom: [] });
    expect(await readFile(log, 'utf8')).toBe(
      `modifyvm ${old.uuid} --groups /dcod/lab\nsetextradata ${old.uuid} dcod/datacenter lab\nsetextradata ${old.uuid} dcod/role vm\n`,
    );
    const saved = await loadDocumentFile(file);
    expect(saved.version).toBe(result.version);
    expect(saved.document.placement).toEqual({ web1: 'h1', old1: 'h2' });
    expect(saved.document.vms.map((v) => v.name)).toEqual(['web1', 'old1']);
  });

  it('refuses to adopt a running VM, another datacenter\'s VM, or one the document cannot describe', async () => {
    const hosts = [observedHost('h1', [
      vm({ name: 'run1', state: 'running' }),
      vm({ name: 'theirs', extraData: { 'dcod/datacenter': 'other' } }),
      vm({ name: 'natty', nics: [{ slot: 1, attachment: 'nat', attachmentRaw: 'nat' }] as unknown as ObservedVm['nics'] }),
    ])];
    const { svc } = service(() => ({ datacenter: 'lab', operations: [], diagnostics: [] }), () => hosts);
    await expect(svc.adopt(file, 'h1', 'run1')).rejects.toMatchObject({ code: 'INVALID_STATE' });
    await expect(svc.adopt(file, 'h1', 'theirs')).rejects.toMatchObject({ message: expect.stringMatching(/belongs to datacenter "other"/) });
    await expect(svc.adopt(file, 'h1', 'natty')).rejects.toMatchObject({ message: expect.stringMatching(/NIC 1 on nat/) });
    await expect(svc.adopt(file, 'h1', 'ghost')).rejects.toMatchObject({ code: 'VM_NOT_FOUND' });
    await expect(svc.adopt(file, 'h1', 'Bad_Name')).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await readFile(file, 'utf8')).toBe(DOC);
  });
});
