/**
 * The overlay's watchdog: every `intervalMs` it reads the hosts and their proxies and, for each datacenter
 * this core applied, plans again from the document as it was applied. When that plan has proxy operations
 * (a proxy VM stopped, crashed or missing, a proxy that rebooted or whose configuration drifted) it carries
 * out those operations only — never the VMs' — and says so in the activity log. Without it a crashed proxy
 * would stay down until the next apply.
 *
 * It plans from the applied document, not the file: an edit saved but not yet applied is the user's to
 * review, and must not reach the hosts through the back door. A destroy ends the watch.
 */
import type { ObservedHost } from '../hosts/observed';
import type { Datacenter } from '../model/document';
import { loadDocumentFile } from '../model/document-file';
import type { Plan } from '../plan/plan';
import { toDcodError } from '../errors';

/** How often `dcod serve` and the app look, unless told otherwise. */
export const DEFAULT_WATCHDOG_MS = 30_000;

type Level = 'info' | 'warn' | 'error';

/** The part of an applied plan the watchdog needs: which document, which version, and whether it emptied it. */
export interface AppliedPlan {
  readonly file: string;
  readonly docVersion: string;
  readonly destroy: boolean;
}

export interface WatchdogDeps {
  readonly intervalMs: number;
  /** Reads every host and its proxies (the core's refresh). */
  refresh(): Promise<readonly ObservedHost[]>;
  /** The core's planner: the overlay's operations are a part of its plan. */
  plan(desired: Datacenter, observed: readonly ObservedHost[]): Plan;
  /** Carries out a plan's operations (the apply engine, without the apply journal). */
  execute(plan: Plan): Promise<{ readonly ok: boolean; readonly counts: { readonly done: number; readonly failed: number; readonly skipped: number } }>;
  log(level: Level, source: string, message: string): void;
}

/** The operations of a plan that restore the overlay: the proxies and their configuration, nothing else. */
export function overlayRepairs(plan: Plan): Plan {
  const operations = plan.operations.filter((op) => op.resource.kind === 'proxy' && op.action !== 'noop');
  const kept = new Set(operations.map((op) => op.id));
  return { ...plan, operations: operations.map((op) => ({ ...op, dependsOn: op.dependsOn.filter((d) => kept.has(d)) })) };
}

/** One activity line per host: what the watchdog found there. */
export function repairNotes(plan: Plan): { host: string; message: string }[] {
  const byHost = new Map<string, string[]>();
  for (const op of plan.operations) (byHost.get(op.target.host) ?? byHost.set(op.target.host, []).get(op.target.host)!).push(`${op.summary.split(':')[0]} (${op.reason})`);
  return [...byHost].map(([host, lines]) => ({ host, message: `watchdog: the overlay of ${plan.datacenter} needs repair: ${lines.join('; ')}` }));
}

export class OverlayWatchdog {
  /** Datacenter → the document as last applied. */
  private readonly watched = new Map<string, Datacenter>();
  private timer: NodeJS.Timeout | undefined;
  /** The check under way, if any: an apply waits for it, and no check starts during an apply. */
  private current: Promise<void> | undefined;
  private applies = 0;
  private stopped = false;

  constructor(private readonly deps: WatchdogDeps) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.current;
  }

  /** The datacenters being watched, by name. */
  datacenters(): string[] {
    return [...this.watched.keys()].sort();
  }

  /**
   * Runs an apply with the watchdog held off: it waits for a check under way, and none starts until the
   * apply ends, so two reconciles never work on a proxy at once. What was applied is watched from then on.
   */
  async whileApplying<T>(apply: () => Promise<T>, applied: () => Promise<AppliedPlan>): Promise<T> {
    this.applies++;
    try {
      await this.current;
      const result = await apply();
      await applied()
        .then((p) => this.follow(p))
        .catch((err) => this.deps.log('warn', 'core', `watchdog: can't tell what was applied, so its overlay is not watched: ${toDcodError(err).message}`));
      return result;
    } finally {
      this.applies--;
    }
  }

  private async follow(p: AppliedPlan): Promise<void> {
    const loaded = await loadDocumentFile(p.file).catch(() => undefined);
    const dc = loaded?.document.metadata.name;
    if (p.destroy) {
      if (dc !== undefined) this.watched.delete(dc);
      return;
    }
    if (!loaded || loaded.version !== p.docVersion) {
      this.deps.log('warn', 'core', `watchdog: ${p.file} changed while it was applied; its overlay is watched again after the next apply`);
      return;
    }
    this.watched.set(loaded.document.metadata.name, loaded.document);
  }

  /** One look at every watched datacenter, repairing what drifted. Never throws: problems go to the log. */
  async check(): Promise<void> {
    if (this.current || this.applies > 0 || this.watched.size === 0) return this.current;
    this.current = this.look().finally(() => (this.current = undefined));
    return this.current;
  }

  private async look(): Promise<void> {
    let observed: readonly ObservedHost[];
    try {
      observed = await this.deps.refresh();
    } catch (err) {
      this.deps.log('error', 'core', `watchdog: could not read the hosts: ${toDcodError(err).message}`);
      return;
    }
    for (const [dc, doc] of this.watched) {
      if (this.applies > 0 || this.stopped) return;
      const repairs = overlayRepairs(this.deps.plan(doc, observed));
      if (repairs.operations.length === 0) continue;
      for (const note of repairNotes(repairs)) this.deps.log('warn', `${note.host}/proxy`, note.message);
      try {
        const r = await this.deps.execute(repairs);
        const counts = `${r.counts.done} done, ${r.counts.failed} failed, ${r.counts.skipped} skipped`;
        this.deps.log(r.ok ? 'info' : 'error', 'core', `watchdog: ${r.ok ? 'restored' : 'could not restore'} the overlay of ${dc} (${counts})`);
      } catch (err) {
        this.deps.log('error', 'core', `watchdog: could not restore the overlay of ${dc}: ${toDcodError(err).message}`);
      }
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    // One check at a time, the next `intervalMs` after the last ended; unref'd so it never holds the process.
    this.timer = setTimeout(() => void this.check().finally(() => this.schedule()), this.deps.intervalMs);
    this.timer.unref();
  }
}
