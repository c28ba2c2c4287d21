import type { Command } from 'commander';
import type { PlanView } from '../apply/apply-service';
import { describeHolder } from '../apply/apply-lock';
import { commandText } from '../apply/engine';
import { formatLocated } from '../model/document-file';
import type { Action } from '../plan/plan';
import { isEmpty } from '../plan/plan';
import { printJson, withClient } from './context';

/** Terraform's marks, plus `>`/`.` for power, which Terraform has no word for. */
const MARK: Record<Action, string> = { create: '+', update: '~', delete: '-', replace: '-/+', start: '>', stop: '.', noop: ' ' };

/** What `plan`, `apply` and `destroy` show before anything runs: one line per operation, then a tally. */
export function renderPlan(view: PlanView, opts: { verbose?: boolean } = {}): string {
  const out: string[] = [];
  for (const h of view.hosts) if (!h.reachable) out.push(`warning: host ${h.host} could not be read: ${h.error?.message ?? 'no answer'}`);
  for (const d of view.plan.diagnostics) out.push(`${d.severity}: ${d.path}: ${d.message}${d.fix ? ` (fix: ${d.fix})` : ''}`);
  if (view.warnings.length) out.push(formatLocated(view.file, view.warnings));
  if (view.interrupted) {
    const i = view.interrupted;
    out.push(`note: an apply of this document (plan ${i.planId.slice(0, 12)}, ${i.done} of ${i.operations} operations done) did not finish; \`dcod apply --resume\` runs the rest of it, while this plan reads the hosts again`);
  }
  if (view.applying) out.push(`note: ${describeHolder(view.applying)} is applying this datacenter right now; this plan reads the hosts as they are mid-way, and will change when that apply ends`);
  const ops = view.plan.operations.filter((op) => op.action !== 'noop');
  if (isEmpty(view.plan)) {
    out.push(`No changes: the hosts match ${view.file}${view.destroy ? ' (nothing of it is left to destroy)' : ''}.`);
    return `${out.join('\n')}\n`;
  }
  const width = Math.max(...ops.map((op) => MARK[op.action].length));
  out.push(`DCoD will ${view.destroy ? 'destroy everything of' : 'apply'} datacenter ${view.plan.datacenter} (${view.file}, version ${view.docVersion.slice(0, 12)}):`, '');
  for (const op of ops) {
    out.push(`  ${MARK[op.action].padStart(width)} ${op.summary}${op.reason ? `  — ${op.reason}` : ''}`);
    if (opts.verbose) for (const argv of op.commands) out.push(`  ${' '.repeat(width)}     $ ${commandText(argv)}`);
  }
  const tally = (actions: Action[], word: string) => {
    const n = ops.filter((op) => actions.includes(op.action)).length;
    return n ? [`${n} to ${word}`] : [];
  };
  out.push(
    '',
    `Plan ${view.planId.slice(0, 12)}: ${[...tally(['create'], 'create'), ...tally(['update'], 'update'), ...tally(['replace'], 'replace'), ...tally(['delete'], 'delete'), ...tally(['start'], 'start'), ...tally(['stop'], 'stop')].join(', ')}.`,
  );
  return `${out.join('\n')}\n`;
}

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description('read every host, compare it with the document, and show what apply would do (nothing is changed)')
    .requiredOption('-f, --file <file>', 'the datacenter document (datacenter.yaml)')
    .option('--destroy', 'plan deleting everything the document owns')
    .option('--verbose', 'show the exact commands of each operation')
    .option('--json', 'print the plan as JSON')
    .action(async (opts: { file: string; destroy?: boolean; verbose?: boolean; json?: boolean }, cmd: Command) =>
      withClient(cmd, async (client) => {
        const view = await client.call('plan.make', { file: opts.file, ...(opts.destroy ? { destroy: true } : {}) });
        if (opts.json) return printJson(view);
        process.stdout.write(renderPlan(view, opts));
      }),
    );
}
