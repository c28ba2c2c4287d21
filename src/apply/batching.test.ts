import { describe, expect, it } from 'vitest';
import type { Operation, Plan, Target } from '../plan/plan';
import { batchLevels, hostCommands, laneOf } from './batching';

const op = (id: string, target: Target, dependsOn: string[] = []): Operation => ({
  id, target, resource: { kind: 'vm', name: id }, action: 'create', summary: id, reason: '', commands: [], dependsOn,
});
const plan = (...operations: Operation[]): Plan => ({ datacenter: 'dc', operations, diagnostics: [] });
const h = (host: string): Target => ({ kind: 'host', host });

describe('batchLevels', () => {
  it('cuts each level into one batch per target, in order of first appearance', () => {
    const batches = batchLevels(plan(op('a', h('h2')), op('b', h('h1')), op('c', h('h2')), op('d', { kind: 'proxy', host: 'h2' }), op('e', h('h1'), ['a'])));
    expect(batches.map((l) => l.map((b) => `${b.target.kind}:${b.target.host}=${b.operations.map((o) => o.id).join(',')}`))).toEqual([
      ['host:h2=a,c', 'host:h1=b', 'proxy:h2=d'],
      ['host:h1=e'],
    ]);
  });

  it('refuses ids that would break the script markers, and duplicates', () => {
    expect(() => batchLevels(plan(op('a\nb', h('h1'))))).toThrow(/control characters/);
    expect(() => batchLevels(plan(op('a', h('h1')), op('a', h('h2'))))).toThrow(/twice/);
  });
});

describe('hostCommands', () => {
  it("puts the host's VBoxManage in place of the word VBoxManage, and nothing else", () => {
    expect(hostCommands([['VBoxManage', 'list', 'vms'], ['ip', 'link', 'VBoxManage']], '/opt/vb/VBoxManage')).toEqual([['/opt/vb/VBoxManage', 'list', 'vms'], ['ip', 'link', 'VBoxManage']]);
  });
});

describe('laneOf', () => {
  it('runs different resources side by side, clones of one template one after another, and a proxy in one lane', () => {
    const clone = (id: string, template: string): Operation => ({ ...op(id, h('h1')), commands: [['VBoxManage', 'clonevm', template, '--name', id]] });
    const lanes = [op('a', h('h1')), op('b', h('h1')), clone('c', 'tmpl-1'), clone('d', 'tmpl-1'), clone('e', 'tmpl-2'), op('p', { kind: 'proxy', host: 'h1' }), op('q', { kind: 'proxy', host: 'h1' })].map(laneOf);
    expect(new Set(lanes.slice(0, 3)).size).toBe(3);
    expect(lanes[3]).toBe(lanes[2]);
    expect(lanes[4]).not.toBe(lanes[2]);
    expect(lanes[6]).toBe(lanes[5]);
  });
});
