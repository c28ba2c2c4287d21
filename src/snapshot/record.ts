/**
 * A datacenter snapshot as DCoD keeps it: the document as it was (its text and version) and,
 * for every VM that existed then, which VirtualBox snapshot on which host holds its state. Kept beside
 * the document in `.dcod/snapshots/<datacenter>/<name>.json`, like plans and journals, so it travels
 * with the project folder and never with a host.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { DcodError } from '../errors';
import { writeFileAtomic } from '../fsx/atomic';
import { Name } from '../model/document';

export const SnapshotVm = z
  .object({
    vm: Name,
    host: z.string().min(1),
    /** The VM's UUID then: a VM deleted and recreated since is another VM, not to be rolled back. */
    uuid: z.string().min(1),
    /** The VirtualBox snapshot's UUID (names need not be unique on a VM). */
    snapshot: z.string().min(1),
    /** Running VMs are snapshotted live and started again after a restore. */
    running: z.boolean(),
  })
  .strict();
export type SnapshotVm = z.infer<typeof SnapshotVm>;

export const SnapshotRecord = z
  .object({
    name: Name,
    datacenter: Name,
    takenAt: z.string(),
    docVersion: z.string().regex(/^[0-9a-f]{64}$/),
    /** The document file's text at the time: restored byte for byte. */
    document: z.string(),
    vms: z.array(SnapshotVm),
  })
  .strict();
export type SnapshotRecord = z.infer<typeof SnapshotRecord>;

/** What a list shows: everything but the document text. */
export type SnapshotSummary = Omit<SnapshotRecord, 'document'>;

/** The VirtualBox snapshot name every VM gets for datacenter snapshot `name`. */
export function vboxSnapshotName(name: string): string {
  return `dcod-${name}`;
}

export function snapshotFolder(documentFile: string, datacenter: string): string {
  return path.join(path.dirname(path.resolve(documentFile)), '.dcod', 'snapshots', datacenter);
}

function recordFile(documentFile: string, datacenter: string, name: string): string {
  return path.join(snapshotFolder(documentFile, datacenter), `${Name.parse(name)}.json`);
}

export async function saveRecord(documentFile: string, record: SnapshotRecord): Promise<void> {
  await writeFileAtomic(recordFile(documentFile, record.datacenter, record.name), `${JSON.stringify(SnapshotRecord.parse(record), null, 2)}\n`);
}

export async function readRecord(documentFile: string, datacenter: string, name: string): Promise<SnapshotRecord> {
  const file = recordFile(documentFile, datacenter, name);
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new DcodError(err.code === 'ENOENT' ? 'NOT_FOUND' : 'FILE_ERROR', `datacenter ${datacenter} has no snapshot ${name} (${file}: ${err.code ?? err.message})`);
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new DcodError('FILE_ERROR', `snapshot record ${file} is damaged: not JSON`);
  }
  const parsed = SnapshotRecord.safeParse(json);
  if (!parsed.success) throw new DcodError('FILE_ERROR', `snapshot record ${file} is damaged: ${parsed.error.issues[0]?.message ?? 'unreadable'}`);
  return parsed.data;
}

export async function recordExists(documentFile: string, datacenter: string, name: string): Promise<boolean> {
  return readFile(recordFile(documentFile, datacenter, name)).then(() => true, () => false);
}

/** Every snapshot of the datacenter, oldest first. */
export async function listRecords(documentFile: string, datacenter: string): Promise<SnapshotRecord[]> {
  const dir = snapshotFolder(documentFile, datacenter);
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json') && !n.startsWith('.'));
  const records = await Promise.all(names.map((n) => readRecord(documentFile, datacenter, n.slice(0, -5))));
  return records.sort((a, b) => a.takenAt.localeCompare(b.takenAt) || a.name.localeCompare(b.name));
}

export async function removeRecord(documentFile: string, datacenter: string, name: string): Promise<void> {
  await rm(recordFile(documentFile, datacenter, name), { force: true });
}
