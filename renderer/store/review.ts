/**
 * The review slice: which document file the editor edits and the version it was read or saved at, the
 * live plan preview of the unsaved document, the plan under review, and the apply that carries it out.
 *
 * The preview (`plan.preview`) follows every edit and every host reading, so the pending-changes counter
 * is always the plan of what is on the canvas. Review saves the document (`doc.write`, refused if the file
 * changed elsewhere) and asks the core for the plan it will apply (`plan.make`, hosts read afresh). Nothing
 * here locks the editor: edits made while an apply runs are the next review's.
 */
import { create } from 'zustand';
import type { ApiClient, ApplyResult, Datacenter, ErrorInfo, Plan, PlanPreview, PlanView } from '../../src/api/contract';
import { toDcodError } from '../../src/errors';
import { changes, nodeStatuses, pendingStatuses, withProgress, type OpStatus } from '../review/progress';
import { useEditor } from './editor';
import { refreshHosts } from './hosts';
import { loadSession, saveSession } from './storage';

export interface ReviewState {
  /** The document's path on the core's machine. */
  readonly docFile: string;
  /** The file's version when the editor last read or wrote it; null: there is no such file yet. */
  readonly docVersion: string | null;
  /** The document as last read or written: the canvas differs from the file while the two differ. */
  readonly savedDoc: Datacenter | null;
  readonly docBusy: 'opening' | 'saving' | null;
  readonly docNote: string | null;
  readonly docError: ErrorInfo | null;
  readonly preview: PlanPreview | null;
  /** The document the preview was made for; the counter is current when it is the editor's. */
  readonly previewOf: Datacenter | null;
  readonly previewError: ErrorInfo | null;
  readonly reviewOpen: boolean;
  readonly reviewing: boolean;
  readonly reviewed: PlanView | null;
  readonly reviewError: ErrorInfo | null;
  readonly applying: boolean;
  /** The plan whose operations the canvas and the panel show progress for. */
  readonly appliedPlan: { readonly file: string; readonly planId: string; readonly plan: Plan } | null;
  readonly opStatus: ReadonlyMap<string, OpStatus>;
  readonly nodeStatus: ReadonlyMap<string, OpStatus>;
  readonly applyResult: ApplyResult | null;
  readonly applyError: ErrorInfo | null;
}

const isPath = (v: unknown): v is string => typeof v === 'string';

export const useReview = create<ReviewState>()(() => ({
  docFile: loadSession<string>('docFile', '', isPath),
  docVersion: null,
  savedDoc: null,
  docBusy: null,
  docNote: null,
  docError: null,
  preview: null,
  previewOf: null,
  previewError: null,
  reviewOpen: false,
  reviewing: false,
  reviewed: null,
  reviewError: null,
  applying: false,
  appliedPlan: null,
  opStatus: new Map(),
  nodeStatus: new Map(),
  applyResult: null,
  applyError: null,
}));

const info = (err: unknown): ErrorInfo => toDcodError(err).toInfo();

/** Pending changes: the preview's operations, or null while there is no preview of a valid document. */
export function pendingCount(s: Pick<ReviewState, 'preview'>): number | null {
  return s.preview?.plan ? changes(s.preview.plan).length : null;
}

/** Whether the canvas's document is not yet in the file: it differs from the last read or write, or there is no file yet. */
export function isUnsaved(s: Pick<ReviewState, 'savedDoc' | 'docVersion'>, doc: Datacenter): boolean {
  return doc !== s.savedDoc || s.docVersion === null;
}

export function setDocFile(file: string): void {
  saveSession('docFile', file);
  useReview.setState({ docFile: file, docError: null, docNote: null });
}

/** Opens the named file into the editor (history starts over); a file that isn't there yet keeps the canvas, to be saved there. */
export async function openDocument(client: ApiClient): Promise<void> {
  const file = useReview.getState().docFile.trim();
  if (!file) return;
  useReview.setState({ docBusy: 'opening', docError: null, docNote: null });
  try {
    const read = await client.call('doc.read', { file });
    useEditor.getState().load(read.document);
    useReview.setState({ docFile: read.file, docVersion: read.version, savedDoc: read.document, docNote: `opened ${read.file}` });
  } catch (err) {
    const e = info(err);
    if (e.code === 'NOT_FOUND') useReview.setState({ docVersion: null, savedDoc: null, docNote: 'a new file: Save or Review creates it with what is on the canvas' });
    else useReview.setState({ docError: e });
  } finally {
    useReview.setState({ docBusy: null });
  }
}

/** Writes the canvas's document to the file if it differs; throws (after showing it) when the core refuses. */
export async function saveDocument(client: ApiClient): Promise<void> {
  const s = useReview.getState();
  const doc = useEditor.getState().doc;
  const file = s.docFile.trim();
  if (!file) throw new Error('no document file: name one first');
  if (!isUnsaved(s, doc)) return;
  useReview.setState({ docBusy: 'saving', docError: null });
  try {
    const written = await client.call('doc.write', { file, document: doc, baseVersion: s.docVersion });
    useReview.setState({ docFile: written.file, docVersion: written.version, savedDoc: doc, docNote: `saved ${written.file}` });
  } catch (err) {
    useReview.setState({ docError: info(err) });
    throw err;
  } finally {
    useReview.setState({ docBusy: null });
  }
}

