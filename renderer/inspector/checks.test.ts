import { describe, expect, it } from 'vitest';
import { doc, sw, vm } from '../editor/doc.testkit';
import { updateEntity } from '../editor/edits';
import { placeDiagnostics, validate } from '../editor/validation';
import { candidateProblem, fieldProblem, nameProblem, optionalText, parseWhole } from './checks';

describe('inspector checks', () => {
  const d = doc({ vms: [vm('web', { nics: [{ switch: 'n', address: '10.0.0.300' }] }), vm('db')], switches: [sw('n', 1)] });

  it('finds the message of a field or of anything under it', () => {
    const placed = placeDiagnostics(d, validate(d));
    expect(fieldProblem(placed, 'vm:web', 'nics[0].address')).toBe('an IPv4 address like 10.0.1.10');
    expect(fieldProblem(placed, 'vm:web', 'nics')).toBe('an IPv4 address like 10.0.1.10');
    expect(fieldProblem(placed, 'vm:web', 'cpus')).toBeUndefined();
  });

  it('says what a typed value would break before it is committed', () => {
    expect(candidateProblem(updateEntity(d, 'vm', 'db', { cpus: 0 }), 'vm:db', 'cpus')).toMatch(/>=1|at least|too small/i);
    expect(candidateProblem(updateEntity(d, 'vm', 'db', { cpus: 4 }), 'vm:db', 'cpus')).toBeUndefined();
  });

  it('checks names against the rule and the other names of the kind', () => {
    expect(nameProblem(d, 'vm', 'web', 'db')).toBe('another VM is named db');
    expect(nameProblem(d, 'vm', 'web', 'web')).toBeUndefined();
    expect(nameProblem(d, 'switch', 'n', 'Web 1')).toMatch(/lower-case/);
    expect(nameProblem(d, 'switch', 'n', 'web-')).toBe('must not end with "-"');
  });

  it('parses whole numbers and optional text', () => {
    expect(parseWhole(' 12 ')).toEqual({ value: 12 });
    expect(parseWhole('1.5')).toEqual({ error: 'a whole number' });
    expect(optionalText('  ')).toBeUndefined();
    expect(optionalText(' debian ')).toBe('debian');
  });
});

describe('datacenter checks', () => {
  it('says what a datacenter-level value would break', async () => {
    const { setDatacenter } = await import('../editor/edits');
    const { documentProblem } = await import('./checks');
    expect(documentProblem(setDatacenter(doc(), { underlayMtu: 100 }), 'underlayMtu')).toMatch(/1280|too small|>=/i);
    expect(documentProblem(setDatacenter(doc(), { underlayMtu: 9000 }), 'underlayMtu')).toBeUndefined();
  });
});
