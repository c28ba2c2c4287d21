import { useCallback, useState } from 'react';
import type { ApiClient } from '../../src/api/contract';
import BundleDialogs from './BundleDialogs';
import SnapshotTimeline from './SnapshotTimeline';
import './snapshot.css';

/** Snapshots, export and import of one datacenter document (a path on the core's machine). */
export default function DatacenterOps({ client, open, onClose }: { client: ApiClient; open: boolean; onClose: () => void }) {
  const [draft, setDraft] = useState('');
  const [file, setFile] = useState('');
  const [error, setError] = useState('');
  const onError = useCallback((message: string) => setError(message), []);
  if (!open) return null;
  return (
    <div className="dc-ops" role="dialog" aria-label="Snapshots, export and import" data-testid="datacenter-ops">
      <div className="dc-row">
        <h3>Snapshots, export and import</h3>
        <input aria-label="Datacenter document" placeholder="datacenter.yaml (a path on the core's machine)" value={draft} onChange={(e) => setDraft(e.target.value)} />
        <button type="button" onClick={() => setFile(draft.trim())} disabled={!draft.trim()}>
          Open
        </button>
        <button type="button" onClick={onClose} aria-label="Close">
          ×
        </button>
      </div>
      {error && (
        <p className="dc-error" role="alert" onClick={() => setError('')}>
          {error}
        </p>
      )}
      <SnapshotTimeline client={client} file={file} onError={onError} />
      <BundleDialogs client={client} file={file} onError={onError} />
    </div>
  );
}
