import type { Command } from 'commander';
import { DcodError } from '../errors';
import { formatLocated } from '../model/document-file';
import { printJson, withClient } from './context';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check a datacenter document without touching any host: every problem with its line, path and fix')
    .requiredOption('-f, --file <file>', 'the datacenter document (datacenter.yaml)')
    .option('--json', 'print the diagnostics as JSON')
    .action(async (opts: { file: string; json?: boolean }, cmd: Command) =>
      withClient(cmd, async (client) => {
        const report = await client.call('doc.validate', { file: opts.file });
        if (opts.json) printJson(report);
        else if (report.diagnostics.length) process.stderr.write(`${formatLocated(report.file, report.diagnostics)}\n`);
        const errors = report.diagnostics.filter((d) => d.severity === 'error').length;
        if (!report.valid) throw new DcodError('INVALID_DOCUMENT', `${report.file} has ${errors} error${errors === 1 ? '' : 's'}`);
        if (!opts.json) process.stdout.write(`${report.file}: valid (datacenter ${report.datacenter}, version ${report.version?.slice(0, 12)})\n`);
      }),
    );
}
