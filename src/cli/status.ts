import type { Command } from 'commander';
import type { StatusReport } from '../apply/apply-service';
import { printJson, table, withClient } from './context';

export function renderStatus(report: StatusReport): string {
  const hosts = report.hosts.filter((h) => !h.reachable).map((h) => `warning: host ${h.host} could not be read: ${h.error?.message ?? 'no answer'}\n`);
  const rows = report.resources.map((r) => {
    const details = r.state === 'failed' ? [`last apply: ${r.error?.message ?? 'failed'}`, ...r.details] : r.details;
    return [`${r.kind} ${r.name}`, r.state, r.hosts.join(',') || '-', details.join('; ') || '-'];
  });
  const interrupted = report.interrupted ? [`note: the last apply (plan ${report.interrupted.planId.slice(0, 12)}) did not finish: ${report.interrupted.done} of ${report.interrupted.operations} operations done\n`] : [];
  return hosts.join('') + interrupted.join('') + table([['RESOURCE', 'STATE', 'HOSTS', 'DETAILS'], ...rows]);
}

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('where each resource of the document stands on the hosts: in sync, drift, missing, failed last apply, extra')
    .requiredOption('-f, --file <file>', 'the datacenter document (datacenter.yaml)')
    .option('--json', 'print the status as JSON')
    .action(async (opts: { file: string; json?: boolean }, cmd: Command) =>
      withClient(cmd, async (client) => {
        const report = await client.call('status.get', { file: opts.file });
        if (opts.json) return printJson(report);
        process.stdout.write(renderStatus(report));
      }),
    );
}
