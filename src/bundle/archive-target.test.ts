import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtemp, open, readFile, rm, stat, truncate } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { archiveTarget } from './archive-target';
import { folderTarget, type BundleTarget } from './bundle-target';
import { openBundle, readBundleText, verifyBundle } from './bundle-source';
import { BUNDLE_FORMAT, type BundleFile, type BundleManifest } from './manifest';

const dir = await mkdtemp(path.join(os.tmpdir(), 'dcod-archive-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Downloads `data` into the target as `rel` the way export does: in chunks, out of a landing. */
async function land(t: BundleTarget, rel: string, data: Buffer): Promise<BundleFile> {
  const l = await t.land(rel, data.length);
  const chunk = l.sink.alloc(100_000);
  for (let pos = 0; pos < data.length; pos += 100_000) await l.sink.put(chunk, data.copy(chunk, 0, pos, pos + 100_000), pos);
  const got = await l.sink.end();
  await l.commit(got);
  return { path: rel, ...got };
}

const manifest = (files: BundleFile[]): BundleManifest => ({ format: BUNDLE_FORMAT, datacenter: 'lab', createdAt: '2026-11-22T00:00:00Z', document: 'datacenter.yaml', vms: [{ name: 'web1', ova: 'vms/web1.ova', volumeDisks: [] }], volumes: [], files });

async function writeBundle(out: string, ova: Buffer): Promise<void> {
  const t = out.endsWith('.dcod') ? await archiveTarget(out) : await folderTarget(out);
  const files = [await t.put('datacenter.yaml', 'kind: Datacenter\n'), await land(t, 'vms/web1.ova', ova)];
  await t.finish(manifest(files));
  await t.close();
}

describe.each(['lab.dcod', 'lab-folder'])('a bundle written to %s', (name) => {
  const out = path.join(dir, name);
  const ova = randomBytes(333_333);

  it('reads back with its manifest, and its files verify', async () => {
    await writeBundle(out, ova);
    const src = await openBundle(out);
    expect(src.manifest.files.map((f) => [f.path, f.bytes, f.sha256])).toEqual([
      ['datacenter.yaml', 17, sha(Buffer.from('kind: Datacenter\n'))],
      ['vms/web1.ova', ova.length, sha(ova)],
    ]);
    await verifyBundle(src);
    expect(await readBundleText(src, 'datacenter.yaml')).toBe('kind: Datacenter\n');
  });
});

describe('a .dcod bundle', () => {
  it('is a tar archive ending with its manifest', async () => {
    const out = path.join(dir, 'tar.dcod');
    await writeBundle(out, randomBytes(5000));
    expect(execFileSync('tar', ['-tf', out], { encoding: 'utf8' })).toBe('datacenter.yaml\nvms/web1.ova\nmanifest.json\n');
  });

  it('with one byte flipped is refused, the file named', async () => {
    const out = path.join(dir, 'flipped.dcod');
    const ova = randomBytes(200_000);
    await writeBundle(out, ova);
    const at = (await readFile(out)).indexOf(ova.subarray(0, 64)) + 1000;
    const fh = await open(out, 'r+');
    const b = Buffer.alloc(1);
    await fh.read(b, 0, 1, at);
    b[0]! ^= 0xff;
    await fh.write(b, 0, 1, at);
    await fh.close();
    await expect(verifyBundle(await openBundle(out))).rejects.toThrow(/bundle file vms\/web1\.ova does not match its SHA-256 .*flipped\.dcod is damaged; nothing was imported/);
  });

  it('cut short is refused, named, before anything else is read', async () => {
    const out = path.join(dir, 'cut.dcod');
    await writeBundle(out, randomBytes(200_000));
    await truncate(out, 100_000);
    await expect(openBundle(out)).rejects.toThrow(/cut\.dcod is truncated: it ends inside vms\/web1\.ova/);
    await truncate(out, 512 * 3);
    await expect(openBundle(out)).rejects.toThrow(/cut\.dcod is (truncated|not a complete DCoD bundle)/);
  });

  it('resumes: a re-run keeps the entries that are whole, replaces a damaged one, and the result reads back', async () => {
    const out = path.join(dir, 'resume.dcod');
    const [a, b, c] = [randomBytes(150_000), randomBytes(120_000), randomBytes(90_000)];
    const first = await archiveTarget(out);
    await first.put('datacenter.yaml', 'kind: Datacenter\n');
    await land(first, 'vms/a.ova', a);
    await land(first, 'vms/b.ova', b);
    const cutOff = await first.land('vms/c.ova', c.length); // cancelled mid-way: never committed
    const chunk = cutOff.sink.alloc(1000);
    c.copy(chunk, 0, 0, 1000);
    await cutOff.sink.put(chunk, 1000, 0);
    await cutOff.sink.abort();
    await first.close();
    // b's bytes get damaged on disk between the runs.
    const part = `${out}.part`;
    const at = (await readFile(part)).indexOf(b.subarray(0, 64));
    const fh = await open(part, 'r+');
    await fh.write(Buffer.from([b[10]! ^ 1]), 0, 1, at + 10);
    await fh.close();

    const second = await archiveTarget(out);
    expect(await second.intact('vms/a.ova')).toEqual({ path: 'vms/a.ova', bytes: a.length, sha256: sha(a) });
    expect(await second.intact('vms/b.ova')).toBeUndefined();
    expect(await second.intact('vms/c.ova')).toBeUndefined();
    const files = [await second.put('datacenter.yaml', 'kind: Datacenter\n'), { path: 'vms/a.ova', bytes: a.length, sha256: sha(a) }, await land(second, 'vms/b.ova', b), await land(second, 'vms/c.ova', c)];
    await second.finish({ ...manifest(files), vms: [] });
    await second.close();

    const src = await openBundle(out);
    await verifyBundle(src);
    expect((await stat(part).catch(() => undefined)) === undefined).toBe(true);
    const listed = execFileSync('tar', ['-tf', out], { encoding: 'utf8' }).trim().split('\n');
    expect(listed.filter((n) => !n.startsWith('.dcod-incomplete/'))).toEqual(['vms/a.ova', 'datacenter.yaml', 'vms/b.ova', 'vms/c.ova', 'manifest.json']);
    expect(listed.filter((n) => n.startsWith('.dcod-incomplete/'))).toHaveLength(3); // the first run's document, damaged b, cut-off c
  });
});
