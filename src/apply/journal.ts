/**
 * The apply journal: an append-only JSON-lines file beside the document (`.dcod/journal/<datacenter>.jsonl`)
 * with one record per step of every apply, each fsynced before the next is written. It is what lets an
 * interrupted apply resume (operations recorded `done` for the same plan are not run again) and what
 * `status` reads to say that a resource failed its last apply.
 *
 * Invariant: records of one plan appear in the order the engine saw them happen; a crash can leave at
 * most the last line torn, and readers skip a line they can't parse. Past COMPACT_ABOVE_BYTES an apply
 * first rewrites it (atomically, under the apply lock) to the records that still say something, so a
 * datacenter applied at every edit for months does not make each `status` read all of its history.
 */
import { mkdir, open, readFile, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { ErrorInfo } from '../errors';
import { writeFileAtomic } from '../fsx/atomic';
import type { Action } from '../plan/plan';

export type OperationState = 'started' | 'done' | 'failed';

export type JournalRecord =
  | {
      readonly type: 'begin';
      readonly planId: string;
      readonly datacenter: string;
      readonly docVersion: string;
      readonly time: string;
      readonly operations: number;
    }
  | {
      readonly type: 'op';
      readonly planId: string;
      readonly op: string;
      readonly state: OperationState;
      readonly time: string;
      readonly docVersion: string;
      /** `vm/web1`: what status groups outcomes by. */
      readonly resource: string;
      readonly action: Action;
      readonly error?: ErrorInfo;
    }
  | {
      readonly type: 'end';
      readonly planId: string;
      readonly docVersion: string;
      readonly time: string;
      readonly done: number;
      readonly failed: number;
      readonly skipped: number;
    };

/** Where the journal of a datacenter lives: under the folder of its document. */
export function journalPath(documentFile: string, datacenter: string): string {
  return path.join(path.dirname(path.resolve(documentFile)), '.dcod', 'journal', `${datacenter}.jsonl`);
}

export class JournalWriter {
  private tail: Promise<void> = Promise.resolve();

  private constructor(private readonly fh: FileHandle) {}

  static async open(file: string): Promise<JournalWriter> {
    await mkdir(path.dirname(file), { recursive: true });
    return new JournalWriter(await open(file, 'a', 0o644));
  }

  /** Appends one record and fsyncs it; records are written in the order `append` was called. */
  append(record: JournalRecord): Promise<void> {
    const line = `${JSON.stringify(record)}\n`;
    const write = this.tail.then(async () => {
      await this.fh.write(line);
      await this.fh.sync();
    });
    // A failed write is reported to its caller; the next one still tries.
    this.tail = write.catch(() => undefined);
    return write;
  }

  async close(): Promise<void> {
    await this.tail;
    await this.fh.close();
  }
}

function isRecord(v: unknown): v is JournalRecord {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return (r.type === 'begin' || r.type === 'op' || r.type === 'end') && typeof r.planId === 'string';
}

/** Every record, oldest first; no journal yet is an empty one. */
export async function readJournal(file: string): Promise<JournalRecord[]> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return '';
    throw err;
  });
  const out: JournalRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const parsed: unknown = JSON.parse(line);
      if (isRecord(parsed)) out.push(parsed);
    } catch {
      // A line torn by a crash: what it would have said is unknown, so it says nothing.
    }
  }
  return out;
}

/** Operations of this plan recorded done: a resumed apply doesn't run them again. */
export function doneOperations(records: readonly JournalRecord[], planId: string): Set<string> {
  const done = new Set<string>();
  for (const r of records) if (r.type === 'op' && r.planId === planId && r.state === 'done') done.add(r.op);
  return done;
}

export interface UnfinishedApply {
  readonly planId: string;
  readonly docVersion: string;
  readonly time: string;
  readonly operations: number;
  readonly done: number;
}

/** The last apply if it began and never ended (the process died or was killed mid-apply). */
export function unfinishedApply(records: readonly JournalRecord[]): UnfinishedApply | undefined {
  const last = records.findLast((r) => r.type === 'begin');
  if (!last || last.type !== 'begin') return undefined;
  if (records.some((r) => r.type === 'end' && r.planId === last.planId)) return undefined;
  return { planId: last.planId, docVersion: last.docVersion, time: last.time, operations: last.operations, done: doneOperations(records, last.planId).size };
}

export interface LastOutcome {
  readonly planId: string;
  readonly op: string;
  readonly action: Action;
  readonly state: OperationState;
  readonly time: string;
  readonly error?: ErrorInfo;
}

/**
 * Per resource (`vm/web1`), how its operations went in the most recent apply that touched it: a failed
 * one wins over a done one of the same apply, so a resource whose create worked and start failed shows
 * as failed.
 */
export function lastOutcomes(records: readonly JournalRecord[]): Map<string, LastOutcome> {
  const out = new Map<string, LastOutcome>();
  for (const r of records) {
    if (r.type !== 'op' || r.state === 'started') continue;
    const prev = out.get(r.resource);
    if (prev && prev.planId === r.planId && prev.state === 'failed' && r.state === 'done') continue;
    out.set(r.resource, { planId: r.planId, op: r.op, action: r.action, state: r.state, time: r.time, ...(r.error ? { error: r.error } : {}) });
  }
  return out;
}

/**
 * The records that still say something, in their order: those of the last apply begun (`unfinishedApply`
 * reads it), of every apply that never ended (a persisted plan can still be resumed), and of each
 * resource's most recent apply (`lastOutcomes`). The rest only repeats history: all three readers give
 * the same answers without it.
 */
export function liveRecords(records: readonly JournalRecord[]): JournalRecord[] {
  const ended = new Set(records.flatMap((r) => (r.type === 'end' ? [r.planId] : [])));
  const keep = new Set<string>();
  const lastBegin = records.findLast((r) => r.type === 'begin');
  if (lastBegin) keep.add(lastBegin.planId);
  for (const r of records) if (r.type === 'begin' && !ended.has(r.planId)) keep.add(r.planId);
  for (const o of lastOutcomes(records).values()) keep.add(o.planId);
  return records.filter((r) => keep.has(r.planId));
}

/** Past this size, an apply compacts the journal before it writes to it. */
export const COMPACT_ABOVE_BYTES = 1 << 20;

/**
 * Rewrites `file` (whose records are `records`) to its live ones, atomically, when it is over `aboveBytes`;
 * says whether it did. Only under the apply lock: a writer holding the old file open would lose its lines.
 */
export async function compactJournal(file: string, records: readonly JournalRecord[], aboveBytes = COMPACT_ABOVE_BYTES): Promise<boolean> {
  const size = await stat(file).then(
    (st) => st.size,
    () => 0,
  );
  if (size <= aboveBytes) return false;
  await writeFileAtomic(file, liveRecords(records).map((r) => `${JSON.stringify(r)}\n`).join(''));
  return true;
}
