/**
 * Copying whole files between this machine and a host, in constant memory whatever their size. A
 * download from a POSIX host over SSH is one streamed `cat` (./stream-copy); from any other SSH host
 * (Windows) it is SFTP with many reads in flight (./pipelined-copy); the local host reads its file system.
 * Either way the bytes are written and hashed on a worker thread (./file-sink). Uploads are ssh2's SFTP
 * write stream, which already pipelines its writes. Every byte is hashed as it passes, so a copy's SHA-256
 * comes free with it. Making a host's folder and removing its file work on every host too: SFTP, not
 * `mkdir`/`rm`, where the host is not POSIX.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { Readable, Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { SFTPWrapper } from 'ssh2';
import { untilAborted } from '../concurrency/until-aborted';
import { DcodError } from '../errors';
import type { ExecOptions, HostRunner } from '../hosts/runner';
import { hostDirname, isWindowsPath } from '../plan/host-paths';
import { quotePosixArg } from '../shell/quote';
import type { SshRunner } from '../ssh/ssh-runner';
import { fileSink, type ChunkSink } from './file-sink';
import { pipelinedCopy, type RandomReader } from './pipelined-copy';
import { firstLine, streamCopy } from './stream-copy';

interface RemoteFs {
  open(file: string): Promise<RandomReader>;
  write(file: string): Writable;
  /** Replaces a file already at `to`. */
  rename(from: string, to: string): Promise<void>;
  /** A file that is not there is no error. */
  remove(file: string): Promise<void>;
  /** Makes the folder and any parents it lacks. */
  makeFolder(dir: string): Promise<void>;
}

type SftpCapable = HostRunner & { sftp<T>(work: (s: SFTPWrapper) => Promise<T>): Promise<T> };

const call = <T>(f: (cb: (err: Error | null | undefined, value: T) => void) => void): Promise<T> =>
  new Promise((resolve, reject) => f((err, value) => (err ? reject(err) : resolve(value))));

/** A host file open for reads at any offset over SFTP (ssh2 reports the end of the file as a 0-byte read). */
export async function sftpOpen(s: Pick<SFTPWrapper, 'open' | 'fstat' | 'read' | 'close'>, file: string): Promise<RandomReader> {
  const handle = await call<Buffer>((cb) => s.open(file, 'r', cb));
  const close = () => call<void>((cb) => s.close(handle, (err) => cb(err, undefined)));
  const size = await call<{ size: number }>((cb) => s.fstat(handle, cb)).then(
    (st) => st.size,
    async (err: unknown) => {
      await close().catch(() => undefined);
      throw err;
    },
  );
  return { size, read: (buf, off, len, pos) => call<number>((cb) => s.read(handle, buf, off, len, pos, (err, n) => cb(err, n))), close };
}

/**
 * A host path as SFTP takes it. Windows' OpenSSH names `C:\VMs\a.ova` `/C:/VMs/a.ova` (what its realpath
 * answers); a POSIX path is already one.
 */
export function sftpPath(hostPath: string): string {
  return isWindowsPath(hostPath) ? `/${hostPath.replace(/\\/g, '/')}` : hostPath;
}

/** The other way: SFTP's `/C:/Users/…` is `C:/Users/…` to VBoxManage there; a POSIX path stays as it is. */
export function hostPath(sftpPath: string): string {
  return /^\/[A-Za-z]:/.test(sftpPath) ? sftpPath.slice(1) : sftpPath;
}

/** SFTP's status for a path that is not there. */
const NO_SUCH_FILE = 2;

