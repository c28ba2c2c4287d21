import { memo } from 'react';
import { commandText, type Operation } from '../../src/api/contract';
import { errorText } from '../hosts/status';
import { hostOf, type OpStatus } from './progress';

const STATE_LABEL: Readonly<Record<OpStatus['state'], string>> = { pending: 'waiting', started: 'running…', done: 'done', failed: 'failed', skipped: 'skipped' };

/** One operation of the plan: what, where, why, its exact commands, and how it went. */
function OperationRow({ op, status }: { op: Operation; status: OpStatus | undefined }) {
  return (
    <li className={`review-op review-op-${op.action}${status ? ` op-${status.state}` : ''}`} data-testid={`review-op-${op.id}`} data-state={status?.state}>
      <div className="review-op-head">
        <span className={`review-action review-action-${op.action}`}>{op.action}</span>
        <span className="review-summary">{op.summary}</span>
        <span className="review-host" data-testid="review-op-host">
          {hostOf(op)}
        </span>
        {status && <span className={`review-state op-state-${status.state}`}>{STATE_LABEL[status.state]}</span>}
      </div>
      {op.reason && <div className="review-reason muted">{op.reason}</div>}
      {op.commands.length > 0 && (
        <pre className="review-commands" data-testid="review-op-commands">
          {op.commands.map((c) => `$ ${commandText(c)}`).join('\n')}
        </pre>
      )}
      {op.transfer && <div className="review-reason muted">file copy, carried out through this machine</div>}
      {status?.error && (
        <div className="review-error" role="alert">
          {errorText(status.error)} [{status.error.code}]
        </div>
      )}
      {status?.reason && <div className="review-reason muted">{status.reason}</div>}
    </li>
  );
}

export default memo(OperationRow);
