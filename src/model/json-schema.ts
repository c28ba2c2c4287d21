/**
 * The document's JSON Schema, generated from the zod schema so editors (VS Code's YAML extension, via
 * `# yaml-language-server: $schema=…`) complete and check datacenter.yaml with the same rules. The input
 * side: fields with defaults are optional, as a person writes them. Semantic rules (references, subnets…)
 * are beyond JSON Schema; `dcod validate` reports those.
 */
import { z } from 'zod';
import { Datacenter } from './document';

export const SCHEMA_ID = 'https://dcod.dev/schema/datacenter.schema.json';

export function datacenterJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(Datacenter, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
  return { ...schema, $id: SCHEMA_ID, title: 'DCoD datacenter document' };
}

/** The committed file's text: stable key order from the generator, two-space indent, final newline. */
export function datacenterJsonSchemaText(): string {
  return `${JSON.stringify(datacenterJsonSchema(), null, 2)}\n`;
}
