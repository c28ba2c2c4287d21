import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { datacenterArbitrary } from './arbitrary';
import { validateDocument } from './validate';

describe('datacenterArbitrary', () => {
  it('makes documents the validator accepts (warnings at most)', () => {
    fc.assert(
      fc.property(datacenterArbitrary({ hosts: ['h1', 'h2'], templates: [{ image: 'deb', template: 'debian', snapshot: 'dcod-base' }] }), (doc) => {
        const r = validateDocument(doc, { inventory: [{ name: 'h1' }, { name: 'h2' }] });
        expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(r.document).toEqual(doc);
      }),
      { numRuns: 200 },
    );
  });
});
