import type { Command } from 'commander';
import type { ApiClient, BundleProgress } from '../api/contract';
import { doneFraction, formatBytes as size, formatEta } from '../bundle/progress';
import { printJson, withClient } from './context';

/** `downloading vms/web1.ova  [#####-----] 1.2 GiB / 2.4 GiB  110.0 MiB/s  ETA 0:11`. */
export function progressBar(p: BundleProgress, width = 20): string {
  const filled = Math.round(doneFraction(p) * width);
  const eta = p.etaSeconds === null ? '--:--' : formatEta(p.etaSeconds);
  return `${p.phase}${p.item ? ` ${p.item}` : ''}  [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${size(p.doneBytes)} / ${size(p.totalBytes)}  ${size(p.bytesPerSecond)}/s  ETA ${eta}`;
}

/** Shows progress on stderr while `work` runs; Ctrl-C cancels the export or import instead of killing it. */
export async function withProgress<T>(client: ApiClient, quiet: boolean, work: () => Promise<T>): Promise<T> {
  const tty = process.stderr.isTTY;
  const off = quiet ? () => undefined : client.on('bundle.progress', (p) => process.stderr.write(tty ? `\r\x1b[K${progressBar(p)}` : `${progressBar(p)}\n`));
  const cancel = () => void client.call('bundle.cancel');
  process.once('SIGINT', cancel);
  try {
    return await work();
  } finally {
    process.off('SIGINT', cancel);
    off();
    if (tty && !quiet) process.stderr.write('\n');
  }
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('export the datacenter to a bundle — a folder, or one file if OUT ends in .dcod: its document without placement, an OVA per VM, its volumes, a manifest with SHA-256s (a re-run resumes)')
    .requiredOption('-f, --file <file>', 'the datacenter document (datacenter.yaml)')
    .requiredOption('-o, --out <dir|file.dcod>', 'the bundle to write: a folder, or a single file (an uncompressed tar) when it ends in .dcod')
    .option('--json', 'print the manifest as JSON')
    .action(async (opts: { file: string; out: string; json?: boolean }, cmd: Command) =>
      withClient(cmd, async (client) => {
        const m = await withProgress(client, opts.json ?? false, () => client.call('bundle.export', { file: opts.file, out: opts.out }));
        if (opts.json) printJson(m);
        else process.stdout.write(`Exported ${m.datacenter} to ${opts.out}: ${m.vms.length} VMs, ${m.volumes.length} volumes, ${size(m.files.reduce((n, f) => n + f.bytes, 0))} in ${m.files.length} files.\n`);
      }),
    );
}
