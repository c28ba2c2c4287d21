import { describe, expect, it } from 'vitest';
import type { ApplyProgress, Operation, Plan } from '../../src/api/contract';
import { changes, nodeOfResource, nodeStatuses, pendingStatuses, withProgress } from './progress';

const op = (id: string, kind: Operation['resource']['kind'], name: string, action: Operation['action'] = 'create'): Operation => ({
  id, target: { kind: 'host', host: 'h1' }, resource: { kind, name }, action, summary: `${action} ${name}`, reason: '', commands: [], dependsOn: [],
});
const plan: Plan = { datacenter: 'dc', operations: [op('vm/web/create@h1', 'vm', 'web'), op('vm/web/start@h1', 'vm', 'web', 'start'), op('proxy/h1/create', 'proxy', 'h1'), op('switch/lan/noop', 'switch', 'lan', 'noop')], diagnostics: [] };
const event = (o: string, state: ApplyProgress['state'], extra: Partial<ApplyProgress> = {}): ApplyProgress => {
  const found = plan.operations.find((x) => x.id === o)!;
  return { planId: 'p', datacenter: 'dc', op: o, state, target: found.target, resource: found.resource, action: found.action, summary: found.summary, time: '', ...extra };
};

describe('apply progress on the canvas', () => {
  it('counts only operations that change something, and maps resources to nodes', () => {
    expect(changes(plan).map((o) => o.id)).toEqual(['vm/web/create@h1', 'vm/web/start@h1', 'proxy/h1/create']);
    expect(nodeOfResource({ kind: 'vm', name: 'web' })).toBe('vm:web');
    expect(nodeOfResource({ kind: 'proxy', name: 'h1' })).toBeUndefined();
  });

  it('shows a node its running operation, then a failure until the next apply, whatever finished after it', () => {
    let ops = pendingStatuses(plan);
    expect(nodeStatuses(plan, ops).get('vm:web')?.state).toBe('pending');
    ops = withProgress(ops, event('vm/web/create@h1', 'started'));
    expect(nodeStatuses(plan, ops).get('vm:web')).toMatchObject({ state: 'started', summary: 'create web', host: 'h1' });
    ops = withProgress(ops, event('vm/web/create@h1', 'failed', { error: { code: 'VBOX_ERROR', message: 'no room', retryable: false, context: [] } }));
    ops = withProgress(ops, event('vm/web/start@h1', 'skipped', { reason: 'vm/web/create@h1 failed' }));
    expect(nodeStatuses(plan, ops).get('vm:web')).toMatchObject({ state: 'failed', error: { message: 'no room' } });
    expect(nodeStatuses(plan, ops).has('proxy:h1')).toBe(false);
  });
});
