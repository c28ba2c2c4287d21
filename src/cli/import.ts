import type { Command } from 'commander';
import type { ImportPlan } from '../api/contract';
import { reviewAndApply, type ApplyFlags } from './apply';
import { printJson, table, withClient } from './context';
import { withProgress } from './export';

export function renderImportPlan(p: ImportPlan): string {
  const rows = Object.entries(p.placement).sort(([a], [b]) => a.localeCompare(b)).map(([vm, host]) => [vm, host]);
  const remaps = p.remapped.map((r) => `VNI ${r.from} of switch ${r.switch} is in use on these hosts: it becomes ${r.to}\n`).join('');
  return `Import of ${p.datacenter} from ${p.bundle} (checksums verified):\n${table([['VM', 'HOST'], ...rows])}${remaps}`;
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description("import a bundle onto the inventory's hosts: verify it, place its VMs, import them, then apply the document it writes")
    .argument('<bundle>', 'a bundle folder or .dcod file made by `dcod export`')
    .requiredOption('-f, --file <file>', 'where to write the imported datacenter document')
    .option('--dry-run', 'verify the bundle and show the placement; change nothing')
    .option('--yes', "don't ask before applying")
    .option('--verbose', 'show the exact commands of each operation')
    .option('--json', 'print the import plan as JSON')
    .action(async (bundle: string, opts: ApplyFlags & { file: string; dryRun?: boolean }, cmd: Command) =>
      withClient(cmd, async (client) => {
        const quiet = opts.json ?? false;
        if (opts.dryRun) {
          const plan = await withProgress(client, quiet, () => client.call('bundle.planImport', { bundle }));
          if (opts.json) printJson(plan);
          else process.stdout.write(renderImportPlan(plan));
          return;
        }
        const plan = await withProgress(client, quiet, () => client.call('bundle.import', { bundle, file: opts.file }));
        if (!opts.json) process.stdout.write(`${renderImportPlan(plan)}VMs imported; the document is ${opts.file}.\n`);
        await reviewAndApply(client, await client.call('plan.make', { file: opts.file }), opts);
      }),
    );
}
