/**
 * Carrying out a plan's file copies (../plan/transfer): an OVA from the laptop to a host, or a VM's export
 * or a volume's disk from one host to another — through the laptop, since hosts need not reach each
 * other's SSH. The source is streamed to a temporary file here, then written to the destination in
 * chunks (so memory stays bounded whatever the size) under a temporary name, renamed into place only
 * once complete: a copy cut short never looks finished.
 *
 * POSIX hosts only for now: it relies on `cat`, `mkdir -p` and `mv`.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DcodError } from '../errors';
import type { HostRunner, StreamingRunner } from '../hosts/runner';
import type { Transfer, TransferEnd } from '../plan/transfer';
import { quotePosix, quotePosixArg } from '../shell/quote';

/** Bytes written per exec on the destination. */
export const CHUNK_BYTES = 16 << 20;

export interface TransferContext {
  runnerFor(host: string): Promise<HostRunner>;
  /** Counts each exec the copy makes, for the apply's tally. */
  onExec?(): void;
  /** Bytes per exec on the destination (CHUNK_BYTES). */
  readonly chunkBytes?: number;
}

const where = (end: TransferEnd) => (end.host ? `${end.path} on ${end.host}` : `${end.path} on this machine`);

async function posixRunner(ctx: TransferContext, host: string): Promise<HostRunner> {
  const runner = await ctx.runnerFor(host);
  if (runner.shell !== 'posix') throw new DcodError('BAD_REQUEST', `copying files to or from ${host} is not supported yet: it is not a POSIX host`);
  return runner;
}

function streaming(runner: HostRunner, host: string): StreamingRunner {
  if (!('execStream' in runner)) throw new DcodError('INTERNAL', `the runner of ${host} can't stream a file`);
  return runner as StreamingRunner;
}

/** Streams a host's file into a local file. */
async function download(ctx: TransferContext, from: Required<TransferEnd>, into: string): Promise<void> {
  const runner = streaming(await posixRunner(ctx, from.host), from.host);
  const out = createWriteStream(into);
  let stderr = '';
  ctx.onExec?.();
  const stream = runner.execStream(quotePosix(['cat', '--', from.path]), {
    onStdout: (chunk) => out.write(chunk),
    onStderr: (text) => (stderr += text),
  });
  const closed = new Promise<void>((resolve, reject) => out.on('finish', resolve).on('error', reject));
  let code: number | null;
  try {
    ({ code } = await stream.done);
  } finally {
    out.end();
    await closed;
  }
  if (code !== 0) throw new DcodError(code === null ? 'HOST_UNREACHABLE' : 'FILE_ERROR', `can't read ${where(from)}: ${stderr.trim() || `exit ${code}`}`);
}

/** Writes a local file to a host, chunk by chunk, under a temporary name renamed at the end. */
async function upload(ctx: TransferContext, file: string, to: Required<TransferEnd>): Promise<void> {
  const runner = await posixRunner(ctx, to.host);
  const tmp = `${to.path}.dcod-part`;
  const run = async (commandLine: string, stdin?: Uint8Array) => {
    ctx.onExec?.();
    const res = await runner.exec(commandLine, stdin === undefined ? {} : { stdin });
    if (res.code !== 0) throw new DcodError('FILE_ERROR', `can't write ${where(to)}: ${res.stderr.trim() || `exit ${res.code}`}`);
  };
  await run(`mkdir -p -- ${quotePosixArg(path.posix.dirname(to.path))} && : > ${quotePosixArg(tmp)}`);
  for await (const chunk of createReadStream(file, { highWaterMark: ctx.chunkBytes ?? CHUNK_BYTES })) {
    await run(`cat >> ${quotePosixArg(tmp)}`, chunk as Buffer);
  }
  await run(quotePosix(['mv', '-f', '--', tmp, to.path]));
}

/** Copies `t.from` to `t.to`, then removes the source when the plan says it was a temporary export. */
export async function carryOutTransfer(t: Transfer, ctx: TransferContext): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dcod-transfer-'));
  try {
    let local = t.from.path;
    if (t.from.host) {
      local = path.join(dir, 'file');
      await download(ctx, { host: t.from.host, path: t.from.path }, local);
    }
    if (t.to.host) await upload(ctx, local, { host: t.to.host, path: t.to.path });
    else await copyFile(local, t.to.path);
    if (t.removeSource) {
      if (t.from.host) {
        ctx.onExec?.();
        await (await posixRunner(ctx, t.from.host)).run(['rm', '-f', '--', t.from.path]);
      } else {
        await rm(t.from.path, { force: true });
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
