/**
 * Plans the core has made, so that `apply` runs exactly the plan the user reviewed — never one sent by a
 * UI (the renderer is untrusted, and a plan holds commands) — and so that an apply interrupted by a crash
 * can be resumed by a later process: a plan is written to `.dcod/plans/<id>.json` before it is applied.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DcodError } from '../errors';
import { writeFileAtomic } from '../fsx/atomic';
import { canonicalJson } from '../model/document-file';
import type { Plan } from '../plan/plan';

export interface StoredPlan {
  readonly planId: string;
  /** The document it was made from (absolute path) and that document's version. */
  readonly file: string;
  readonly docVersion: string;
  /** A plan to delete everything the document owns. */
  readonly destroy: boolean;
  readonly plan: Plan;
  /** When the hosts it was planned against were read (ISO 8601). */
  readonly madeAt: string;
}

/** Same document, same observation, same plan: same id. A new observation gives a new id. */
export function planIdOf(p: Omit<StoredPlan, 'planId'>): string {
  return createHash('sha256').update(canonicalJson(p)).digest('hex');
}

export function planFile(documentFile: string, planId: string): string {
  return path.join(path.dirname(path.resolve(documentFile)), '.dcod', 'plans', `${planId}.json`);
}

export class PlanStore {
  /** The most recent plans of this process, newest last. */
  private readonly recent = new Map<string, StoredPlan>();

  constructor(private readonly keep = 32) {}

  remember(p: StoredPlan): void {
    this.recent.delete(p.planId);
    this.recent.set(p.planId, p);
    for (const id of this.recent.keys()) {
      if (this.recent.size <= this.keep) break;
      this.recent.delete(id);
    }
  }

  /** Writes the plan beside the document, before it is applied. */
  async persist(p: StoredPlan): Promise<void> {
    await writeFileAtomic(planFile(p.file, p.planId), JSON.stringify(p));
  }

  /** A plan this process made, or one an earlier process persisted for this document. */
  async get(documentFile: string, planId: string): Promise<StoredPlan> {
    const mine = this.recent.get(planId);
    if (mine) return mine;
    if (!/^[0-9a-f]{64}$/.test(planId)) throw new DcodError('BAD_REQUEST', `${JSON.stringify(planId)} is not a plan id`);
    const text = await readFile(planFile(documentFile, planId), 'utf8').catch(() => {
      throw new DcodError('NOT_FOUND', `no plan ${planId.slice(0, 12)} for ${path.resolve(documentFile)}: make a new plan`);
    });
    const stored = JSON.parse(text) as StoredPlan;
    if (stored.planId !== planId || planIdOf({ file: stored.file, docVersion: stored.docVersion, destroy: stored.destroy, plan: stored.plan, madeAt: stored.madeAt }) !== planId) {
      throw new DcodError('INVALID_DOCUMENT', `the stored plan ${planId.slice(0, 12)} does not match its id; it was edited or damaged: make a new plan`);
    }
    return stored;
  }
}
