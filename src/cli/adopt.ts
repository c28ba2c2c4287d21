import type { Command } from 'commander';
import { printJson, withClient } from './context';

export function registerAdopt(program: Command): void {
  program
    .command('adopt')
    .description('make an existing (powered-off) VM on a host part of the document, as it is')
    .requiredOption('-f, --file <file>', 'the datacenter document (datacenter.yaml), saved with the VM added')
    .requiredOption('--host <host>', 'the inventory host the VM is on')
    .requiredOption('--vm <name>', "the VM's name in VirtualBox")
    .option('--json', 'print the result as JSON')
    .action(async (opts: { file: string; host: string; vm: string; json?: boolean }, cmd: Command) =>
      withClient(cmd, async (client) => {
        const result = await client.call('doc.adopt', { file: opts.file, host: opts.host, vm: opts.vm });
        if (opts.json) return printJson(result);
        process.stdout.write(`adopted VM ${result.vm.name} on ${result.host}: ${result.vm.cpus} CPU, ${result.vm.memoryMb} MB, ${result.vm.nics.length} NICs (document version ${result.version.slice(0, 12)})\n`);
        for (const n of result.notes) process.stdout.write(`note: ${n}\n`);
      }),
    );
}
