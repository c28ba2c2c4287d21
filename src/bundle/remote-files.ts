/**
 * Streaming whole files between this machine and a host: over SFTP on an SSH host (ssh2's streams have
 * backpressure, so memory stays constant whatever the size), with plain fs streams for the local host.
 * Every byte is hashed as it passes, so a copy's SHA-256 comes free with it.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { SFTPWrapper } from 'ssh2';
import { DcodError } from '../errors';
import type { HostRunner } from '../hosts/runner';

interface RemoteFs {
  read(file: string): Readable;
  write(file: string): Writable;
  size(file: string): Promise<number>;
  rename(from: string, to: string): Promise<void>;
}

type SftpCapable = HostRunner & { sftp<T>(work: (s: SFTPWrapper) => Promise<T>): Promise<T> };

/** Reads in flight at once, and their size: one at a time (ssh2's own read stream) waits a round trip per 32 KiB. */
const READS_IN_FLIGHT = 128;
const READ_BYTES = 32 << 10;

const call = <T>(f: (cb: (err: Error | null | undefined, value: T) => void) => void): Promise<T> =>
  new Promise((resolve, reject) => f((err, value) => (err ? reject(err) : resolve(value))));

/**
 * A host file as a stream of its bytes in order, with READS_IN_FLIGHT SFTP reads outstanding: memory
 * stays at READS_IN_FLIGHT × READ_BYTES (the consumer's backpressure stops new reads), and the link is
 * kept full.
 */
export function sftpReader(s: Pick<SFTPWrapper, 'open' | 'fstat' | 'read' | 'close'>, file: string): Readable {
  async function* chunks(): AsyncGenerator<Buffer> {
    const handle = await call<Buffer>((cb) => s.open(file, 'r', cb));
    try {
      const size = (await call<{ size: number }>((cb) => s.fstat(handle, cb))).size;
      const readAt = async (pos: number, len: number): Promise<Buffer> => {
        const buf = Buffer.allocUnsafe(len);
        let got = 0;
        while (got < len) {
          const n = await new Promise<number>((resolve, reject) => s.read(handle, buf, got, len - got, pos + got, (err, bytes) => (err ? reject(err) : resolve(bytes))));
          if (n === 0) break;
          got += n;
        }
        return got === len ? buf : buf.subarray(0, got);
      };
      const inFlight: Promise<Buffer>[] = [];
      let next = 0;
      const fill = () => {
        while (inFlight.length < READS_IN_FLIGHT && next < size) {
          const read = readAt(next, Math.min(READ_BYTES, size - next));
          read.catch(() => undefined); // awaited in order below; this only keeps a failure from being "unhandled" meanwhile
          inFlight.push(read);
          next += READ_BYTES;
        }
      };
      fill();
      while (inFlight.length) {
        const chunk = await inFlight.shift()!;
        fill();
        yield chunk;
      }
    } finally {
      await call<void>((cb) => s.close(handle, cb)).catch(() => undefined);
    }
  }
  return Readable.from(chunks(), { objectMode: false, highWaterMark: READ_BYTES });
}

const sftpFs = (s: SFTPWrapper): RemoteFs => ({
  read: (file) => sftpReader(s, file),
  write: (file) => s.createWriteStream(file),
  size: (file) => new Promise((resolve, reject) => s.stat(file, (err, st) => (err ? reject(err) : resolve(st.size)))),
  rename: (from, to) => new Promise((resolve, reject) => s.rename(from, to, (err) => (err ? reject(err) : resolve()))),
});

const localFs: RemoteFs = {
  read: (file) => createReadStream(file, { highWaterMark: 1 << 20 }),
  write: (file) => createWriteStream(file),
  size: async (file) => (await stat(file)).size,
  rename: (from, to) => rename(from, to),
};

/** Runs `work` with the host's files: SFTP for an SSH runner, the local file system otherwise. */
export async function withHostFiles<T>(runner: HostRunner, work: (fs: RemoteFs) => Promise<T>): Promise<T> {
  if ('sftp' in runner && typeof (runner as SftpCapable).sftp === 'function') return (runner as SftpCapable).sftp((s) => work(sftpFs(s)));
  return work(localFs);
}

export interface CopyOptions {
  /** Bytes as they pass (for progress bars). */
  readonly onBytes?: (n: number) => void;
  readonly signal?: AbortSignal;
}

/** Counts and hashes what flows through. */
function meter(opts: CopyOptions): { tap: Transform; digest: () => string; bytes: () => number } {
  const hash = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      opts.onBytes?.(chunk.length);
      done(null, chunk);
    },
  });
  return { tap, digest: () => hash.digest('hex'), bytes: () => bytes };
}

/**
 * Copies a host's file to a local one (written as `<to>.part`, renamed once whole); resolves its size
 * and SHA-256.
 */
export async function download(runner: HostRunner, from: string, to: string, opts: CopyOptions = {}): Promise<{ bytes: number; sha256: string }> {
  await mkdir(path.dirname(to), { recursive: true });
  const m = meter(opts);
  await withHostFiles(runner, (fs) => pipeline(fs.read(from), m.tap, createWriteStream(`${to}.part`), ...(opts.signal ? [{ signal: opts.signal }] : []))).catch((err: unknown) => {
    throw copyError(err, `downloading ${from}`);
  });
  await rename(`${to}.part`, to);
  return { bytes: m.bytes(), sha256: m.digest() };
}

/** Copies a local file to a host (as `<to>.dcod-part`, renamed once whole); resolves its size and SHA-256. */
export async function upload(runner: HostRunner, from: string, to: string, opts: CopyOptions = {}): Promise<{ bytes: number; sha256: string }> {
  const m = meter(opts);
  await withHostFiles(runner, async (fs) => {
    await pipeline(createReadStream(from, { highWaterMark: 1 << 20 }), m.tap, fs.write(`${to}.dcod-part`), ...(opts.signal ? [{ signal: opts.signal }] : []));
    await fs.rename(`${to}.dcod-part`, to);
  }).catch((err: unknown) => {
    throw copyError(err, `uploading ${from} to ${to}`);
  });
  return { bytes: m.bytes(), sha256: m.digest() };
}

function copyError(err: unknown, what: string): DcodError {
  if (err instanceof DcodError) return err;
  const e = err as NodeJS.ErrnoException;
  if (e?.name === 'AbortError') return new DcodError('BAD_REQUEST', `${what}: cancelled`, { retryable: true });
  return new DcodError('FILE_ERROR', `${what}: ${e?.message ?? String(err)}`, { retryable: true, cause: err });
}

/** SHA-256 and size of a local file, streamed. */
export async function hashFile(file: string, opts: CopyOptions = {}): Promise<{ bytes: number; sha256: string }> {
  const m = meter(opts);
  await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), m.tap, async function* (source) {
    for await (const _ of source) yield* [];
  });
  return { bytes: m.bytes(), sha256: m.digest() };
}
