/**
 * Carrying out a plan's file copies (../plan/transfer): an OVA from the laptop to a host, or a VM's export
 * or a volume's disk from one host to another — through the laptop, since hosts need not reach each
 * other's SSH. The source is downloaded to a temporary file here, then uploaded to the destination under a
 * temporary name, renamed into place only once complete: a copy cut short never looks finished. Both
 * halves are the bundle's host file copies (../bundle/remote-files), so they hold constant memory whatever
 * the size, and work on POSIX and Windows hosts alike.
 */
import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { download, intoFile, removeHostFile, upload } from '../bundle/remote-files';
import type { HostRunner } from '../hosts/runner';
import type { Transfer } from '../plan/transfer';

export interface TransferContext {
  runnerFor(host: string): Promise<HostRunner>;
  /** Counts each request the copy makes of a host (a command or a file session), for the apply's tally. */
  onExec?(): void;
}

/** Copies `t.from` to `t.to`, then removes the source when the plan says it was a temporary export. */
export async function carryOutTransfer(t: Transfer, ctx: TransferContext): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dcod-transfer-'));
  const runner = async (host: string) => {
    ctx.onExec?.();
    return ctx.runnerFor(host);
  };
  try {
    let local = t.from.path;
    if (t.from.host) {
      local = path.join(dir, 'file');
      await download(await runner(t.from.host), t.from.path, intoFile(local));
    }
    if (t.to.host) await upload(await runner(t.to.host), { file: local, start: 0, bytes: (await stat(local)).size }, t.to.path);
    else await copyFile(local, t.to.path);
    if (t.removeSource) {
      if (t.from.host) await removeHostFile(await runner(t.from.host), t.from.path);
      else await rm(t.from.path, { force: true });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
