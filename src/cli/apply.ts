import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import type { ApplyProgress, PlanView } from '../apply/apply-service';
import { commandText, type ApplyResult } from '../apply/engine';
import type { ApiClient } from '../api/contract';
import { DcodError } from '../errors';
import { isEmpty } from '../plan/plan';
import { printJson, withClient } from './context';
import { renderPlan } from './plan';

/** One line per event, with the host first: hosts run in parallel, so their lines interleave. */
export function progressLine(p: ApplyProgress): string {
  const where = p.target.kind === 'host' ? p.target.host : `${p.target.host}/proxy`;
  switch (p.state) {
    case 'started':
      return `${where}: ${p.summary}…`;
    case 'done':
      return `${where}: ${p.summary}: done${p.resumed ? ' (by the interrupted apply)' : ''}`;
    case 'failed':
      return `${where}: ${p.summary}: FAILED: ${p.error?.message ?? 'no reason given'} [${p.error?.code ?? '?'}]`;
    case 'skipped':
      return `${where}: ${p.summary}: skipped: ${p.reason ?? ''}`;
  }
}

/** The end of an apply: the tally, then each failure with the host's own message and the failing command. */
export function renderResult(result: ApplyResult): string {
  const { done, failed, skipped } = result.counts;
  const secs = ((Date.parse(result.finishedAt) - Date.parse(result.startedAt)) / 1000).toFixed(1);
  const out = [`${result.ok ? 'Apply complete' : 'Apply FAILED'}: ${done} done, ${failed} failed, ${skipped} skipped (${result.execs} execs, ${secs} s).`];
  for (const o of result.outcomes) {
    if (o.state !== 'failed') continue;
    out.push(`  ${o.id}: ${[...o.error.context, o.error.message].join(': ')} [${o.error.code}${o.error.retryable ? ', retryable' : ''}]`);
    if (o.command) out.push(`    $ ${commandText(o.command)}`);
  }
  for (const w of result.warnings) out.push(`warning: ${w}`);
  return `${out.join('\n')}\n`;
}

/** Asks on the terminal; only `yes` goes ahead, as with Terraform. */
async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) throw new DcodError('BAD_REQUEST', 'no terminal to ask for confirmation on: review the plan with `dcod plan`, then pass --yes');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(`${question} Only 'yes' will be accepted: `)).trim() === 'yes';
  } finally {
    rl.close();
  }
}

export interface ApplyFlags {
  readonly yes?: boolean;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

/** Shows a plan, asks (unless --yes), applies it with live progress; a failed operation throws (exit 1). */
export async function reviewAndApply(client: ApiClient, view: PlanView, flags: ApplyFlags): Promise<void> {
  if (!flags.json) process.stdout.write(renderPlan(view, flags));
  if (isEmpty(view.plan)) {
    // The hosts match, so an apply cut off after its work was done (commands run on after a killed CLI)
    // is finished: applying the empty plan records that in the journal.
    if (view.interrupted) await client.call('apply.run', { file: view.file, planId: view.planId });
    if (flags.json) printJson({ plan: view, result: null });
    return;
  }
  if (!flags.yes && !(await confirm(`\n${view.destroy ? 'Destroy' : 'Apply'} these changes?`))) {
    throw new DcodError('BAD_REQUEST', 'not confirmed: nothing was changed');
  }
  await runApply(client, view.file, view.planId, flags);
}

async function runApply(client: ApiClient, file: string, planId: string, flags: ApplyFlags): Promise<void> {
  const off = flags.json ? () => undefined : client.on('apply.progress', (p) => process.stderr.write(`${progressLine(p)}\n`));
  try {
    const result = await client.call('apply.run', { file, planId });
    if (flags.json) printJson(result);
    else process.stdout.write(renderResult(result));
    if (!result.ok) {
      const failed = result.outcomes.find((o) => o.state === 'failed');
      const code = failed?.state === 'failed' ? failed.error.code : 'COMMAND_FAILED';
      throw new DcodError(code, `the apply did not finish: ${result.counts.failed} failed, ${result.counts.skipped} skipped; what was done stays done, and the next plan reads the hosts again`);
    }
  } finally {
    off();
  }
}

export function registerApply(program: Command): void {
  program
    .command('apply')
    .description('plan the document against the hosts, show the plan, and carry it out')
    .requiredOption('-f, --file <file>', 'the datacenter document (datacenter.yaml)')
    .option('--yes', "don't ask: apply the plan as made")
    .option('--resume', 'finish the last apply of this document that was interrupted, skipping what it did')
    .option('--verbose', 'show the exact commands of each operation')
    .option('--json', 'print the result as JSON (progress is not printed)')
    .action(async (opts: ApplyFlags & { file: string; resume?: boolean }, cmd: Command) =>
      withClient(cmd, async (client) => {
        const view = await client.call('plan.make', { file: opts.file });
        if (!opts.resume) return reviewAndApply(client, view, opts);
        if (!view.interrupted) throw new DcodError('NOT_FOUND', `no interrupted apply of ${view.file} to resume: run \`dcod apply\``);
        if (!opts.json) process.stderr.write(`resuming plan ${view.interrupted.planId.slice(0, 12)} (${view.interrupted.done} of ${view.interrupted.operations} operations done)\n`);
        await runApply(client, view.file, view.interrupted.planId, opts);
      }),
    );
}
