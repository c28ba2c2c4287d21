/**
 * A datacenter bundle on disk: the document's virtual part (`datacenter.yaml`: no placement, no host
 * names, no secrets), one OVA per VM, one file per volume, and `manifest.json` naming every file with
 * its size and SHA-256. Either a folder of those files (./bundle-target) or one `.dcod` archive holding
 * them (./archive-target); either is read through ./bundle-source. The manifest is written last, so a
 * bundle without one is an export still under way (its progress file lets a re-run skip what is
 * already there and intact) or one cut short.
 */
import path from 'node:path';
import { z } from 'zod';
import { DcodError } from '../errors';
import { Name } from '../model/document';

export const BUNDLE_FORMAT = 'dcod-bundle/1';
export const MANIFEST = 'manifest.json';
export const PROGRESS = '.progress.json';
export const DOCUMENT = 'datacenter.yaml';
/** A bundle written to a path ending so is a single file (./archive-target). */
export const ARCHIVE_EXTENSION = '.dcod';

export const BundleFile = z.object({ path: z.string().min(1), bytes: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict();
export type BundleFile = z.infer<typeof BundleFile>;

export const BundleVm = z
  .object({
    name: Name,
    ova: z.string(),
    /**
     * Which of the OVA's disks (0-based, in its order) are the datacenter's volumes, by volume name, and the
     * controller port each was on: the import checks the disk it swaps for the volume is on that port.
     */
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

/** The manifest's text parsed and checked; `where` names it in errors. */
export function parseManifest(text: string, where: string): BundleManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new DcodError('FILE_ERROR', `${where} is damaged: not JSON`);
  }
  const parsed = BundleManifest.safeParse(json);
  if (!parsed.success) throw new DcodError('FILE_ERROR', `${where} is damaged: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}`);
  return parsed.data;
}

/** The manifest as a bundle holds it (checked first), in a folder and in an archive alike. */
export const manifestText = (m: BundleManifest): string => `${JSON.stringify(BundleManifest.parse(m), null, 2)}\n`;
