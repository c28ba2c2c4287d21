import { describe, expect, it } from 'vitest';
import { levels, type Operation, type Plan } from './plan';

const op = (id: string, dependsOn: string[] = []): Operation => ({
  id,
  target: { kind: 'host', host: 'h1' },
  resource: { kind: 'vm', name: id },
  action: 'create',
  summary: id,
  reason: '',
  commands: [],
  dependsOn,
});
const plan = (...operations: Operation[]): Plan => ({ datacenter: 'dc', operations, diagnostics: [] });

describe('plan levels', () => {
  it('puts each operation one level above its deepest dependency, keeping plan order within a level', () => {
    const l = levels(plan(op('net'), op('a', ['net']), op('b', ['net']), op('start-a', ['a', 'b']), op('vol')));
    expect(l.map((x) => x.map((o) => o.id))).toEqual([['net', 'vol'], ['a', 'b'], ['start-a']]);
  });

  it('refuses cycles and unknown dependencies', () => {
    expect(() => levels(plan(op('a', ['b']), op('b', ['a'])))).toThrow(/cycle/);
    expect(() => levels(plan(op('a', ['ghost'])))).toThrow(/unknown ghost/);
  });
});
