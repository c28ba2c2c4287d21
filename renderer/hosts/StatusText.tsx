import { memo } from 'react';
import type { StatusLine } from './status';

/** A coloured dot and a label, with the longer story under it. */
function StatusText({ status, testId }: { status: StatusLine; testId?: string }) {
  return (
    <div className={`status status-${status.tone}`} data-testid={testId}>
      <span className="status-label">
        <span className="status-dot" aria-hidden="true" />
        {status.label}
      </span>
      {status.detail && <span className="status-detail">{status.detail}</span>}
    </div>
  );
}

export default memo(StatusText);
