import type { Command } from 'commander';
import type { SnapshotSummary } from '../snapshot/snapshot-service';
import { reviewAndApply, type ApplyFlags } from './apply';
import { printJson, table, withClient } from './context';

const vmList = (s: SnapshotSummary) => s.vms.map((v) => `${v.vm}@${v.host}${v.running ? '' : ' (off)'}`).join(', ') || '(no VMs on hosts yet)';

export function snapshotTable(list: readonly SnapshotSummary[]): string {
  if (list.length === 0) return 'no snapshots\n';
  return table([['NAME', 'TAKEN', 'DOCUMENT', 'VMS'], ...list.map((s) => [s.name, s.takenAt.replace('T', ' ').slice(0, 19), s.docVersion.slice(0, 12), vmList(s)])]);
}

export function registerSnapshot(program: Command): void {
  const snap = program.command('snapshot').description('datacenter snapshots: every VM and the document, under one name');
  const fileOpt = (c: Command) => c.requiredOption('-f, --file <file>', 'the datacenter document (datacenter.yaml)').option('--json', 'print the result as JSON');

  fileOpt(snap.command('take').description('snapshot every VM (live where running) with the document version, all or nothing').argument('[name]', 'the snapshot name (default: snap-<time>)')).action(
    async (name: string | undefined, opts: { file: string; json?: boolean }, cmd: Command) =>
      withClient(cmd, async (client) => {
        const s = await client.call('snapshot.take', { file: opts.file, ...(name ? { name } : {}) });
        if (opts.json) printJson(s);
        else process.stdout.write(`Snapshot ${s.name} of ${s.datacenter} taken: ${vmList(s)}\n`);
      }),
  );

  fileOpt(snap.command('list').description("the datacenter's snapshots, oldest first")).action(async (opts: { file: string; json?: boolean }, cmd: Command) =>
    withClient(cmd, async (client) => {
      const list = await client.call('snapshot.list', { file: opts.file });
      if (opts.json) printJson(list);
      else process.stdout.write(snapshotTable(list));
    }),
  );

  fileOpt(snap.command('restore').description('put every VM and the document back to a snapshot, then apply the document so the overlay follows').argument('<name>'))
    .option('--yes', "don't ask before applying the restored document")
    .option('--verbose', 'show the exact commands of each operation')
    .action(async (name: string, opts: ApplyFlags & { file: string }, cmd: Command) =>
      withClient(cmd, async (client) => {
        const r = await client.call('snapshot.restore', { file: opts.file, name });
        if (!opts.json) {
          process.stdout.write(`Restored ${r.vms.length} VM${r.vms.length === 1 ? '' : 's'} and ${r.file} to snapshot ${r.snapshot.name}.\n`);
          if (r.recreate.length) process.stdout.write(`Deleted since the snapshot, so recreated from the document without their disks' contents: ${r.recreate.join(', ')}\n`);
        }
        await reviewAndApply(client, await client.call('plan.make', { file: r.file }), opts);
      }),
    );

  fileOpt(snap.command('delete').description("delete a snapshot from every VM, and its record").argument('<name>')).action(async (name: string, opts: { file: string; json?: boolean }, cmd: Command) =>
    withClient(cmd, async (client) => {
      const outcomes = await client.call('snapshot.delete', { file: opts.file, name });
      if (opts.json) printJson(outcomes);
      else process.stdout.write(`Snapshot ${name} deleted from ${outcomes.length} VM${outcomes.length === 1 ? '' : 's'}.\n`);
    }),
  );
}
