/**
 * Reading a bundle, whichever form it has: a folder (`dcod export -o DIR`) or a single `.dcod` file
 * (./archive-target). Both give the manifest and where each of the bundle's files is on this machine
 * (a whole file, or an entry's range of the archive: uploads and checks read it in place, nothing is
 * unpacked first).
 */
import { open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { DcodError } from '../errors';
import { INCOMPLETE_PREFIX, scanArchive } from './archive-target';
import { bundlePath, MANIFEST, parseManifest, type BundleManifest } from './manifest';
import { hashFile, type LocalBytes } from './remote-files';
import { BLOCK } from './tar';

export interface BundleSource {
  /** The bundle's path, for messages. */
  readonly path: string;
  readonly manifest: BundleManifest;
  /** Where a file of the bundle is; FILE_ERROR naming it when it is not there. */
  locate(rel: string): Promise<LocalBytes>;
}

const notThere = (rel: string, bundle: string) => new DcodError('FILE_ERROR', `bundle file ${rel} is missing from ${bundle}: the bundle is incomplete; nothing was imported`);

async function folderSource(dir: string): Promise<BundleSource> {
  const file = path.join(dir, MANIFEST);
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new DcodError(err.code === 'ENOENT' ? 'NOT_FOUND' : 'FILE_ERROR', `${dir} is not a complete DCoD bundle: no ${MANIFEST} (${err.code ?? err.message})`);
  });
  return {
    path: dir,
    manifest: parseManifest(text, file),
    async locate(rel) {
      const full = bundlePath(dir, rel);
      const st = await stat(full).catch(() => undefined);
      if (!st?.isFile()) throw notThere(rel, dir);
      return { file: full, start: 0, bytes: st.size };
    },
  };
}

async function archiveSource(file: string): Promise<BundleSource> {
  const fh = await open(file, 'r');
  try {
    const scan = await scanArchive(fh);
    const entries = scan.entries.filter((e) => !e.name.startsWith(INCOMPLETE_PREFIX));
    const cut = entries.find((e) => e.header + BLOCK + e.bytes > scan.size);
    if (cut) throw new DcodError('FILE_ERROR', `${file} is truncated: it ends inside ${cut.name}; nothing was imported`);
    const last = entries.at(-1);
    if (!scan.ended || last?.name !== MANIFEST) throw new DcodError('FILE_ERROR', `${file} is not a complete DCoD bundle: it does not end with its ${MANIFEST} (cut short, damaged, or an export still under way); nothing was imported`);
    const byName = new Map<string, LocalBytes>();
    for (const e of entries) {
      if (byName.has(e.name)) throw new DcodError('FILE_ERROR', `${file} is damaged: it holds ${e.name} twice`);
      byName.set(e.name, { file, start: e.header + BLOCK, bytes: e.bytes });
    }
    const m = byName.get(MANIFEST)!;
    const text = Buffer.alloc(m.bytes);
    await fh.read(text, 0, m.bytes, m.start);
    return {
      path: file,
      manifest: parseManifest(text.toString('utf8'), `the manifest of ${file}`),
      async locate(rel) {
        const at = byName.get(rel);
        if (!at) throw notThere(rel, file);
        return at;
      },
    };
  } finally {
    await fh.close();
  }
}

/** Opens a bundle folder or `.dcod` file, checking its form (not yet its files: verifyBundle does). */
export async function openBundle(p: string): Promise<BundleSource> {
  const st = await stat(p).catch((err: NodeJS.ErrnoException) => {
    throw new DcodError(err.code === 'ENOENT' ? 'NOT_FOUND' : 'FILE_ERROR', `no bundle at ${p} (${err.code ?? err.message})`);
  });
  return st.isDirectory() ? folderSource(p) : archiveSource(p);
}

/** A small file of the bundle (the document) as text. */
export async function readBundleText(src: BundleSource, rel: string): Promise<string> {
  const at = await src.locate(rel);
  const fh = await open(at.file, 'r');
  try {
    const buf = Buffer.alloc(at.bytes);
    await fh.read(buf, 0, at.bytes, at.start);
    return buf.toString('utf8');
  } finally {
    await fh.close();
  }
}

/**
 * Checks every file of the bundle against the manifest — size first (a truncated file is caught without
 * reading it), then SHA-256 — and throws FILE_ERROR naming the first file that differs.
 */
export async function verifyBundle(src: BundleSource, onBytes?: (n: number) => void): Promise<void> {
  for (const f of src.manifest.files) {
    const at = await src.locate(f.path);
    if (at.bytes !== f.bytes) throw new DcodError('FILE_ERROR', `bundle file ${f.path} is ${at.bytes} bytes, the manifest says ${f.bytes}: ${src.path} is truncated or damaged; nothing was imported`);
    const got = await hashFile(at, onBytes ? { onBytes } : {}).catch((err: NodeJS.ErrnoException) => {
      throw new DcodError('FILE_ERROR', `bundle file ${f.path} can't be read: ${err.code ?? err.message}`);
    });
    if (got.sha256 !== f.sha256) throw new DcodError('FILE_ERROR', `bundle file ${f.path} does not match its SHA-256 in the manifest: ${src.path} is damaged; nothing was imported`);
  }
}
