/**
 * A single-file bundle (`FILE.dcod`): an uncompressed ustar archive, written in one pass as the files
 * arrive, with no copy made first. Each download reserves its entry (header and padded data) at the
 * archive's end as soon as its size is known, so hosts still download in parallel, each into its own
 * region; the entry is first named `.dcod-incomplete/<offset>` and renamed to its bundle path once
 * every byte is written and hashed. The manifest is the last entry: the SHA-256s it holds are only
 * known once every file is in, and an archive that does not end with it is by that fact unfinished or
 * cut short, so an importer never mistakes a truncated `.dcod` for a whole one. OVAs are already
 * compressed (VirtualBox deflates their disks), so the archive isn't.
 *
 * It is written as `FILE.dcod.part` with `FILE.dcod.progress.json` beside it (entries finished, with
 * their offsets), and renamed once the manifest is in. A re-run keeps the finished entries whose bytes
 * still hash right, renames every other entry to `.dcod-incomplete/…` (an importer skips those; `tar`
 * shows them), and appends what is missing.
 */
import { open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { DcodError } from '../errors';
import { readRecords, recorder, type BundleTarget } from './bundle-target';
import { fileSink } from './file-sink';
import { MANIFEST, manifestText, type BundleFile } from './manifest';
import { hashFile } from './remote-files';
import { BLOCK, END_OF_ARCHIVE, padded, parseTarHeader, tarHeader } from './tar';

/** Entries whose name starts so are space left by a cut-off export; an importer skips them. */
export const INCOMPLETE_PREFIX = '.dcod-incomplete/';

export interface ArchiveEntry {
  readonly name: string;
  /** Where its header starts; its data follows one block later. */
  readonly header: number;
  readonly bytes: number;
}

/**
 * Walks an archive's headers (not its data): its entries in order, where the next header would go,
 * and whether it ended properly. A header cut short or damaged ends the walk (`ended: false`).
 */
export async function scanArchive(fh: FileHandle): Promise<{ entries: ArchiveEntry[]; next: number; ended: boolean; size: number }> {
  const size = (await fh.stat()).size;
  const entries: ArchiveEntry[] = [];
  const block = Buffer.alloc(BLOCK);
  let at = 0;
  while (at + BLOCK <= size) {
    await fh.read(block, 0, BLOCK, at);
    let h;
    try {
      h = parseTarHeader(block);
    } catch {
      return { entries, next: at, ended: false, size };
    }
    if (h.kind === 'end') return { entries, next: at, ended: true, size };
    entries.push({ name: h.name, header: at, bytes: h.size });
    at += BLOCK + padded(h.size);
  }
  return { entries, next: at, ended: false, size };
}

interface Finished extends BundleFile {
  readonly header: number;
}

export async function archiveTarget(file: string): Promise<BundleTarget> {
  const part = `${file}.part`;
  const progress = `${file}.progress.json`;
  const exists = await stat(part).then(
    () => true,
    () => false,
  );
  const fh = await open(part, exists ? 'r+' : 'w+');
  const recorded = await readRecords<Finished>(progress);
  const scan = exists ? await scanArchive(fh) : { entries: [], next: 0 };
  let next = scan.next;
  /** Finished entries kept from an earlier run until asked about (then verified) or found stale. */
  const kept = new Map<string, Finished>();
  /** What the progress file says is finished: the kept entries, and this run's. */
  const finished = new Map<string, Finished>();

  const writeHeader = (name: string, header: number, bytes: number) => fh.write(tarHeader(name, bytes), 0, BLOCK, header);
  const disown = (e: { header: number; bytes: number }) => writeHeader(`${INCOMPLETE_PREFIX}${e.header}`, e.header, e.bytes);
  const record = recorder(progress, finished);
  /** Reserves an entry of `bytes` at the end, named as incomplete until it is whole. */
  const reserve = async (bytes: number): Promise<number> => {
    const header = next;
    next += BLOCK + padded(bytes);
    await disown({ header, bytes });
    return header;
  };
  /** A kept entry that is about to be written anew: the old one must not be found under its name. */
  const replace = async (rel: string) => {
    const old = kept.get(rel);
    if (!old) return;
    kept.delete(rel);
    finished.delete(rel);
    await disown(old);
  };

  for (const e of scan.entries) {
    if (e.name.startsWith(INCOMPLETE_PREFIX)) continue;
    const r = recorded.get(e.name);
    if (r && r.header === e.header && r.bytes === e.bytes && e.name !== MANIFEST) kept.set(e.name, r);
    else await disown(e); // renamed, or a manifest from a run cut off as it finished: written anew
  }
  for (const [rel, k] of kept) finished.set(rel, k);

  return {
    async intact(rel) {
      const k = kept.get(rel);
      if (!k) return undefined;
      const got = await hashFile({ file: part, start: k.header + BLOCK, bytes: k.bytes }).catch(() => undefined);
      if (got?.sha256 !== k.sha256) {
        await replace(rel);
        return undefined;
      }
      kept.delete(rel);
      return { path: k.path, bytes: k.bytes, sha256: k.sha256 };
    },
    async land(rel, bytes) {
      await replace(rel);
      const header = await reserve(bytes);
      return {
        sink: fileSink(part, { base: header + BLOCK }),
        commit: async (got) => {
          if (got.bytes !== bytes) throw new DcodError('FILE_ERROR', `${rel} was ${bytes} bytes when its download began and ${got.bytes} when it ended: it changed meanwhile`, { retryable: true });
          await writeHeader(rel, header, bytes);
          await record({ path: rel, ...got, header });
        },
      };
    },
    async put(rel, text) {
      await replace(rel);
      const data = Buffer.from(text);
      const header = await reserve(data.length);
      await fh.write(data, 0, data.length, header + BLOCK);
      const got = await hashFile({ file: part, start: header + BLOCK, bytes: data.length });
      await writeHeader(rel, header, data.length);
      await record({ path: rel, ...got, header });
      return { path: rel, ...got };
    },
    async finish(m) {
      for (const k of [...kept.keys()]) await replace(k); // files of an earlier run this document no longer has
      const data = Buffer.from(manifestText(m));
      const header = next;
      const end = header + BLOCK + padded(data.length);
      await writeHeader(MANIFEST, header, data.length);
      await fh.write(data, 0, data.length, header + BLOCK);
      await fh.write(END_OF_ARCHIVE, 0, END_OF_ARCHIVE.length, end);
      await fh.truncate(end + END_OF_ARCHIVE.length);
      await fh.sync();
      await fh.close();
      await rename(part, file);
      await rm(progress, { force: true });
    },
    async close() {
      await fh.close().catch(() => undefined); // already closed once finished
    },
  };
}
