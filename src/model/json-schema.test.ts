import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { datacenterJsonSchema, datacenterJsonSchemaText } from './json-schema';

const committed = path.resolve(import.meta.dirname, '../../schema/datacenter.schema.json');

describe('the datacenter JSON Schema', () => {
  it('is in sync with the committed schema/datacenter.schema.json (regenerate with `npm run schema`)', () => {
    expect(readFileSync(committed, 'utf8')).toBe(datacenterJsonSchemaText());
  });

  it('describes the input side: defaulted fields are optional, unknown keys refused', () => {
    const s = datacenterJsonSchema() as { required: string[]; additionalProperties: boolean; properties: Record<string, { items?: { required?: string[] } }> };
    expect(s.required).toEqual(['apiVersion', 'kind', 'metadata']);
    expect(s.additionalProperties).toBe(false);
    expect(s.properties.vms?.items?.required).toEqual(['name']);
  });
});
