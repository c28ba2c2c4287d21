import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DcodError } from '../errors';
import { LocalRunner } from '../hosts/local-runner';
import type { ExecOptions, HostRunner, StreamHandlers } from '../hosts/runner';
import type { Operation, Plan } from '../plan/plan';
import { applyPlan, type ApplyOptions, type OperationOutcome } from './engine';
import { doneOperations, journalPath, JournalWriter, lastOutcomes, readJournal, unfinishedApply } from './journal';

let dir: string;
let vbox: string;
let log: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dcod-apply-'));
  log = path.join(dir, 'ran.log');
  // A stand-in VBoxManage: logs its arguments; `fail` prints VirtualBox's error text for an unknown VM;
  // `hang` says nothing for longer than the tests wait.
  vbox = path.join(dir, 'VBoxManage');
  await writeFile(
    vbox,
    [
      '#!/bin/sh',
      `echo "$*" >> ${log}`,
      'case "$*" in *hang*) exec sleep 3;; esac',
      'case "$*" in *fail*)',
      `  echo "VBoxManage: error: Could not find a registered machine named '$2'" >&2`,
      '  echo "VBoxManage: error: Details: code VBOX_E_OBJECT_NOT_FOUND (0x80bb0001), component VirtualBoxWrap, interface IVirtualBox, callee nsISupports" >&2',
      '  exit 1;;',
      'esac',
      'echo "ok $1"',
      '',
    ].join('\n'),
  );
  await chmod(vbox, 0o755);
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const op = (id: string, host: string, commands: string[][], dependsOn: string[] = [], target: 'host' | 'proxy' = 'host'): Operation => ({
  id,
  target: { kind: target, host },
  resource: { kind: 'vm', name: id.split('/')[1] ?? id },
  action: 'create',
  summary: `do ${id}`,
  reason: 'test',
  commands,
  dependsOn,
});
const plan = (...operations: Operation[]): Plan => ({ datacenter: 'dc', operations, diagnostics: [] });

/** Counts execs per host, and can cut the connection after a given marker, as a dying sshd would. */
class TestRunner implements HostRunner {
  readonly shell = 'posix' as const;
  execs = 0;
  private readonly local = new LocalRunner();
  constructor(private readonly cutAfter?: string) {}
  run(argv: readonly string[], opts?: ExecOptions) {
    return this.local.run(argv, opts);
  }
  execStream(commandLine: string, handlers: StreamHandlers) {
    return this.local.execStream(commandLine, handlers);
  }
  async exec(commandLine: string, opts: ExecOptions = {}) {
    this.execs++;
    const res = await this.local.exec(commandLine, { ...opts, onStderr: undefined });
    const at = this.cutAfter === undefined ? -1 : res.stderr.indexOf(this.cutAfter);
    if (at < 0) {
      opts.onStderr?.(res.stderr);
      return res;
    }
    opts.onStderr?.(res.stderr.slice(0, at + this.cutAfter!.length));
    throw new DcodError('HOST_UNREACHABLE', 'dcod@h: connection reset');
  }
  async close() {}
}

function options(runners: Record<string, HostRunner | Error>, extra: Partial<ApplyOptions> = {}): ApplyOptions & { events: string[] } {
  const events: string[] = [];
  return {
    planId: 'p1',
    docVersion: 'v1',
    runnerFor: async (host) => {
      const r = runners[host];
      if (r === undefined) throw new Error(`no runner for ${host}`);
      if (r instanceof Error) throw r;
      return r;
    },
    vboxmanageFor: () => vbox,
    hooks: {
      preOperation: (o) => events.push(`start ${o.id}`),
      postOperation: (o, outcome) => events.push(`${outcome.state} ${o.id}`),
    },
    events,
    ...extra,
  };
}

const states = (outcomes: readonly OperationOutcome[]) => Object.fromEntries(outcomes.map((o) => [o.id, o.state]));

