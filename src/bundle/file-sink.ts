/**
 * Where a download's bytes land: a local file written at each chunk's offset and hashed (SHA-256) in
 * file order, on a worker thread. Hashing and writing cost about as much CPU as SSH's decryption itself
 * (bench/export), so doing them beside the SSH connection's thread, rather than after it, is what lets a
 * download keep up with OpenSSH's `sftp`, which likewise splits decryption (ssh) from writing (sftp).
 */
import { Worker } from 'node:worker_threads';
import { DcodError } from '../errors';

/** Chunks are the sink's memory (`alloc`), lent to it by `put` and free again once it resolves. */
export interface ChunkSink {
  /** A chunk to fill, of `bytes` bytes; the caller reuses it from one `put` to the next. */
  alloc(bytes: number): Buffer;
  /** Chunks must come in file order (the hash is of the bytes in order); `len` bytes of `chunk` count. */
  put(chunk: Buffer, len: number, pos: number): Promise<void>;
  /** Flushes and closes the file: its size and SHA-256. */
  end(): Promise<{ bytes: number; sha256: string }>;
  /** Closes the file as it is, after the chunks already put (a `.part` the caller deletes). */
  abort(): Promise<void>;
}

// The worker's code as a string, run with `eval`: it then needs no file of its own next to the bundle
// that esbuild makes of the app (or tsx's loader). It only writes and hashes; the order is the caller's.
// Chunks live in SharedArrayBuffers both threads see, so a message names a chunk and moves no memory:
// handing 1 MiB ArrayBuffers back and forth instead made V8 count each as new external memory and
// collect garbage for 7% of a profiled download.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { createHash } = require('node:crypto');
const hash = createHash('sha256');
let fd;
let bytes = 0;
const chunks = [];
try { fd = fs.openSync(workerData.file, workerData.flags); } catch (err) { parentPort.postMessage({ error: err.message }); }
parentPort.on('message', (m) => {
  if (m.chunk) { chunks[m.id] = Buffer.from(m.chunk); return; }
  if (fd === undefined) return;
  try {
    if (m.end) {
      fs.closeSync(fd);
      fd = undefined;
      parentPort.postMessage({ done: { bytes, sha256: hash.digest('hex') } });
      return;
    }
    const chunk = chunks[m.id].subarray(0, m.len);
    hash.update(chunk);
    for (let off = 0; off < m.len; ) off += fs.writeSync(fd, chunk, off, m.len - off, workerData.base + m.pos + off);
    bytes += m.len;
    parentPort.postMessage({ put: m.put });
  } catch (err) {
    try { fs.closeSync(fd); } catch {}
    fd = undefined;
    parentPort.postMessage({ error: err.message });
  }
});
`;

type Reply = { put: number } | { done: { bytes: number; sha256: string } } | { error: string };

export interface FileSinkOptions {
  /** Where in the file the bytes go (a region of an archive); the file is then written in place, not truncated. */
  readonly base?: number;
}

/** A sink writing `file` (created or truncated, unless `base` is given) from a worker thread. */
export function fileSink(file: string, opts: FileSinkOptions = {}): ChunkSink {
  const inPlace = opts.base !== undefined;
  const worker = new Worker(WORKER, { eval: true, workerData: { file, flags: inPlace ? 'r+' : 'w', base: opts.base ?? 0 } });
  const waiting = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  /** Each chunk's id for the worker, by its memory. */
  const ids = new Map<ArrayBufferLike, number>();
  let ending: { resolve: (r: { bytes: number; sha256: string }) => void; reject: (e: Error) => void } | undefined;
  let failure: Error | undefined;
  let nextPut = 0;
  const fail = (err: Error) => {
    failure ??= err;
    for (const w of waiting.values()) w.reject(failure);
    waiting.clear();
    ending?.reject(failure);
    void worker.terminate();
  };
  worker.on('message', (m: Reply) => {
    if ('error' in m) return fail(new DcodError('FILE_ERROR', `writing ${file}: ${m.error}`, { retryable: false }));
    if ('done' in m) {
      ending?.resolve(m.done);
      void worker.terminate();
      return;
    }
    const w = waiting.get(m.put);
    waiting.delete(m.put);
    w?.resolve();
  });
  worker.on('error', (err) => fail(new DcodError('FILE_ERROR', `writing ${file}: ${err.message}`, { retryable: false, cause: err })));
  return {
    alloc(bytes) {
      const shared = new SharedArrayBuffer(bytes);
      ids.set(shared, ids.size);
      worker.postMessage({ id: ids.size - 1, chunk: shared });
      return Buffer.from(shared);
    },
    put(chunk, len, pos) {
      if (failure) return Promise.reject(failure);
      const id = ids.get(chunk.buffer);
      if (id === undefined || chunk.byteOffset !== 0) throw new DcodError('BAD_REQUEST', 'a file sink takes only the chunks it allocated');
      const put = nextPut++;
      return new Promise((resolve, reject) => {
        waiting.set(put, { resolve, reject });
        worker.postMessage({ put, id, len, pos });
      });
    },
    end() {
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        ending = { resolve, reject };
        worker.postMessage({ end: true });
      });
    },
    async abort() {
      // Through end(), so the worker closes its descriptor (a terminated worker would leak it).
      await this.end().catch(() => undefined);
    },
  };
}
