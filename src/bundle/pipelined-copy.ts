/**
 * Copying a file whose reads each cost a round trip (SFTP) as fast as the link goes, in constant memory:
 * many reads in flight at once, their bytes gathered into large chunks handed to a sink in file order.
 * ssh2's own read stream keeps one 32 KiB read outstanding and so waits a round trip per read; its
 * fastGet keeps many but writes out of order, so nothing could hash the bytes on the way.
 */
import { DcodError } from '../errors';
import type { ChunkSink } from './file-sink';

/** A file open for reads at any offset: an SFTP handle on a host, or a local file. */
export interface RandomReader {
  /** Its size when opened: the copy is of that many bytes. */
  readonly size: number;
  /** Reads up to `len` bytes at `pos` into `buf` at `off`; resolves how many (0 at the end of the file). */
  read(buf: Buffer, off: number, len: number, pos: number): Promise<number>;
  close(): Promise<void>;
}

export interface Pipelining {
  /** One read's size. 32 KiB: larger SFTP reads span several SSH packets, which ssh2 reassembles by copying (8 × 256 KiB ran at 60% of 64 × 32 KiB). */
  readonly readBytes: number;
  /** A chunk handed to the sink (one message to its thread per chunk, not per read). */
  readonly chunkBytes: number;
  /** Chunks in memory at once, being read or at the sink: the copy's memory is chunks × chunkBytes. */
  readonly chunks: number;
  /** Chunks being read at once: reads in flight are readingChunks × chunkBytes / readBytes. */
  readonly readingChunks: number;
}

/** 128 reads of 32 KiB in flight (4 MiB: more than ssh2's 2 MiB channel window, so the window is what limits), 8 MiB in all. */
export const DEFAULT_PIPELINING: Pipelining = { readBytes: 32 << 10, chunkBytes: 1 << 20, chunks: 8, readingChunks: 4 };

export interface PipelinedCopyOptions {
  /** Bytes as the sink takes them (for progress bars). */
  readonly onBytes?: (n: number) => void;
  readonly signal?: AbortSignal;
  readonly pipelining?: Pipelining;
}

/** Fills `len` bytes of `buf` at `off` from the file at `pos`, through as many (short) reads as it takes. */
async function readFully(src: RandomReader, buf: Buffer, off: number, len: number, pos: number): Promise<void> {
  for (let got = 0; got < len; ) {
    const n = await src.read(buf, off + got, len - got, pos + got);
    if (n === 0) throw new DcodError('FILE_ERROR', `the file ended at byte ${pos + got}, short of the ${src.size} bytes it had when opened: it changed while being copied`, { retryable: true });
    got += n;
  }
}

/** Copies all of `src` into `sink`, in order; rejects on the first failed read or write, or on abort. */
export function pipelinedCopy(src: RandomReader, sink: ChunkSink, opts: PipelinedCopyOptions = {}): Promise<void> {
  const p = opts.pipelining ?? DEFAULT_PIPELINING;
  return new Promise<void>((resolve, reject) => {
    const free: Buffer[] = [];
    const ready = new Map<number, { chunk: Buffer; len: number }>(); // read, waiting for the chunks before it
    let made = 0;
    let next = 0; // the next offset to read
    let handed = 0; // bytes given to the sink so far (chunks are given in order)
    let reading = 0;
    let atSink = 0;
    let settled = false;
    const settle = (err?: unknown) => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      if (err === undefined) resolve();
      else reject(err);
    };
    const onAbort = () => settle(opts.signal?.reason);
    const hand = () => {
      for (let r = ready.get(handed); r && !settled; r = ready.get(handed)) {
        const { chunk, len } = r;
        ready.delete(handed);
        atSink++;
        sink.put(chunk, len, handed).then(() => {
          atSink--;
          opts.onBytes?.(len);
          free.push(chunk);
          pump();
        }, settle);
        handed += len;
      }
    };
    const pump = () => {
      if (settled) return;
      if (next >= src.size && reading === 0 && atSink === 0) return settle();
      while (reading < p.readingChunks && next < src.size && (free.length > 0 || made < p.chunks)) {
        const chunk = free.pop() ?? (made++, sink.alloc(p.chunkBytes));
        const pos = next;
        const len = Math.min(p.chunkBytes, src.size - pos);
        next += len;
        reading++;
        const reads: Promise<void>[] = [];
        for (let off = 0; off < len; off += p.readBytes) reads.push(readFully(src, chunk, off, Math.min(p.readBytes, len - off), pos + off));
        Promise.all(reads).then(() => {
          reading--;
          ready.set(pos, { chunk, len });
          hand();
          pump();
        }, settle);
      }
    };
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    pump();
  });
}