describe('applyPlan', () => {
  const threeLevels = plan(
    op('vm/a/create', 'h1', [['VBoxManage', 'createvm', 'a'], ['VBoxManage', 'modifyvm', 'a']]),
    op('vm/b/create', 'h1', [['VBoxManage', 'createvm', 'b'], ['VBoxManage', 'modifyvm', 'fail']]),
    op('vm/c/create', 'h2', [['VBoxManage', 'createvm', 'c']]),
    op('vm/a/start', 'h1', [['VBoxManage', 'startvm', 'a']], ['vm/a/create']),
    op('vm/b/start', 'h1', [['VBoxManage', 'startvm', 'b']], ['vm/b/create']),
    op('vm/c/start', 'h2', [['VBoxManage', 'startvm', 'c']], ['vm/c/create']),
    op('vm/b/check', 'h2', [['VBoxManage', 'check', 'b']], ['vm/b/start']),
  );

  it('runs one exec per host and level, stops only what depends on a failure, and says why', async () => {
    const h1 = new TestRunner();
    const h2 = new TestRunner();
    const opts = options({ h1, h2 });
    const result = await applyPlan(threeLevels, opts);
    expect(states(result.outcomes)).toEqual({
      'vm/a/create': 'done', 'vm/b/create': 'failed', 'vm/c/create': 'done',
      'vm/a/start': 'done', 'vm/b/start': 'skipped', 'vm/c/start': 'done', 'vm/b/check': 'skipped',
    });
    expect(result).toMatchObject({ ok: false, counts: { done: 4, failed: 1, skipped: 2 }, execs: 4 });
    expect([h1.execs, h2.execs]).toEqual([2, 2]);
    const failed = result.outcomes.find((o) => o.id === 'vm/b/create')!;
    expect(failed).toMatchObject({
      state: 'failed',
      command: [vbox, 'modifyvm', 'fail'],
      error: { code: 'VM_NOT_FOUND', message: "Could not find a registered machine named 'fail' (VBOX_E_OBJECT_NOT_FOUND)", context: ['host h1', 'do vm/b/create', `running ${vbox} modifyvm fail`] },
    });
    expect(result.outcomes.find((o) => o.id === 'vm/b/check')).toEqual({ id: 'vm/b/check', state: 'skipped', reason: 'it depends on do vm/b/start, which was skipped' });
    expect(result.outcomes.find((o) => o.id === 'vm/b/start')).toMatchObject({ reason: 'it depends on do vm/b/create, which failed' });
    // The failing command was the last of b's create that ran; nothing after it in that operation ran.
    const ran = (await readFile(log, 'utf8')).trim().split('\n');
    expect(ran.filter((l) => l.endsWith(' b') || l.endsWith('fail'))).toEqual(['createvm b', 'modifyvm fail']);
    expect(opts.events.filter((e) => e.endsWith('vm/a/create') || e.endsWith('vm/a/start'))).toEqual(['start vm/a/create', 'done vm/a/create', 'start vm/a/start', 'done vm/a/start']);
  });

  it('fails an unreachable host\'s operations with its error and carries on elsewhere', async () => {
    const result = await applyPlan(threeLevels, options({ h1: new TestRunner(), h2: new DcodError('HOST_UNREACHABLE', 'dcod@h2:22: connection refused (is sshd running?)') }));
    expect(states(result.outcomes)).toMatchObject({ 'vm/a/create': 'done', 'vm/a/start': 'done', 'vm/c/create': 'failed', 'vm/c/start': 'skipped' });
    expect(result.outcomes.find((o) => o.id === 'vm/c/create')).toMatchObject({ error: { code: 'HOST_UNREACHABLE', retryable: true, context: ['host h2', 'do vm/c/create'] } });
  });

  it('keeps what finished before a connection died, and says the cut operation may have happened', async () => {
    const p = plan(
      op('vm/a/create', 'h1', [['VBoxManage', 'createvm', 'a']]),
      op('vm/b/create', 'h1', [['VBoxManage', 'createvm', 'b'], ['VBoxManage', 'modifyvm', 'b']]),
      op('vm/z/create', 'h1', [['VBoxManage', 'createvm', 'z']]),
    );
    // Cut inside b's create, after its first command printed.
    const cut = await applyPlan(p, options({ h1: new TestRunner('\x1eDCOD-OUT vm/b/create\n\x1eDCOD-CMD 0\nok createvm\n') }));
    expect(states(cut.outcomes)).toEqual({ 'vm/a/create': 'done', 'vm/b/create': 'failed', 'vm/z/create': 'failed' });
    expect(cut.outcomes[1]).toMatchObject({ error: { code: 'HOST_UNREACHABLE' }, output: 'ok createvm\n', startedAt: expect.any(String) });
    expect(cut.outcomes[2]).toMatchObject({ error: { code: 'HOST_UNREACHABLE' }, output: '' });
  });

  it('gives a command that went silent up as TIMEOUT on its host only, and names the operation', async () => {
    const hung = plan(op('vm/a/create', 'h1', [['VBoxManage', 'createvm', 'a'], ['VBoxManage', 'modifyvm', 'hang']]), op('vm/c/create', 'h2', [['VBoxManage', 'createvm', 'c']]));
    const result = await applyPlan(hung, options({ h1: new TestRunner(), h2: new TestRunner() }, { idleTimeoutMs: 400 }));
    expect(states(result.outcomes)).toEqual({ 'vm/a/create': 'failed', 'vm/c/create': 'done' });
    expect(result.outcomes[0]).toMatchObject({
      error: { code: 'TIMEOUT', retryable: true, message: expect.stringMatching(/printed nothing for 400 ms/), context: ['host h1', 'do vm/a/create'] },
    });
  });

  it('carries out a file copy between hosts itself, before the operations that need the file', async () => {
    const src = path.join(dir, 'vm.ova');
    await writeFile(src, 'exported');
    const dest = path.join(dir, 'h2', 'vm.ova');
    const copy = { ...op('vm/x/transfer', 'h2', []), action: 'replace' as const, transfer: { from: { host: 'h1', path: src }, to: { host: 'h2', path: dest }, removeSource: true } };
    const result = await applyPlan(plan(copy, op('vm/x/create', 'h2', [['cat', dest]], ['vm/x/transfer'])), options({ h1: new TestRunner(), h2: new TestRunner() }));
    expect(states(result.outcomes)).toEqual({ 'vm/x/transfer': 'done', 'vm/x/create': 'done' });
    expect(result.outcomes[1]).toMatchObject({ output: 'exported' });

    const missing = await applyPlan(plan(copy, op('vm/x/create', 'h2', [['cat', dest]], ['vm/x/transfer'])), options({ h1: new TestRunner(), h2: new TestRunner() }));
    expect(missing.outcomes[0]).toMatchObject({ state: 'failed', error: { code: 'FILE_ERROR', context: ['host h2', 'do vm/x/transfer'] } });
    expect(missing.outcomes[1]).toMatchObject({ state: 'skipped' });
  });

  it('fails proxy operations clearly when no proxy runner was given', async () => {
    const result = await applyPlan(plan(op('router/r1/create', 'h1', [['ip', 'link']], [], 'proxy')), options({ h1: new TestRunner() }));
    expect(result.outcomes[0]).toMatchObject({ state: 'failed', error: { code: 'BAD_REQUEST', message: expect.stringMatching(/no way into proxy VMs/), context: ['the proxy of h1', 'do router/r1/create'] } });
  });

  it('journals every step, and a resumed apply of the same plan runs only what was not done', async () => {
    const file = journalPath(path.join(dir, 'datacenter.yaml'), 'dc');
    const first = await JournalWriter.open(file);
    await applyPlan(threeLevels, options({ h1: new TestRunner(), h2: new TestRunner() }, { journal: first }));
    await first.close();
    const records = await readJournal(file);
    expect(records[0]).toMatchObject({ type: 'begin', planId: 'p1', docVersion: 'v1', operations: 7 });
    expect(records.at(-1)).toMatchObject({ type: 'end', done: 4, failed: 1, skipped: 2 });
    expect(records.filter((r) => r.type === 'op').map((r) => r.type === 'op' && `${r.state} ${r.op}`)).toContain('failed vm/b/create');
    expect(lastOutcomes(records).get('vm/b')).toMatchObject({ state: 'failed', error: { code: 'VM_NOT_FOUND' } });
    expect(unfinishedApply(records)).toBeUndefined();

    await writeFile(log, '');
    const second = await JournalWriter.open(file);
    const again = await applyPlan(threeLevels, options({ h1: new TestRunner(), h2: new TestRunner() }, { journal: second, alreadyDone: doneOperations(records, 'p1') }));
    await second.close();
    expect(again.outcomes.filter((o) => o.state === 'done' && o.resumed).map((o) => o.id)).toEqual(['vm/a/create', 'vm/c/create', 'vm/a/start', 'vm/c/start']);
    expect((await readFile(log, 'utf8')).trim().split('\n')).toEqual(['createvm b', 'modifyvm fail']);
  });

  it('knows an apply that began and never ended', async () => {
    const file = path.join(dir, 'j.jsonl');
    const w = await JournalWriter.open(file);
    await w.append({ type: 'begin', planId: 'p9', datacenter: 'dc', docVersion: 'v', time: 't', operations: 3 });
    await w.append({ type: 'op', planId: 'p9', op: 'a', state: 'done', time: 't', docVersion: 'v', resource: 'vm/a', action: 'create' });
    await w.close();
    await writeFile(file, (await readFile(file, 'utf8')) + '{"type":"op","planId":"p9","op":"b","sta'); // torn by a crash
    expect(unfinishedApply(await readJournal(file))).toEqual({ planId: 'p9', docVersion: 'v', time: 't', operations: 3, done: 1 });
  });
});
