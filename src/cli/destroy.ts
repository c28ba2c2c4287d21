import type { Command } from 'commander';
import { reviewAndApply, type ApplyFlags } from './apply';
import { withClient } from './context';

export function registerDestroy(program: Command): void {
  program
    .command('destroy')
    .description('delete everything the document owns on the hosts (VMs, volumes, networks); the document itself stays')
    .requiredOption('-f, --file <file>', 'the datacenter document (datacenter.yaml)')
    .option('--yes', "don't ask")
    .option('--verbose', 'show the exact commands of each operation')
    .option('--json', 'print the result as JSON')
    .action(async (opts: ApplyFlags & { file: string }, cmd: Command) =>
      withClient(cmd, async (client) => reviewAndApply(client, await client.call('plan.make', { file: opts.file, destroy: true }), opts)),
    );
}
