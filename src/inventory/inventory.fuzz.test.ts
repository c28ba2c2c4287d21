/**
 * The inventory and the hosts file (the one file that may hold passwords) against hostile text: random
 * Unicode, random YAML values, and valid files cut or salted with junk. Neither reader may throw; every
 * finding names a path and says what is wrong; and no finding about a hosts file ever repeats a password
 * it holds (diagnostics are shown on screen and written to logs).
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../diagnostics';
import { parseHostsFile } from './hosts-file';
import { parseInventory } from './inventory';

const RUNS = 2000;

function wellFormed(diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) {
    expect(d.path.length, JSON.stringify(d)).toBeGreaterThan(0);
    expect(d.message.trim().length, JSON.stringify(d)).toBeGreaterThan(0);
  }
}

/** A valid text, then cut at a random point and/or given junk there: the corruption a hand edit makes. */
function corrupted(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.record({ text: valid, at: fc.nat(), junk: fc.oneof(fc.constant(''), fc.constantFrom('"', "'", ':', '- ', '{', '[', '\t', '\n  ', '&a', '*a', '!!binary ', '%YAML 1.1\n'), fc.string({ maxLength: 6 })), cut: fc.boolean() }).map(({ text, at, junk, cut }) => {
    const i = at % (text.length + 1);
    return `${text.slice(0, i)}${junk}${cut ? '' : text.slice(i)}`;
  });
}

const password = fc.stringMatching(/^[A-Za-z0-9]{12,20}$/).map((p) => `Pw${p}`);

const hostsFile = fc
  .record({
    hosts: fc.array(fc.record({ address: fc.ipV4(), os: fc.constantFrom('linux', 'windows', 'macos', 'solaris'), user: fc.constantFrom('vbox', '', 'root'), password, port: fc.option(fc.constantFrom('22', '2222', 'x', '999999'), { nil: undefined }) }), { minLength: 1, maxLength: 4 }),
  })
  .map(({ hosts }) => ({
    passwords: hosts.map((h) => h.password),
    text: stringify({ hosts: Object.fromEntries(hosts.map((h) => [h.address, { os: h.os, user: h.user, password: h.password, ...(h.port ? { port: h.port } : {}) }])) }),
  }));

const inventoryText = fc
  .array(fc.record({ name: fc.constantFrom('h1', 'h 2', '-x', 'h1', 'a'.repeat(70)), address: fc.constantFrom('10.0.0.1', ''), port: fc.constantFrom(22, 0, 70000, 1.5), user: fc.constantFrom('u', ''), method: fc.constantFrom('key', 'password', 'agent', 'telepathy') }), { maxLength: 4 })
  .map((hosts) =>
    stringify({
      apiVersion: 'dcod/v1',
      kind: 'Inventory',
      hosts: hosts.map((h) => ({ name: h.name, address: h.address, port: h.port, user: h.user, auth: h.method === 'key' ? { method: 'key', keyFile: '/k' } : h.method === 'password' ? { method: 'password', password: { env: 'PW' } } : { method: h.method } })),
    }),
  );

const anyText = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }));

describe('inventory and hosts file on hostile input', () => {
  it('inventory: never throws, every finding located; no finding means an inventory', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, corrupted(inventoryText), fc.jsonValue({ maxDepth: 4 }).map((v) => stringify(v) as string)), (text) => {
        const r = parseInventory(text);
        wellFormed(r.diagnostics);
        expect(r.diagnostics.length === 0).toBe(r.inventory !== undefined);
      }),
      { numRuns: RUNS, seed: 21 },
    );
  }, 120_000);

  it('hosts file: never throws, every finding located, and no finding repeats a password from the file', () => {
    let refused = 0;
    fc.assert(
      fc.property(fc.oneof(hostsFile, hostsFile.chain((f) => corrupted(fc.constant(f.text)).map((text) => ({ ...f, text })))), ({ text, passwords }) => {
        const r = parseHostsFile(text);
        wellFormed(r.diagnostics);
        if (r.diagnostics.length) refused++;
        const shown = JSON.stringify(r.diagnostics);
        for (const p of passwords) expect(shown, 'a diagnostic repeats a password').not.toContain(p);
        for (const e of r.entries) expect(JSON.stringify(e)).not.toMatch(/Pw[A-Za-z0-9]{12}/);
      }),
      { numRuns: RUNS, seed: 22 },
    );
    fc.assert(fc.property(anyText, (text) => wellFormed(parseHostsFile(text).diagnostics)), { numRuns: RUNS, seed: 23 });
    console.log(`[fuzz] inventory + hosts file: ${RUNS * 3} cases (${refused} corrupted hosts files refused with a located error, none repeating a password), 0 crashes`);
  }, 120_000);
});
