/**
 * Every real capture in ../shared/fixtures/vboxmanage must be asserted by some parser test here, or be
 * listed below with the reason it is not. Adding a capture without a test fails this file.
 * (Parser tests read captures through parseFixture, which also checks CRLF and LF give the same result.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, fixtureNames } from './fixtures.testkit';

const NOT_PARSED: Record<string, string> = {
  'vboxcontrol-guestproperty-enumerate-5.0-guest-side-NOT-VBoxManage.txt':
    'VBoxControl output from inside a guest; DCoD never runs VBoxControl (it reads guest properties from the host with VBoxManage)',
};

const here = import.meta.dirname;
const testSources = readdirSync(here)
  .filter((f) => f.endsWith('.test.ts') && f !== 'fixtures.test.ts')
  .map((f) => ({ file: f, text: readFileSync(path.join(here, f), 'utf8') }));

function testsNaming(name: string): string[] {
  return testSources.filter((s) => s.text.includes(`'${name}'`)).map((s) => s.file);
}

describe('fixture coverage', () => {
  const names = fixtureNames();

  it('finds the captures', () => {
    expect(names.length).toBeGreaterThan(80);
  });

  it.each(names)('%s has a parser test or a stated reason', (name) => {
    const tests = testsNaming(name);
    if (name in NOT_PARSED) expect(tests, `${name} is listed as not parsed but a test uses it`).toEqual([]);
    else expect(tests, `no parser test names ${name}; add one, or list it in NOT_PARSED with a reason`).not.toEqual([]);
  });

  it('names no capture that does not exist', () => {
    const known = new Set(names);
    const mentioned = testSources.flatMap((s) => [...s.text.matchAll(/'([\w.-]+\.txt)'/g)].map((m) => m[1]!));
    expect(mentioned.filter((n) => !known.has(n))).toEqual([]);
    expect(Object.keys(NOT_PARSED).filter((n) => !known.has(n))).toEqual([]);
  });

  it('has CRLF line endings exactly where SOURCES.md says (the Windows 7.2.20 captures but two)', () => {
    const crlf = names.filter((n) => fixture(n).includes('\r\n'));
    expect(crlf.every((n) => n.startsWith('win-7.2.20-'))).toBe(true);
    expect(crlf).toHaveLength(names.filter((n) => n.startsWith('win-7.2.20-')).length - 2);
  });
});
