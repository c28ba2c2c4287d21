/**
 * One apply of a datacenter at a time, across processes (two `dcod apply` of one document, or the app and
 * a CLI): a lock file beside the journal, created exclusively, naming who holds it. A lock whose process
 * is gone (killed, crashed) on this machine is taken over; one held by a live process, or by a process on
 * another machine (a document on a shared folder) that can't be checked from here, is refused with its
 * holder named.
 */
import { link, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DcodError } from '../errors';
import { journalPath } from './journal';

export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly planId: string;
  readonly since: string;
}

export function applyLockPath(documentFile: string, datacenter: string): string {
  return journalPath(documentFile, datacenter).replace(/\.jsonl$/, '.lock');
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false; // kill(0) would signal our own process group
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A lock that can't be read is being written right now, or was left so by a writer that died: judged by its age. */
const HALF_WRITTEN_GRACE_MS = 5_000;

async function readHolder(file: string): Promise<LockHolder | 'unreadable' | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as LockHolder;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return 'unreadable';
  }
}

const sameHolder = (a: LockHolder | 'unreadable' | undefined, b: LockHolder | 'unreadable') =>
  a === b || (typeof a === 'object' && typeof b === 'object' && a.pid === b.pid && a.host === b.host && a.since === b.since);

/**
 * Takes a stale lock out of the way: renamed to a name of our own (atomic: of several takers, one wins),
 * then checked to be the one judged stale. If another taker replaced it meanwhile with a live lock, that
 * one is put back.
 */
async function takeOver(file: string, stale: LockHolder | 'unreadable'): Promise<void> {
  const aside = `${file}.${process.pid}.stale`;
  try {
    await rename(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // another taker moved it first
    throw err;
  }
  if (!sameHolder(await readHolder(aside), stale)) await link(aside, file).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

/** Who applies `datacenter` of `documentFile` right now, if anyone: a lock whose holder is gone says nobody. */
export async function applyLockHolder(documentFile: string, datacenter: string): Promise<LockHolder | undefined> {
  const holder = await readHolder(applyLockPath(documentFile, datacenter));
  if (holder === undefined || holder === 'unreadable') return undefined;
  return holder.host !== os.hostname() || alive(holder.pid) ? holder : undefined;
}

/** `dcod (pid 4242 on laptop2, plan 1a2b3c4d5e6f, since …)`: a lock holder, as messages name it. */
export function describeHolder(holder: LockHolder): string {
  const local = holder.host === os.hostname();
  return `dcod (pid ${holder.pid}${local ? '' : ` on ${holder.host}`}${holder.planId ? `, plan ${holder.planId.slice(0, 12)}` : ''}${holder.since ? `, since ${holder.since}` : ''})`;
}

/**
 * Holds the apply lock of `datacenter` for the document `documentFile`; resolves its release, which
 * removes the lock only if it is still this holder's. Refuses (INVALID_STATE, retryable) while another
 * live apply holds it.
 */
export async function acquireApplyLock(documentFile: string, datacenter: string, planId: string, now: () => Date = () => new Date()): Promise<() => Promise<void>> {
  const file = applyLockPath(documentFile, datacenter);
  const me: LockHolder = { pid: process.pid, host: os.hostname(), planId, since: now().toISOString() };
  for (let attempt = 0; attempt < 60; attempt++) {
    try {
      const handle = await open(file, 'wx');
      try {
        await handle.writeFile(`${JSON.stringify(me)}\n`);
      } finally {
        await handle.close();
      }
      return async () => {
        if (sameHolder(await readHolder(file), me)) await unlink(file).catch(() => undefined);
      };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        await mkdir(path.dirname(file), { recursive: true });
        continue;
      }
      if (code !== 'EEXIST') throw new DcodError('FILE_ERROR', `can't create the apply lock ${file}: ${(err as Error).message}`);
    }
    const holder = await readHolder(file);
    if (holder === undefined) continue; // released meanwhile
    if (holder === 'unreadable') {
      const age = Date.now() - (await stat(file).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age > HALF_WRITTEN_GRACE_MS) await takeOver(file, holder);
      else await new Promise((resolve) => setTimeout(resolve, 100));
      continue;
    }
    const local = holder.host === os.hostname();
    if (local && !alive(holder.pid)) {
      await takeOver(file, holder);
      continue;
    }
    throw new DcodError('INVALID_STATE', `datacenter ${datacenter} is being applied by ${describeHolder(holder)}; wait for it to finish${local ? '' : `, or remove ${file} if that apply is gone`}`, { retryable: true });
  }
  throw new DcodError('INVALID_STATE', `the apply lock ${file} keeps changing hands; try again`, { retryable: true });
}