/** Saves, then asks the core for the plan it would apply now (hosts read afresh) and opens the review panel. */
export async function reviewPlan(client: ApiClient): Promise<void> {
  useReview.setState({ reviewOpen: true, reviewing: true, reviewError: null, reviewed: null });
  try {
    await saveDocument(client);
    const reviewed = await client.call('plan.make', { file: useReview.getState().docFile });
    useReview.setState({ reviewed });
  } catch (err) {
    useReview.setState({ reviewError: info(err) });
  } finally {
    useReview.setState({ reviewing: false });
  }
}

export const closeReview = () => useReview.setState({ reviewOpen: false });

/** Applies the reviewed plan; progress arrives as events (bindReview). */
export function applyReviewed(client: ApiClient): Promise<void> {
  const view = useReview.getState().reviewed;
  if (!view) return Promise.resolve();
  return runApply(client, { file: view.file, planId: view.planId, plan: view.plan }, pendingStatuses(view.plan));
}

/**
 * Runs the same plan again: the core skips what its journal records done, so only what failed or was
 * skipped runs. Refused by the core if the file was saved since (review again then).
 */
export function retryApply(client: ApiClient): Promise<void> {
  const s = useReview.getState();
  if (!s.appliedPlan || s.applying) return Promise.resolve();
  const again = new Map(s.opStatus);
  for (const [id, st] of again) if (st.state === 'failed' || st.state === 'skipped') again.set(id, { op: st.op, state: 'pending', summary: st.summary, host: st.host });
  return runApply(client, s.appliedPlan, again);
}

async function runApply(client: ApiClient, applied: NonNullable<ReviewState['appliedPlan']>, opStatus: ReadonlyMap<string, OpStatus>): Promise<void> {
  useReview.setState({ applying: true, appliedPlan: applied, opStatus, nodeStatus: nodeStatuses(applied.plan, opStatus), applyResult: null, applyError: null });
  try {
    const applyResult = await client.call('apply.run', { file: applied.file, planId: applied.planId });
    // A clean apply leaves the nodes to their hosts' report ("running"); a failed one keeps its marks.
    useReview.setState(applyResult.ok ? { applyResult, nodeStatus: new Map() } : { applyResult });
  } catch (err) {
    useReview.setState({ applyError: info(err) });
  } finally {
    useReview.setState({ applying: false });
    // What the hosts run now: the canvas's VM states and the next preview are made from this reading.
    await refreshHosts(client);
  }
}

/** Whether two documents plan alike: every field but `layout` (positions on the canvas) is the same object. */
export function plansAlike(a: Datacenter, b: Datacenter): boolean {
  return (Object.keys({ ...a, ...b }) as (keyof Datacenter)[]).every((k) => k === 'layout' || a[k] === b[k]);
}

/**
 * Follows the core's apply progress and keeps the preview in step with the canvas; returns the unbind.
 * Previews never pile up: while one is out, edits only mark it stale, and one more is asked for when it
 * comes back.
 */
export function bindReview(client: ApiClient): () => void {
  const offProgress = client.on('apply.progress', (p) => {
    const s = useReview.getState();
    if (!s.appliedPlan || p.planId !== s.appliedPlan.planId) return;
    const opStatus = withProgress(s.opStatus, p);
    useReview.setState({ opStatus, nodeStatus: nodeStatuses(s.appliedPlan.plan, opStatus) });
  });
  let inFlight = false;
  let stale = false;
  let closed = false;
  /** What the last preview asked about: a document that plans alike, against the same readings, is not asked again. */
  let asked: { doc: Datacenter; hosts: unknown } | null = null;
  const preview = async () => {
    if (inFlight) {
      stale = true;
      return;
    }
    inFlight = true;
    try {
      do {
        stale = false;
        const { doc, hostViews } = useEditor.getState();
        if (asked && asked.hosts === hostViews && plansAlike(asked.doc, doc) && useReview.getState().preview) {
          useReview.setState({ previewOf: doc }); // a node dragged within its host, a layout: the plan is the same
          continue;
        }
        // The outline: the counter needs what changes, not the commands (Review shows plan.make's).
        const result = await client.call('plan.preview', { document: doc, detail: 'outline' });
        asked = { doc, hosts: hostViews };
        if (!closed) useReview.setState({ preview: result, previewOf: doc, previewError: null });
      } while (stale && !closed);
    } catch (err) {
      if (!closed) useReview.setState({ previewError: info(err) });
    } finally {
      inFlight = false;
    }
  };
  const offEditor = useEditor.subscribe((now, prev) => {
    if (now.doc !== prev.doc || now.hostViews !== prev.hostViews) void preview();
  });
  void preview();
  return () => {
    closed = true;
    offProgress();
    offEditor();
  };
}
