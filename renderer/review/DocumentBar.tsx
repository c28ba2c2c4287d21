import { useShallow } from 'zustand/react/shallow';
import type { ApiClient } from '../../src/api/contract';
import { errorText } from '../hosts/status';
import { useEditor } from '../store/editor';
import { openDocument, pendingCount, reviewPlan, saveDocument, setDocFile, isUnsaved, useReview, type ReviewState } from '../store/review';

const select = (s: ReviewState) => ({
  file: s.docFile,
  busy: s.docBusy,
  note: s.docNote,
  error: s.docError,
  savedDoc: s.savedDoc,
  docVersion: s.docVersion,
  pending: pendingCount(s),
  previewOf: s.previewOf,
  previewError: s.previewError,
  applying: s.applying,
  reviewing: s.reviewing,
});

/** The document file (open, save), the pending-changes counter, and the way into the review. */
export default function DocumentBar({ client }: { client: ApiClient }) {
  const d = useReview(useShallow(select));
  const doc = useEditor((s) => s.doc);
  const unsaved = isUnsaved(d, doc);
  const current = d.previewOf === doc;
  const status = d.error ? errorText(d.error) : d.note;
  return (
    <form
      className="document-bar"
      data-testid="document-bar"
      onSubmit={(e) => {
        e.preventDefault();
        void openDocument(client);
      }}
    >
      <input aria-label="Document file" data-testid="doc-file" className="doc-file" placeholder="datacenter.yaml (a path on the core's machine)" value={d.file} onChange={(e) => setDocFile(e.target.value)} title={status ?? undefined} />
      <button type="submit" data-testid="doc-open" disabled={!d.file.trim() || d.busy !== null}>
        Open
      </button>
      <button type="button" data-testid="doc-save" disabled={!d.file.trim() || d.busy !== null || !unsaved} onClick={() => void saveDocument(client).catch(() => undefined)}>
        {d.busy === 'saving' ? 'Saving…' : unsaved ? 'Save' : 'Saved'}
      </button>
      <button
        type="button"
        className="primary"
        data-testid="review-open"
        disabled={!d.file.trim() || d.reviewing}
        title={d.previewError ? `no preview: ${errorText(d.previewError)}` : 'Save, read the hosts, and show the plan'}
        onClick={() => void reviewPlan(client)}
      >
        Review
        <span className={`pending-count${current ? '' : ' is-stale'}`} data-testid="pending-changes" data-count={d.pending ?? ''} data-preview={current ? 'current' : 'stale'} aria-label="pending changes">
          {d.pending ?? '–'}
        </span>
      </button>
      {d.applying && <span className="spinner" role="status" aria-label="applying" data-testid="applying" />}
      {status && (
        <span className={d.error ? 'doc-status doc-error' : 'doc-status muted'} data-testid="doc-status" role={d.error ? 'alert' : undefined}>
          {status}
        </span>
      )}
    </form>
  );
}
