/**
 * The apply engine: it carries out a plan and nothing else. Level by level (the plan's DAG), each target's
 * operations of that level run as one script in one exec, every target in parallel. Each operation is
 * reported as it starts and ends through hooks (the engine knows nothing of a UI) and recorded in the
 * journal. A failure stops only what depends on it; the result says what was done, what failed with the
 * host's own error text, and what was skipped and why — also when the apply fails part-way.
 */
import { DcodError, toDcodError, type ErrorInfo } from '../errors';
import { defaultVBoxManage } from '../hosts/observe';
import type { HostRunner } from '../hosts/runner';
import type { Operation, Plan } from '../plan/plan';
import { isTransfer, type TransferOperation } from '../plan/transfer';
import { quoteArgv } from '../shell/argv';
import { parseVBoxManageStderr } from '../vbox/error';
import { batchLevels, describeTarget, hostCommands, laneOf, type Batch } from './batching';
import type { JournalRecord, JournalWriter } from './journal';
import { applyCommand, createBatchReader, type BatchEvent } from './script';
import { carryOutTransfer } from './transfer';

export type OperationOutcome =
  | {
      readonly id: string;
      readonly state: 'done';
      readonly output: string;
      readonly startedAt?: string;
      readonly finishedAt: string;
      /** Done by an earlier, interrupted apply of the same plan (the journal says so); not run again. */
      readonly resumed?: boolean;
    }
  | {
      readonly id: string;
      readonly state: 'failed';
      readonly error: ErrorInfo;
      readonly output: string;
      /** The failing command as it ran (argv), when one did. */
      readonly command?: readonly string[];
      readonly startedAt?: string;
      readonly finishedAt: string;
    }
  | { readonly id: string; readonly state: 'skipped'; readonly reason: string };

export interface ApplyResult {
  readonly planId: string;
  readonly datacenter: string;
  readonly ok: boolean;
  /** One per operation, in plan order. */
  readonly outcomes: readonly OperationOutcome[];
  readonly counts: { readonly done: number; readonly failed: number; readonly skipped: number };
  /** SSH execs (or local shells) this apply used. */
  readonly execs: number;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** Problems beside the operations' own (the journal could not be written…). */
  readonly warnings: readonly string[];
}

/** Terraform-style hooks: called as operations start and end, in the order the hosts report them. */
export interface ApplyHooks {
  preOperation?(op: Operation): void;
  postOperation?(op: Operation, outcome: OperationOutcome): void;
}

export interface ApplyOptions {
  readonly planId: string;
  readonly docVersion: string;
  /** The runner of an inventory host; a rejection fails that host's operations with its error. */
  runnerFor(host: string): Promise<HostRunner>;
  /** The runner inside a host's proxy VM (the overlay provides it); without it proxy operations fail. */
  runnerForProxy?(host: string): Promise<HostRunner>;
  /** The host's VBoxManage when the inventory names one. */
  vboxmanageFor?(host: string): string | undefined;
  readonly hooks?: ApplyHooks;
  readonly journal?: JournalWriter;
  /** Operations an earlier apply of this same plan finished: reported done, not run again. */
  readonly alreadyDone?: ReadonlySet<string>;
  /** Per batch exec. */
  readonly timeoutMs?: number;
  /** How long a batch may print nothing before its current command is given up as hung (TIMEOUT); the runner's default otherwise. */
  readonly idleTimeoutMs?: number;
  readonly now?: () => Date;
}

const DEFAULT_TIMEOUT_MS = 30 * 60_000;

/** How a command reads in a report: quoted as a POSIX shell would take it. */
export function commandText(argv: readonly string[]): string {
  return quoteArgv('posix', argv);
}

/** The error of a failed operation from its output: VBoxManage's own message when it printed one. */
export function operationError(op: Operation, rc: number, output: string, argv: readonly string[] | undefined, where: string): DcodError {
  const context = [where, op.summary, ...(argv ? [`running ${commandText(argv)}`] : [])];
  const parsed = parseVBoxManageStderr(output).error;
  if (parsed) return new DcodError(parsed.code, `${parsed.message}${parsed.resultCode ? ` (${parsed.resultCode})` : ''}`, { retryable: parsed.retryable, context });
  const tail = output.trim().split('\n').slice(-5).join('\n');
  return new DcodError('COMMAND_FAILED', `exit status ${rc}${tail ? `: ${tail}` : ' and no output'}`, { context });
}

