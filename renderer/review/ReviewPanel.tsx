import { useShallow } from 'zustand/react/shallow';
import type { ApiClient } from '../../src/api/contract';
import { errorText } from '../hosts/status';
import { applyReviewed, closeReview, retryApply, useReview, type ReviewState } from '../store/review';
import OperationRow from './OperationRow';
import { changes } from './progress';
import './review.css';

const select = (s: ReviewState) => ({
  open: s.reviewOpen,
  reviewing: s.reviewing,
  reviewed: s.reviewed,
  error: s.reviewError,
  applying: s.applying,
  appliedPlan: s.appliedPlan,
  opStatus: s.opStatus,
  result: s.applyResult,
  applyError: s.applyError,
});

/**
 * The plan the core will apply, operation by operation — host, reason, exact commands — with Apply, the
 * progress of each operation as it runs, and Retry after a failure. A layer over the canvas, which stays
 * editable underneath: close it and keep editing while the apply runs.
 */
export default function ReviewPanel({ client }: { client: ApiClient }) {
  const r = useReview(useShallow(select));
  if (!r.open) return null;
  const ops = r.reviewed ? changes(r.reviewed.plan) : [];
  const showsApplied = r.reviewed && r.appliedPlan?.planId === r.reviewed.planId;
  const errors = r.reviewed?.plan.diagnostics.filter((d) => d.severity === 'error') ?? [];
  const notes = [...(r.reviewed?.plan.diagnostics.filter((d) => d.severity === 'warning') ?? []), ...(r.reviewed?.warnings ?? [])];
  const unreachable = r.reviewed?.hosts.filter((h) => !h.reachable) ?? [];
  const failed = r.result ? !r.result.ok : false;
  return (
    <div className="review-view" data-testid="review-panel" role="region" aria-label="Review and apply">
      <div className="review-toolbar">
        <h3>Review</h3>
        <span className="muted review-file">{r.reviewed?.file}</span>
        <span className="spacer" />
        {r.reviewing && <span className="spinner" role="status" aria-label="planning" />}
        <button type="button" className="primary" data-testid="apply" disabled={!r.reviewed || r.reviewing || r.applying || ops.length === 0 || errors.length > 0 || (showsApplied === true && r.result !== null)} onClick={() => void applyReviewed(client)}>
          {r.applying ? 'Applying…' : showsApplied && r.result ? (r.result.ok ? 'Applied' : 'Apply failed') : `Apply ${ops.length} change${ops.length === 1 ? '' : 's'}`}
        </button>
        {(failed || r.applyError) && r.appliedPlan && (
          <button type="button" data-testid="apply-retry" disabled={r.applying} onClick={() => void retryApply(client)}>
            Retry
          </button>
        )}
        <button type="button" className="icon-button" aria-label="Close the review" onClick={closeReview}>
          ×
        </button>
      </div>
      <div className="review-body">
        {r.error && (
          <div className="panel-error" role="alert" data-testid="review-error">
            {errorText(r.error)}
          </div>
        )}
        {r.applyError && (
          <div className="panel-error" role="alert" data-testid="apply-error">
            {errorText(r.applyError)}
          </div>
        )}
        {r.result && showsApplied && (
          <div className={r.result.ok ? 'review-result review-ok' : 'review-result review-failed'} data-testid="apply-result" data-ok={String(r.result.ok)}>
            {r.result.ok ? 'Applied' : 'Apply failed'}: {r.result.counts.done} done, {r.result.counts.failed} failed, {r.result.counts.skipped} skipped
            {r.result.ok ? '' : ' — fix what the host said, or Retry'}
          </div>
        )}
        {unreachable.map((h) => (
          <div key={h.host} className="review-warning">
            {h.host} could not be read{h.error ? `: ${errorText(h.error)}` : ''} — what the document puts there is left as it is
          </div>
        ))}
        {errors.map((d) => (
          <div key={`${d.path}:${d.message}`} className="review-warning review-blocking">
            {d.path}: {d.message}
          </div>
        ))}
        {notes.map((d) => (
          <div key={`${d.path}:${d.message}`} className="review-warning">
            {d.path}: {d.message}
          </div>
        ))}
        {r.reviewed && ops.length === 0 && errors.length === 0 && (
          <p className="muted" data-testid="review-empty">
            Nothing to change: the hosts already run what the document says.
          </p>
        )}
        <ol className="review-ops" data-testid="review-ops">
          {ops.map((op) => (
            <OperationRow key={op.id} op={op} status={showsApplied ? r.opStatus.get(op.id) : undefined} />
          ))}
        </ol>
      </div>
    </div>
  );
}
