/**
 * VBoxManage's progress bar, `0%...10%...20%...…100%` on stderr (stdout for a few commands), written a
 * piece at a time while a long operation runs and ended by `CANCELED` when the operation was aborted.
 * A reader is fed chunks exactly as they arrive; a number cut between two chunks is held back until its
 * `%` comes.
 */

export interface ProgressUpdate {
  /** Percentages completed in this chunk, in order. */
  readonly percents: readonly number[];
  /** `CANCELED` appeared (in this chunk or before). */
  readonly canceled: boolean;
}

export interface ProgressReader {
  push(chunk: string): ProgressUpdate;
  /** The highest percentage seen so far, or undefined before the first. */
  readonly last: number | undefined;
}

const TOKEN = /(\d{1,3})%|CANCELED/g;
// The end of a chunk that may be the start of a token the next chunk finishes: digits, or part of CANCELED.
const PARTIAL_TAIL = /(?:\d{1,3}|C(?:A(?:N(?:C(?:E(?:L(?:E)?)?)?)?)?)?)$/;

export function createProgressReader(): ProgressReader {
  let pending = '';
  let canceled = false;
  let last: number | undefined;
  return {
    push(chunk: string): ProgressUpdate {
      const text = pending + chunk;
      const percents: number[] = [];
      let consumed = 0;
      for (const m of text.matchAll(TOKEN)) {
        consumed = m.index + m[0].length;
        if (m[1] === undefined) {
          canceled = true;
          continue;
        }
        const n = Number(m[1]);
        if (n > 100) continue;
        percents.push(n);
        last = Math.max(last ?? 0, n);
      }
      pending = PARTIAL_TAIL.exec(text.slice(consumed))?.[0] ?? '';
      return { percents, canceled };
    },
    get last() {
      return last;
    },
  };
}

/** All progress in a finished text, e.g. a captured stderr. */
export function parseProgress(text: string): ProgressUpdate {
  return createProgressReader().push(text);
}
