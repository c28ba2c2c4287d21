import { memo } from 'react';
import { errorText } from '../hosts/status';
import { retryApply, useReview } from '../store/review';
import { useClient } from './client-context';

const LABEL = { pending: 'queued', started: 'working…', done: 'done', skipped: 'skipped' } as const;

/**
 * The apply's word on this node: the operation running on it, or its failure — the host's message (with
 * where it happened in the tooltip and the review) under the node, and Retry.
 */
function NodeOpStatus({ id }: { id: string }) {
  const status = useReview((s) => s.nodeStatus.get(id));
  const applying = useReview((s) => s.applying);
  const client = useClient();
  if (!status) return null;
  if (status.state !== 'failed') {
    return (
      <div className={`node-op op-state-${status.state}`} data-testid="node-op" data-state={status.state} title={status.summary}>
        {status.state === 'started' ? status.summary : LABEL[status.state]}
      </div>
    );
  }
  return (
    <div className="node-op op-state-failed nodrag" data-testid="node-op" data-state="failed" role="alert" title={status.error ? errorText(status.error) : status.summary}>
      <span className="node-op-message">
        {status.host}: {status.error?.message ?? 'failed'}
      </span>
      <button type="button" data-testid="node-retry" disabled={applying || !client} onClick={() => client && void retryApply(client)}>
        Retry
      </button>
    </div>
  );
}

export default memo(NodeOpStatus);
