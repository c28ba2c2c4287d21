import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalYaml } from '../model/document-file';
import { doc, docInput } from '../model/document.testkit';
import type { Core } from './service';
import { tempCore } from './core.testkit';
import { dispatch } from './dispatch';

let core: Core;
let dir: string;
let dispose: () => Promise<void>;
beforeEach(async () => {
  ({ core, dir, dispose } = await tempCore());
});
afterEach(async () => dispose());

const call = (method: string, params: unknown) => dispatch(core, method, params, { transport: 'in-process' });

describe('the editor\'s document calls: doc.read, doc.write, plan.preview', () => {
  it('writes a new file, reads it back with its version, saves from that version, and refuses a stale one', async () => {
    const file = path.join(dir, 'datacenter.yaml');
    const first = doc({ name: 'lab', switches: [{ name: 'front', vni: 5001 }] });
    const w1 = (await call('doc.write', { file, document: first, baseVersion: null })) as { file: string; version: string };
    expect(await readFile(file, 'utf8')).toBe(canonicalYaml(first));
    expect(await call('doc.read', { file })).toEqual({ file, document: first, version: w1.version, diagnostics: [] });

    const second = { ...first, switches: [...first.switches, { name: 'back', vni: 5002, dhcp: false }] };
    const w2 = (await call('doc.write', { file, document: second, baseVersion: w1.version })) as { version: string };
    expect(w2.version).not.toBe(w1.version);
    await expect(call('doc.write', { file, document: first, baseVersion: w1.version })).rejects.toMatchObject({ code: 'INVALID_STATE', message: expect.stringMatching(/changed since it was read/) });
    expect(((await call('doc.read', { file })) as { document: unknown }).document).toEqual(second);
    await expect(call('doc.read', { file: path.join(dir, 'none.yaml') })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(call('doc.write', { file, document: { kind: 'Datacenter' }, baseVersion: w2.version })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('previews a document\'s plan without reading a host, and reports a broken one\'s diagnostics', async () => {
    await call('hosts.add', { name: 'h1', address: '198.51.100.7', user: 'me', auth: { method: 'agent' } });
    const started = performance.now();
    const preview = (await call('plan.preview', { document: docInput({ name: 'lab', vms: [{ name: 'web', power: 'stopped' }], placement: { web: 'h1' } }) })) as { plan?: { operations: unknown[]; diagnostics: { path: string; message: string }[] }; unread: string[] };
    expect(performance.now() - started).toBeLessThan(2000); // no SSH: a connect to 198.51.100.7 would hang far longer
    // h1 was never read: the planner leaves its VM alone and says why, as plan.make would.
    expect(preview.unread).toEqual(['h1']);
    expect(preview.plan?.operations).toEqual([]);
    expect(preview.plan?.diagnostics).toEqual([expect.objectContaining({ path: 'placement.web', message: expect.stringMatching(/not observed/) })]);

    const broken = (await call('plan.preview', { document: docInput({ vms: [{ name: 'web' }], placement: { web: 'h9' } }) })) as { plan?: unknown; diagnostics: { path: string }[] };
    expect(broken.plan).toBeUndefined();
    expect(broken.diagnostics.map((d) => d.path)).toContain('placement.web');
  });
});
