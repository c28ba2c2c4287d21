import { memo } from 'react';

/** The red mark on a node that validation found something wrong with; hover for the first message. */
function ProblemBadge({ problem, count }: { problem: string | undefined; count: number }) {
  if (!problem) return null;
  return (
    <span className="node-problem" title={count > 1 ? `${problem} (+${count - 1} more)` : problem} role="img" aria-label={`${count} problem${count === 1 ? '' : 's'}: ${problem}`} data-testid="node-problem">
      {count > 1 ? count : '!'}
    </span>
  );
}

export default memo(ProblemBadge);
