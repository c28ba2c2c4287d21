import os from 'node:os';
import { describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../api/contract';
import type { PlanView } from '../apply/apply-service';
import type { ApplyResult } from '../apply/engine';
import type { Operation } from '../plan/plan';
import { progressLine, renderResult, reviewAndApply } from './apply';
import { renderPlan } from './plan';

const op = (action: Operation['action'], summary: string, reason: string, commands: string[][] = []): Operation => ({
  id: `${action}/${summary}`, target: { kind: 'host', host: 'h1' }, resource: { kind: 'vm', name: 'web1' }, action, summary, reason, commands, dependsOn: [],
});
const view = (operations: Operation[], over: Partial<PlanView> = {}): PlanView => ({
  planId: 'ab'.repeat(32), file: '/dc/datacenter.yaml', docVersion: 'cd'.repeat(32), destroy: false, madeAt: '2026-01-01T00:00:00Z',
  plan: { datacenter: 'lab', operations, diagnostics: [] }, hosts: [{ host: 'h1', reachable: true }], warnings: [], ...over,
});

describe('renderPlan', () => {
  it('marks each operation as Terraform does, with its reason, and tallies them', () => {
    const text = renderPlan(view([
      op('create', 'create VM web1 on h1', 'not on h1'),
      op('update', 'set memory of web2 on h1', 'memory 512 → 1024 MB'),
      op('replace', 'replace VM db on h1', 'chipset piix3 → ich9'),
      op('delete', 'delete VM old on h1', 'not in the document'),
      op('start', 'start VM web1 on h1', ''),
      op('noop', 'nothing', ''),
    ]));
    expect(text).toBe([
      'DCoD will apply datacenter lab (/dc/datacenter.yaml, version cdcdcdcdcdcd):',
      '',
      '    + create VM web1 on h1  — not on h1',
      '    ~ set memory of web2 on h1  — memory 512 → 1024 MB',
      '  -/+ replace VM db on h1  — chipset piix3 → ich9',
      '    - delete VM old on h1  — not in the document',
      '    > start VM web1 on h1',
      '',
      'Plan abababababab: 1 to create, 1 to update, 1 to replace, 1 to delete, 1 to start.',
      '',
    ].join('\n'));
  });

  it('shows the exact commands with --verbose, quoted as a shell reads them', () => {
    const text = renderPlan(view([op('create', 'create VM web1 on h1', 'not on h1', [['VBoxManage', 'createvm', '--name', "it's"]])]), { verbose: true });
    expect(text).toContain(`      $ VBoxManage createvm --name 'it'\\''s'`);
  });

  it('says so when there is nothing to do, and warns about hosts it could not read', () => {
    const text = renderPlan(view([], { hosts: [{ host: 'h3', reachable: false, error: { code: 'HOST_UNREACHABLE', message: 'connection refused', retryable: true, context: [] } }] }));
    expect(text).toBe('warning: host h3 could not be read: connection refused\nNo changes: the hosts match /dc/datacenter.yaml.\n');
  });

  it('names an apply under way by its process and plan, instead of calling it unfinished', () => {
    const text = renderPlan(view([], { applying: { pid: 4242, host: os.hostname(), planId: 'ab'.repeat(32), since: '2026-11-22T07:00:00.000Z' } }));
    expect(text).toContain('note: dcod (pid 4242, plan abababababab, since 2026-11-22T07:00:00.000Z) is applying this datacenter right now');
    expect(text).not.toContain('did not finish');
  });
});

describe('apply output', () => {
  it('prints one line per event, host first', () => {
    const base = { planId: 'p', datacenter: 'lab', op: 'x', target: { kind: 'host', host: 'h2' }, resource: { kind: 'vm', name: 'a' }, action: 'create', summary: 'create VM a on h2', time: '' } as const;
    expect(progressLine({ ...base, state: 'started' })).toBe('h2: create VM a on h2…');
    expect(progressLine({ ...base, state: 'failed', error: { code: 'VM_LOCKED', message: 'locked', retryable: true, context: [] } })).toBe('h2: create VM a on h2: FAILED: locked [VM_LOCKED]');
    expect(progressLine({ ...base, state: 'skipped', reason: 'it depends on x, which failed' })).toBe('h2: create VM a on h2: skipped: it depends on x, which failed');
  });

  it('ends with the tally and every failure with its context and command', () => {
    const result: ApplyResult = {
      planId: 'p', datacenter: 'lab', ok: false, execs: 3, startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:02.500Z', warnings: [],
      counts: { done: 1, failed: 1, skipped: 0 },
      outcomes: [
        { id: 'a', state: 'done', output: '', finishedAt: '' },
        { id: 'b', state: 'failed', output: '', finishedAt: '', command: ['VBoxManage', 'startvm', 'b'], error: { code: 'HOST_UNREACHABLE', message: 'connection reset', retryable: true, context: ['host h2', 'start VM b on h2'] } },
      ],
    };
    expect(renderResult(result)).toBe('Apply FAILED: 1 done, 1 failed, 0 skipped (3 execs, 2.5 s).\n  b: host h2: start VM b on h2: connection reset [HOST_UNREACHABLE, retryable]\n    $ VBoxManage startvm b\n');
  });
});

describe('reviewAndApply', () => {
  it('applies an empty plan only to close an apply that was cut off: the hosts match, so it is finished', async () => {
    const calls: string[] = [];
    const client: ApiClient = { call: async (name: string) => (calls.push(name), null as never), on: () => () => undefined } as ApiClient;
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await reviewAndApply(client, view([]), { yes: true });
      expect(calls).toEqual([]);
      await reviewAndApply(client, view([], { interrupted: { planId: 'ef'.repeat(32), docVersion: 'cd'.repeat(32), time: '2026-01-01T00:00:00Z', operations: 12, done: 10 } }), { yes: true });
      expect(calls).toEqual(['apply.run']);
    } finally {
      write.mockRestore();
    }
  });
});
