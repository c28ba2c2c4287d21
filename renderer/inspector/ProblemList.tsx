import { memo } from 'react';
import type { Diagnostic } from '../editor/model';

/** Every problem of a node (or of the datacenter), with where it is and how to fix it. */
function ProblemList({ problems, testId }: { problems: readonly (Diagnostic & { field?: string })[]; testId: string }) {
  if (!problems.length) return null;
  return (
    <ul className="inspector-problems" data-testid={testId}>
      {problems.map((p, i) => (
        <li key={i} className={`problem-${p.severity}`}>
          {p.field !== undefined ? p.field && <code>{p.field}</code> : <code>{p.path}</code>} {p.message}
          {p.fix && <span className="muted"> — {p.fix}</span>}
        </li>
      ))}
    </ul>
  );
}

export default memo(ProblemList);
