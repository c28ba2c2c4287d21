/**
 * A datacenter bundle on disk: a folder with the document's virtual part (`datacenter.yaml`: no
 * placement, no host names, no secrets), one OVA per VM, one file per volume, and `manifest.json` naming
 * every file with its size and SHA-256. The manifest is written last, so a folder without one is an
 * export still under way (its `.progress.json` lets a re-run skip what is already there and intact).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { DcodError } from '../errors';
import { writeFileAtomic } from '../fsx/atomic';
import { Name } from '../model/document';
import { hashFile } from './remote-files';

export const BUNDLE_FORMAT = 'dcod-bundle/1';
export const MANIFEST = 'manifest.json';
export const PROGRESS = '.progress.json';
export const DOCUMENT = 'datacenter.yaml';

export const BundleFile = z.object({ path: z.string().min(1), bytes: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict();
export type BundleFile = z.infer<typeof BundleFile>;

export const BundleVm = z
  .object({
    name: Name,
    ova: z.string(),
    /** Which of the OVA's disks (0-based, in its order) are the datacenter's volumes, by volume name. */
    volumeDisks: z.array(z.object({ index: z.number().int().nonnegative(), volume: Name, port: z.number().int().nonnegative() }).strict()),
  })
  .strict();
export type BundleVm = z.infer<typeof BundleVm>;

export const BundleManifest = z
  .object({
    format: z.literal(BUNDLE_FORMAT),
    datacenter: Name,
    createdAt: z.string(),
    document: z.string(),
    vms: z.array(BundleVm),
    volumes: z.array(z.object({ name: Name, file: z.string() }).strict()),
    files: z.array(BundleFile),
  })
  .strict();
export type BundleManifest = z.infer<typeof BundleManifest>;

/** A path inside the bundle, refusing any that would step out of it. */
export function bundlePath(dir: string, rel: string): string {
  const full = path.resolve(dir, rel);
  if (!full.startsWith(path.resolve(dir) + path.sep)) throw new DcodError('FILE_ERROR', `the bundle names a file outside itself: ${rel}`);
  return full;
}

export async function readManifest(dir: string): Promise<BundleManifest> {
  const file = path.join(dir, MANIFEST);
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new DcodError(err.code === 'ENOENT' ? 'NOT_FOUND' : 'FILE_ERROR', `${dir} is not a complete DCoD bundle: no ${MANIFEST} (${err.code ?? err.message})`);
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new DcodError('FILE_ERROR', `${file} is damaged: not JSON`);
  }
  const parsed = BundleManifest.safeParse(json);
  if (!parsed.success) throw new DcodError('FILE_ERROR', `${file} is damaged: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}`);
  return parsed.data;
}

export async function writeManifest(dir: string, m: BundleManifest): Promise<void> {
  await writeFileAtomic(path.join(dir, MANIFEST), `${JSON.stringify(BundleManifest.parse(m), null, 2)}\n`);
}

/**
 * Checks every file of the bundle against the manifest — size first (a truncated file is caught without
 * reading it), then SHA-256 — and throws FILE_ERROR naming the first file that differs.
 */
export async function verifyBundle(dir: string, m: BundleManifest, onBytes?: (n: number) => void): Promise<void> {
  for (const f of m.files) {
    const file = bundlePath(dir, f.path);
    const got = await hashFile(file, onBytes ? { onBytes } : {}).catch((err: NodeJS.ErrnoException) => {
      throw new DcodError('FILE_ERROR', `bundle file ${f.path} can't be read: ${err.code ?? err.message}`);
    });
    if (got.bytes !== f.bytes) throw new DcodError('FILE_ERROR', `bundle file ${f.path} is ${got.bytes} bytes, the manifest says ${f.bytes}: the bundle is truncated or damaged; nothing was imported`);
    if (got.sha256 !== f.sha256) throw new DcodError('FILE_ERROR', `bundle file ${f.path} does not match its SHA-256 in the manifest: the bundle is damaged; nothing was imported`);
  }
}
