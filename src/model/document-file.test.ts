import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalYaml, documentVersion, formatLocated, loadDocumentFile, parseDocumentText, pathSegments, saveDocumentFile, saveDocumentFileFrom } from './document-file';

const GOOD = `apiVersion: dcod.dev/v1
kind: Datacenter
metadata:
  name: lab
switches:
  - name: front
    vni: 5001
vms:
  - name: web1
    nics:
      - switch: front
placement:
  web1: h1
`;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dcod-doc-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('parseDocumentText', () => {
  it('reads a valid document, with defaults filled in and a version', () => {
    const r = parseDocumentText(GOOD);
    expect(r.diagnostics).toEqual([]);
    expect(r.document?.vms[0]).toMatchObject({ name: 'web1', cpus: 1, memoryMb: 512, power: 'running' });
    expect(r.version).toMatch(/^[0-9a-f]{64}$/);
  });

  it('places YAML syntax errors by line and column', () => {
    const r = parseDocumentText('apiVersion: dcod.dev/v1\nvms: [\n  - name: x\n');
    expect(r.document).toBeUndefined();
    expect(r.diagnostics[0]).toMatchObject({ severity: 'error', line: expect.any(Number), column: expect.any(Number) });
    expect(r.diagnostics[0]!.path).toMatch(/^line \d+, column \d+$/);
  });

  it('refuses a key given twice, at its line', () => {
    const r = parseDocumentText(GOOD.replace('kind: Datacenter\n', 'kind: Datacenter\nkind: Datacenter\n'));
    expect(r.diagnostics).toEqual([expect.objectContaining({ line: 3, message: expect.stringMatching(/unique/i) })]);
  });

  it('gives every schema error with its path and the line of the value at fault', () => {
    const r = parseDocumentText(GOOD.replace('vni: 5001', 'vni: 0').replace('name: web1', 'name: Web_1\n    memoryMb: 2\n    colour: red'));
    const text = formatLocated('dc.yaml', r.diagnostics);
    expect(text).toContain('dc.yaml:7:10: error at switches[0].vni: a VNI is from 1 to 16777215');
    expect(text).toMatch(/dc\.yaml:9:11: error at vms\[0\]\.name: use lower-case letters/);
    expect(text).toMatch(/dc\.yaml:10:\d+: error at vms\[0\]\.memoryMb:/);
    expect(text).toContain('dc.yaml:11:13: error at vms[0].colour: unknown field "colour" (fix: remove it, or check its spelling)');
  });

  it('places a missing key at the object that lacks it', () => {
    const r = parseDocumentText(GOOD.replace('    vni: 5001\n', ''));
    expect(r.diagnostics).toEqual([expect.objectContaining({ path: 'switches[0].vni', line: 6 })]);
  });
});

describe('pathSegments', () => {
  it('reads back the paths diagnostics are written with', () => {
    expect(pathSegments('vms[2].nics[0].switch')).toEqual(['vms', 2, 'nics', 0, 'switch']);
    expect(pathSegments('placement["odd.key"]')).toEqual(['placement', 'odd.key']);
    expect(pathSegments('(root)')).toEqual([]);
  });
});

describe('canonical form and version', () => {
  it('writes schema order without empty lists, reads back the same document, and keeps the version', async () => {
    const doc = parseDocumentText(GOOD).document!;
    const file = path.join(dir, 'datacenter.yaml');
    const version = await saveDocumentFile(file, doc);
    const text = await readFile(file, 'utf8');
    expect(text).toBe(canonicalYaml(doc));
    expect(text).not.toMatch(/: \[\]|: \{\}/);
    expect(text.indexOf('apiVersion')).toBeLessThan(text.indexOf('switches'));
    const loaded = await loadDocumentFile(file);
    expect(loaded.document).toEqual(doc);
    expect(loaded.version).toBe(version);
  });

  it('is the same for the same document however its file is laid out, and differs for any change', () => {
    const a = parseDocumentText(GOOD).document!;
    const reordered = parseDocumentText(`kind: Datacenter\nplacement: {web1: h1}\napiVersion: dcod.dev/v1\nmetadata: {name: lab}\nvms: [{nics: [{switch: front}], name: web1, cpus: 1}]\nswitches: [{vni: 5001, name: front}]\n`).document!;
    expect(documentVersion(reordered)).toBe(documentVersion(a));
    expect(documentVersion({ ...a, vms: [{ ...a.vms[0]!, cpus: 2 }] })).not.toBe(documentVersion(a));
  });

  it('loading an invalid file throws INVALID_DOCUMENT listing every error; a missing file is NOT_FOUND', async () => {
    const file = path.join(dir, 'bad.yaml');
    await writeFile(file, GOOD.replace('vni: 5001', 'vni: -1').replace('name: lab', 'name: LAB'));
    const err = await loadDocumentFile(file).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INVALID_DOCUMENT', message: expect.stringMatching(/^2 errors in the document:\n/) });
    await expect(loadDocumentFile(path.join(dir, 'none.yaml'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('saveDocumentFileFrom (the editor\'s save)', () => {
  it('writes a new file from null and then only from the version it holds; a stale base is refused with INVALID_STATE and the file kept', async () => {
    const file = path.join(dir, 'datacenter.yaml');
    const doc = parseDocumentText(GOOD).document!;
    const v1 = await saveDocumentFileFrom(file, doc, null);
    expect(v1).toBe(documentVersion(doc));
    await expect(saveDocumentFileFrom(file, doc, null)).rejects.toMatchObject({ code: 'INVALID_STATE', message: expect.stringMatching(/changed since it was read \(it did not exist, it is at version/) });
    const bigger = { ...doc, vms: [{ ...doc.vms[0]!, cpus: 2 }] };
    const v2 = await saveDocumentFileFrom(file, bigger, v1);
    expect((await loadDocumentFile(file)).version).toBe(v2);
    await expect(saveDocumentFileFrom(file, doc, v1)).rejects.toMatchObject({ code: 'INVALID_STATE' });
    expect((await loadDocumentFile(file)).document).toEqual(bigger);
  });

  it('counts a file edited by hand into something invalid, or removed, as changed', async () => {
    const file = path.join(dir, 'datacenter.yaml');
    const doc = parseDocumentText(GOOD).document!;
    const v1 = await saveDocumentFileFrom(file, doc, null);
    await writeFile(file, 'vms: [');
    await expect(saveDocumentFileFrom(file, doc, v1)).rejects.toMatchObject({ code: 'INVALID_STATE', message: expect.stringMatching(/no longer parses/) });
    await rm(file);
    await expect(saveDocumentFileFrom(file, doc, v1)).rejects.toMatchObject({ code: 'INVALID_STATE', message: expect.stringMatching(/is gone/) });
  });

  it('lets only one of two saves from the same base through', async () => {
    const file = path.join(dir, 'datacenter.yaml');
    const doc = parseDocumentText(GOOD).document!;
    const v1 = await saveDocumentFileFrom(file, doc, null);
    const results = await Promise.allSettled([2, 3].map((cpus) => saveDocumentFileFrom(file, { ...doc, vms: [{ ...doc.vms[0]!, cpus }] }, v1)));
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  });
});