export async function applyPlan(plan: Plan, opts: ApplyOptions): Promise<ApplyResult> {
  const now = opts.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const outcomes = new Map<string, OperationOutcome>();
  const warnings: string[] = [];
  const journalWrites: Promise<void>[] = [];
  let execs = 0;

  /**
   * Records a step, then tells the hooks: a UI never shows an operation done that the journal could
   * still lose (a resume would run it again). Records are written in order, so hooks fire in order too.
   */
  let tail: Promise<void> = Promise.resolve();
  const journal = (record: JournalRecord, then?: () => void) => {
    const written = opts.journal?.append(record).catch((err: unknown) => void warnings.push(`the journal could not be written: ${toDcodError(err).message}`));
    tail = Promise.all([tail, written]).then(then);
    journalWrites.push(tail);
  };
  const opRecord = (op: Operation, state: 'started' | 'done' | 'failed', error?: ErrorInfo): JournalRecord => ({
    type: 'op',
    planId: opts.planId,
    op: op.id,
    state,
    time: now().toISOString(),
    docVersion: opts.docVersion,
    resource: `${op.resource.kind}/${op.resource.name}`,
    action: op.action,
    ...(error ? { error } : {}),
  });
  const settle = (op: Operation, outcome: OperationOutcome) => {
    outcomes.set(op.id, outcome);
    const tell = () => opts.hooks?.postOperation?.(op, outcome);
    if (outcome.state !== 'skipped' && !(outcome.state === 'done' && outcome.resumed)) journal(opRecord(op, outcome.state, outcome.state === 'failed' ? outcome.error : undefined), tell);
    else tail = tail.then(tell);
  };

  const runBatch = async (batch: Batch): Promise<void> => {
    const where = describeTarget(batch.target);
    const byId = new Map(batch.operations.map((op) => [op.id, op]));
    const started = new Map<string, string>();
    const fail = (op: Operation, error: DcodError, output = '', command?: readonly string[]) =>
      settle(op, {
        id: op.id,
        state: 'failed',
        error: error.toInfo(),
        output,
        ...(command ? { command } : {}),
        ...(started.has(op.id) ? { startedAt: started.get(op.id)! } : {}),
        finishedAt: now().toISOString(),
      });

    let runner: HostRunner;
    try {
      if (batch.target.kind === 'host') runner = await opts.runnerFor(batch.target.host);
      else if (opts.runnerForProxy) runner = await opts.runnerForProxy(batch.target.host);
      else throw new DcodError('BAD_REQUEST', 'this apply has no way into proxy VMs (the overlay is not set up)');
    } catch (err) {
      const e = toDcodError(err);
      for (const op of batch.operations) fail(op, new DcodError(e.code, e.message, { retryable: e.retryable, context: [where, op.summary, ...e.context] }));
      return;
    }

    const vboxmanage = batch.target.kind === 'host' ? (opts.vboxmanageFor?.(batch.target.host) ?? defaultVBoxManage(runner.shell)) : undefined;
    const prepared = batch.operations.map((op) => ({ op, commands: vboxmanage === undefined ? op.commands : hostCommands(op.commands, vboxmanage) }));
    const commandsOf = new Map(prepared.map((p) => [p.op.id, p.commands]));
    const reader = createBatchReader();
    const onEvent = (ev: BatchEvent) => {
      const op = byId.get(ev.id);
      if (!op || outcomes.has(op.id)) return; // a marker the script did not print for this batch
      if (ev.kind === 'started') {
        started.set(op.id, now().toISOString());
        journal(opRecord(op, 'started'), () => opts.hooks?.preOperation?.(op));
        return;
      }
      const argv = ev.command === undefined ? undefined : commandsOf.get(op.id)?.[ev.command];
      if (ev.rc === 0) settle(op, { id: op.id, state: 'done', output: ev.output, ...(started.has(op.id) ? { startedAt: started.get(op.id)! } : {}), finishedAt: now().toISOString() });
      else fail(op, operationError(op, ev.rc, ev.output, argv, where), ev.output, argv);
    };

    const { commandLine, stdin } = applyCommand(runner.shell, prepared.map((p) => ({ id: p.op.id, commands: p.commands, lane: laneOf(p.op) })));
    let ended: DcodError | undefined;
    try {
      execs++;
      const res = await runner.exec(commandLine, {
        ...(stdin === undefined ? {} : { stdin }),
        timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        ...(opts.idleTimeoutMs ? { idleTimeoutMs: opts.idleTimeoutMs } : {}),
        onStderr: (chunk) => reader.push(chunk).forEach(onEvent),
      });
      if (res.code !== 0) {
        // What the shell itself said last (a syntax error, a kill), after the last marker it printed.
        const detail = (res.stderr.split('\x1e').at(-1) ?? '').trim().split('\n').slice(-3).join('\n');
        ended = res.code === null
          ? new DcodError('HOST_UNREACHABLE', `the connection to ${where} was lost before this operation finished; it may or may not have taken effect, and the next plan reads the host again`)
          : new DcodError('COMMAND_FAILED', `the apply script on ${where} stopped (exit ${res.code}) before this operation finished${detail ? `: ${detail}` : ''}`);
      }
    } catch (err) {
      ended = toDcodError(err);
    }
    const unfinished = new Map(reader.unfinished.map((u) => [u.id, u]));
    for (const op of batch.operations) {
      if (outcomes.has(op.id)) continue;
      const e = ended ?? new DcodError('INTERNAL', `the apply script on ${where} ended without reporting this operation`);
      const partly = unfinished.get(op.id);
      const message = partly && e.code !== 'HOST_UNREACHABLE' ? `${e.message} (it had started: it may have taken effect in part)` : e.message;
      fail(op, new DcodError(e.code, message, { retryable: e.retryable, context: [where, op.summary] }), partly?.output ?? '');
    }
  };

  /** A file copy: no script of its own, the engine moves the bytes (./transfer). */
  const runTransfer = async (op: TransferOperation): Promise<void> => {
    const startedAt = now().toISOString();
    journal(opRecord(op, 'started'), () => opts.hooks?.preOperation?.(op));
    try {
      await carryOutTransfer(op.transfer, { runnerFor: opts.runnerFor, onExec: () => void execs++ });
      settle(op, { id: op.id, state: 'done', output: '', startedAt, finishedAt: now().toISOString() });
    } catch (err) {
      const e = toDcodError(err);
      const error = new DcodError(e.code, e.message, { retryable: e.retryable, context: [describeTarget(op.target), op.summary, ...e.context] });
      settle(op, { id: op.id, state: 'failed', error: error.toInfo(), output: '', startedAt, finishedAt: now().toISOString() });
    }
  };

  journal({ type: 'begin', planId: opts.planId, datacenter: plan.datacenter, docVersion: opts.docVersion, time: startedAt, operations: plan.operations.length });
  const byId = new Map(plan.operations.map((op) => [op.id, op]));
  for (const level of batchLevels(plan)) {
    const runnable: Batch[] = [];
    const transfers: TransferOperation[] = [];
    for (const batch of level) {
      const ops: Operation[] = [];
      for (const op of batch.operations) {
        const blocker = op.dependsOn.map((d) => outcomes.get(d)).find((o) => o !== undefined && o.state !== 'done');
        if (blocker) {
          const what = blocker.state === 'failed' ? 'failed' : 'was skipped';
          settle(op, { id: op.id, state: 'skipped', reason: `it depends on ${byId.get(blocker.id)?.summary ?? blocker.id}, which ${what}` });
        } else if (op.action === 'noop') {
          settle(op, { id: op.id, state: 'done', output: '', finishedAt: now().toISOString() });
        } else if (opts.alreadyDone?.has(op.id)) {
          settle(op, { id: op.id, state: 'done', output: '', finishedAt: now().toISOString(), resumed: true });
        } else if (isTransfer(op)) {
          transfers.push(op);
        } else {
          ops.push(op);
        }
      }
      if (ops.length) runnable.push({ ...batch, operations: ops });
    }
    await Promise.all([...runnable.map(runBatch), ...transfers.map(runTransfer)]);
  }

  const ordered = plan.operations.map((op) => outcomes.get(op.id)!);
  const count = (s: OperationOutcome['state']) => ordered.filter((o) => o.state === s).length;
  const counts = { done: count('done'), failed: count('failed'), skipped: count('skipped') };
  const finishedAt = now().toISOString();
  journal({ type: 'end', planId: opts.planId, docVersion: opts.docVersion, time: finishedAt, ...counts });
  await Promise.all([...journalWrites, tail]);
  return {
    planId: opts.planId,
    datacenter: plan.datacenter,
    ok: counts.failed === 0 && counts.skipped === 0 && warnings.length === 0,
    outcomes: ordered,
    counts,
    execs,
    startedAt,
    finishedAt,
    warnings,
  };
}

