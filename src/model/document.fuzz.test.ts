/**
 * The document reader against anything a person or a broken tool could write: random YAML and JSON, and
 * valid documents with one value swapped for a hostile one. It must never throw; every finding must say
 * where (a path) and what (a message); "no error" must mean a document came back; and a valid document
 * must survive its own canonical save text unchanged.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { datacenterArbitrary } from './arbitrary';
import { canonicalYaml, parseDocumentText, type LocatedDiagnostic } from './document-file';
import { validateDocument } from './validate';

const RUNS = 1000;

function wellFormed(diagnostics: readonly LocatedDiagnostic[]): void {
  for (const d of diagnostics) {
    expect(['error', 'warning']).toContain(d.severity);
    expect(d.path.length, JSON.stringify(d)).toBeGreaterThan(0);
    expect(d.message.trim().length, JSON.stringify(d)).toBeGreaterThan(0);
  }
}

const HOSTILE = fc.oneof(
  fc.constantFrom<unknown>(null, '', ' ', -1, 0, Infinity, 2 ** 53 + 2, 1.5, true, [], {}, '__proto__', 'constructor', '$(touch /tmp/canary)', 'a"; rm -rf /; "', '\u0000', '🙂'.repeat(300), 'x'.repeat(5000), { __proto__: { polluted: true } }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);

/** Every path (as key lists) into a JSON value. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

function setAt(root: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = (Array.isArray(root) ? [...(root as unknown[])] : { ...(root as Record<string, unknown>) }) as Record<string | number, unknown>;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  copy[head] = setAt(copy[head], rest, value);
  return copy;
}

const mutatedDocument = fc
  .record({ doc: datacenterArbitrary({ hosts: ['h1', 'h2'] }), pick: fc.nat(), value: HOSTILE, drop: fc.boolean() })
  .map(({ doc, pick, value, drop }) => {
    const json: unknown = JSON.parse(JSON.stringify(doc));
    const all = paths(json);
    const at = all[pick % all.length]!;
    if (drop && at.length > 0) {
      const parent = at.slice(0, -1);
      const key = at.at(-1)!;
      const holder = parent.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], json) as Record<string | number, unknown>;
      if (Array.isArray(holder)) holder.splice(key as number, 1);
      else delete holder[key];
      return json;
    }
    return setAt(json, at, value);
  });

describe('document reader on hostile input', () => {
  it('random text: never throws, every finding located', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 })), (text) => {
        wellFormed(parseDocumentText(text).diagnostics);
      }),
      { numRuns: RUNS, seed: 11 },
    );
  }, 120_000);

  it('random YAML values: never throws; no error means a document', () => {
    fc.assert(
      fc.property(fc.anything({ maxDepth: 4, withNullPrototype: true, withObjectString: true }), (value) => {
        let text: string | undefined;
        try {
          text = stringify(value) as string | undefined;
        } catch {
          return; // not representable as YAML at all: nothing a file could hold
        }
        if (typeof text !== 'string') return;
        const r = parseDocumentText(text);
        wellFormed(r.diagnostics);
        if (!r.diagnostics.some((d) => d.severity === 'error')) expect(r.document).toBeDefined();
      }),
      { numRuns: RUNS, seed: 12 },
    );
  }, 120_000);

  it('valid documents with one value swapped or dropped: a specific finding or a still-valid document', () => {
    let refused = 0;
    fc.assert(
      fc.property(mutatedDocument, (json) => {
        const direct = validateDocument(json, { inventory: [{ name: 'h1' }, { name: 'h2' }] });
        wellFormed(direct.diagnostics);
        const r = parseDocumentText(stringify(json), { inventory: [{ name: 'h1' }, { name: 'h2' }] });
        wellFormed(r.diagnostics);
        const hasError = r.diagnostics.some((d) => d.severity === 'error');
        if (hasError) {
          refused++;
          expect(r.document).toBeUndefined();
        } else {
          expect(r.document).toBeDefined();
          // What was accepted saves and reads back as the same document.
          const again = parseDocumentText(canonicalYaml(r.document!), { inventory: [{ name: 'h1' }, { name: 'h2' }] });
          expect(again.version).toBe(r.version);
        }
      }),
      { numRuns: RUNS, seed: 13 },
    );
    console.log(`[fuzz] document: ${RUNS * 3} cases (random text, random YAML, mutated valid documents: ${refused} refused with a located error), 0 crashes`);
  }, 300_000);
});
