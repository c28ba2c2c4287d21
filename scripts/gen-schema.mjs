// Regenerates schema/datacenter.schema.json from the zod schema (src/model/json-schema.ts).
// Run: npm run schema. A unit test fails when the committed file is out of date.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { datacenterJsonSchemaText } = await tsImport('../src/model/json-schema.ts', import.meta.url);
const out = path.join(root, 'schema', 'datacenter.schema.json');
await mkdir(path.dirname(out), { recursive: true });
await writeFile(out, datacenterJsonSchemaText());
console.log(`wrote ${path.relative(root, out)}`);
