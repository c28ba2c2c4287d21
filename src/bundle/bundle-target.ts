/**
 * Where an export lands: a bundle folder (here) or a single `.dcod` file (./archive-target). Either
 * one remembers, between runs, which files are already whole, so a re-run of a cut-off export skips
 * them, and is complete only once its manifest is written.
 */
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../fsx/atomic';
import { fileSink } from './file-sink';
import { bundlePath, MANIFEST, manifestText, PROGRESS, type BundleFile, type BundleManifest } from './manifest';
import { hashFile, type Landing } from './remote-files';

export interface BundleTarget {
  /** The file as an earlier run left it, if that run finished it and its size and SHA-256 still match. */
  intact(rel: string): Promise<BundleFile | undefined>;
  /** Room for a file of `bytes` bytes, to download into. */
  land(rel: string, bytes: number): Promise<Landing>;
  /** A small file written whole (the document). */
  put(rel: string, text: string): Promise<BundleFile>;
  /** Writes the manifest: the bundle is complete. */
  finish(m: BundleManifest): Promise<void>;
  /** Lets go of what it holds open, finished or not. */
  close(): Promise<void>;
}

/** Files an earlier run recorded as whole, by path (a damaged record counts as none). */
export async function readRecords<T extends { path: string }>(file: string): Promise<Map<string, T>> {
  const text = await readFile(file, 'utf8').catch(() => '[]');
  try {
    return new Map((JSON.parse(text) as T[]).map((f) => [f.path, f]));
  } catch {
    return new Map();
  }
}

/**
 * Records a finished file in `records` and saves them all to `file`, one save at a time: hosts finish
 * files concurrently, and two overlapping saves could land in the wrong order and forget the later file.
 */
export function recorder<T extends { path: string }>(file: string, records: Map<string, T>): (f: T) => Promise<void> {
  let saving = Promise.resolve();
  return (f) => {
    records.set(f.path, f);
    saving = saving.catch(() => undefined).then(() => writeFileAtomic(file, JSON.stringify([...records.values()])));
    return saving;
  };
}

/** A bundle folder: each file beside the others, written as `<file>.part` and renamed once whole. */
export async function folderTarget(dir: string): Promise<BundleTarget> {
  await mkdir(dir, { recursive: true });
  const progress = path.join(dir, PROGRESS);
  const done = await readRecords<BundleFile>(progress);
  const record = recorder(progress, done);
  return {
    async intact(rel) {
      const f = done.get(rel);
      if (!f) return undefined;
      const got = await hashFile(bundlePath(dir, rel)).catch(() => undefined);
      return got?.sha256 === f.sha256 && got.bytes === f.bytes ? f : undefined;
    },
    async land(rel) {
      const file = bundlePath(dir, rel);
      await mkdir(path.dirname(file), { recursive: true });
      return {
        sink: fileSink(`${file}.part`),
        commit: async (got) => {
          await rename(`${file}.part`, file);
          await record({ path: rel, ...got });
        },
      };
    },
    async put(rel, text) {
      const file = bundlePath(dir, rel);
      await writeFileAtomic(file, text);
      return { path: rel, ...(await hashFile(file)) };
    },
    async finish(m) {
      await writeFileAtomic(path.join(dir, MANIFEST), manifestText(m));
      await rm(progress, { force: true });
    },
    close: async () => undefined,
  };
}