/** Makes `dir` (an SFTP path) and its missing parents, looking from the deepest up: a drive's root is never touched. */
export async function sftpMakeFolder(s: Pick<SFTPWrapper, 'stat' | 'mkdir'>, dir: string): Promise<void> {
  const isFolder = () => call<{ isDirectory(): boolean }>((cb) => s.stat(dir, cb)).then((st) => st.isDirectory(), () => false);
  if (await isFolder()) return;
  const parent = dir.replace(/\/+[^/]*\/*$/, '');
  if (parent !== '' && parent !== dir) await sftpMakeFolder(s, parent);
  await call<void>((cb) => s.mkdir(dir, (err) => cb(err, undefined))).catch(async (err: unknown) => {
    if (!(await isFolder())) throw err; // made meanwhile by another copy: fine
  });
}

const sftpFs = (s: SFTPWrapper): RemoteFs => ({
  open: (file) => sftpOpen(s, sftpPath(file)),
  write: (file) => s.createWriteStream(sftpPath(file)),
  // OpenSSH's posix-rename (Windows' OpenSSH has it too) replaces the target in one step, where plain
  // SFTP rename refuses to.
  rename: (from, to) => call<void>((cb) => s.ext_openssh_rename(sftpPath(from), sftpPath(to), (err) => cb(err, undefined))),
  remove: (file) =>
    call<void>((cb) => s.unlink(sftpPath(file), (err) => cb(err, undefined))).catch((err: { code?: number }) => {
      if (err.code !== NO_SUCH_FILE) throw err;
    }),
  makeFolder: (dir) => sftpMakeFolder(s, sftpPath(dir)),
});

const localFs: RemoteFs = {
  open: async (file) => {
    const fh = await open(file, 'r');
    const size = await fh.stat().then(
      (st) => st.size,
      async (err: unknown) => {
        await fh.close();
        throw err;
      },
    );
    return { size, read: async (buf, off, len, pos) => (await fh.read(buf, off, len, pos)).bytesRead, close: () => fh.close() };
  },
  write: (file) => createWriteStream(file),
  rename: (from, to) => rename(from, to),
  remove: (file) => rm(file, { force: true }),
  makeFolder: async (dir) => void (await mkdir(dir, { recursive: true })),
};

/** Runs `work` with the host's files: SFTP for an SSH runner, the local file system otherwise. */
export async function withHostFiles<T>(runner: HostRunner, work: (fs: RemoteFs) => Promise<T>): Promise<T> {
  if ('sftp' in runner && typeof (runner as SftpCapable).sftp === 'function') return (runner as SftpCapable).sftp((s) => work(sftpFs(s)));
  return work(localFs);
}

/**
 * Removes a host's file if it is there, over SFTP (on the local host, its file system): the same on every
 * host. Given up on `opts`' cancel or timeout: after a cut link SFTP would wait for the keepalive.
 */
export async function removeHostFile(runner: HostRunner, file: string, opts: Pick<ExecOptions, 'signal' | 'timeoutMs'> = {}): Promise<void> {
  const bounds = [opts.signal, opts.timeoutMs === undefined ? undefined : AbortSignal.timeout(opts.timeoutMs)].filter((s) => s !== undefined);
  const removing = withHostFiles(runner, (fs) => fs.remove(file));
  const gaveUp = () => (opts.signal?.aborted ? new DcodError('BAD_REQUEST', `removing ${file}: cancelled`, { retryable: true }) : new DcodError('TIMEOUT', `removing ${file}: no answer from the host`, { retryable: true }));
  await untilAborted(removing, AbortSignal.any(bounds), gaveUp).catch((err: unknown) => {
    throw copyError(err, `removing ${file}`);
  });
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

/** Where a downloaded file goes: a sink for its bytes, and what makes it part of the bundle once whole. */
export interface Landing {
  readonly sink: ChunkSink;
  commit(got: { bytes: number; sha256: string }): Promise<void>;
}

/** Where a download lands when it is just a file here: written and hashed into `file`, nothing to commit. */
export function intoFile(file: string): () => Promise<Landing> {
  return async () => ({ sink: fileSink(file), commit: async () => undefined });
}

type OutputReader = HostRunner & Pick<SshRunner, 'readOutput'>;

/** Whether a host's files can be read as one streamed command: a POSIX host over SSH. */
function streams(runner: HostRunner): runner is OutputReader {
  return runner.shell === 'posix' && typeof (runner as Partial<OutputReader>).readOutput === 'function';
}

/**
 * A download as one command, `wc -c < F && exec cat < F`: its size on the first line, then its bytes. On a
 * POSIX host over SSH this is what goes fastest: SFTP's request and reply per 32 KiB cost the connection
 * (it runs in JavaScript here) about a third more CPU per byte (bench/export).
 */
async function streamedDownload(runner: OutputReader, from: string, land: (bytes: number) => Promise<Landing>, opts: CopyOptions): Promise<{ bytes: number; sha256: string }> {
  const file = quotePosixArg(from);
  let landing: Landing | undefined;
  try {
    const r = await runner.readOutput(
      `wc -c < ${file} && exec cat < ${file}`,
      async (stdout) => {
        const line = await firstLine(stdout);
        if (line === undefined) return undefined; // the file could not be read: the exit status and stderr say why
        if (!/^\s*\d+\s*$/.test(line)) throw new DcodError('FILE_ERROR', `the host gave "${line.slice(0, 80)}" for the size of ${from}, not a number`);
        landing = await land(Number(line));
        await streamCopy(stdout, Number(line), landing.sink, opts.onBytes ? { onBytes: opts.onBytes } : {});
        return true;
      },
      opts.signal ? { signal: opts.signal } : {},
    );
    if (r.code !== 0 || !r.value) throw new DcodError('FILE_ERROR', `downloading ${from}: ${r.stderr.trim() || `reading it ended with exit status ${r.code}`}`, { retryable: true });
    const got = await landing!.sink.end();
    await landing!.commit(got);
    return got;
  } catch (err) {
    await landing?.sink.abort();
    throw err;
  }
}

/**
 * Copies a host's file to wherever `land` (told its size) puts it; resolves its size and SHA-256.
 * The landing is committed only once every byte is written.
 */
export async function download(runner: HostRunner, from: string, land: (bytes: number) => Promise<Landing>, opts: CopyOptions = {}): Promise<{ bytes: number; sha256: string }> {
  if (streams(runner)) {
    return streamedDownload(runner, from, land, opts).catch((err: unknown) => {
      throw copyError(err, `downloading ${from}`);
    });
  }
  return withHostFiles(runner, async (fs) => {
    const src = await fs.open(from);
    let whole = false;
    try {
      const landing = await land(src.size);
      try {
        await pipelinedCopy(src, landing.sink, opts);
      } catch (err) {
        await landing.sink.abort();
        throw err;
      }
      const got = await landing.sink.end();
      await landing.commit(got);
      whole = true;
      return got;
    } finally {
      // Awaited only after a good copy: after a cancel or a cut link, the host may never answer the close,
      // and the failure must not wait for SSH's keepalive to give the connection up.
      const closing = src.close().catch(() => undefined);
      if (whole) await closing;
    }
  }).catch((err: unknown) => {
    throw copyError(err, `downloading ${from}`);
  });
}

/** Bytes of a local file: all of it, or (in a single-file bundle) one entry's range. */
export interface LocalBytes {
  readonly file: string;
  readonly start: number;
  readonly bytes: number;
}

const readLocal = (from: LocalBytes): Readable =>
  from.bytes === 0 ? Readable.from([]) : createReadStream(from.file, { start: from.start, end: from.start + from.bytes - 1, highWaterMark: 1 << 20 });

/**
 * Copies local bytes to a host file (as `<to>.dcod-part`, renamed over any file already there once whole),
 * in a folder it makes if need be; resolves their size and SHA-256.
 */
export async function upload(runner: HostRunner, from: LocalBytes, to: string, opts: CopyOptions = {}): Promise<{ bytes: number; sha256: string }> {
  const m = meter(opts);
  await withHostFiles(runner, async (fs) => {
    if (hostDirname(to) !== '') await fs.makeFolder(hostDirname(to));
    await pipeline(readLocal(from), m.tap, fs.write(`${to}.dcod-part`), ...(opts.signal ? [{ signal: opts.signal }] : []));
    await fs.rename(`${to}.dcod-part`, to);
  }).catch((err: unknown) => {
    throw copyError(err, `uploading ${from.file} to ${to}`);
  });
  return { bytes: m.bytes(), sha256: m.digest() };
}

function copyError(err: unknown, what: string): DcodError {
  if (err instanceof DcodError) return err;
  const e = err as NodeJS.ErrnoException;
  if (e?.name === 'AbortError') return new DcodError('BAD_REQUEST', `${what}: cancelled`, { retryable: true });
  return new DcodError('FILE_ERROR', `${what}: ${e?.message ?? String(err)}`, { retryable: true, cause: err });
}

/** SHA-256 and size of a local file (or of a range of it), streamed. */
export async function hashFile(from: string | LocalBytes, opts: CopyOptions = {}): Promise<{ bytes: number; sha256: string }> {
  const m = meter(opts);
  await pipeline(typeof from === 'string' ? createReadStream(from, { highWaterMark: 1 << 20 }) : readLocal(from), m.tap, async function* (source) {
    for await (const _ of source) yield* [];
  });
  return { bytes: m.bytes(), sha256: m.digest() };
}
