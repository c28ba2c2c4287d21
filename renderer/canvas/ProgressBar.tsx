import { memo } from 'react';

/** A thin bar across the top of the canvas while something long runs; indeterminate without a fraction. */
function ProgressBar({ label, fraction }: { label: string; fraction?: number }) {
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} {...(fraction === undefined ? {} : { 'aria-valuenow': Math.round(fraction * 100) })} data-testid="canvas-progress">
      <div className={fraction === undefined ? 'progress-fill progress-indeterminate' : 'progress-fill'} style={fraction === undefined ? undefined : { width: `${fraction * 100}%` }} />
      <span className="progress-label">{label}…</span>
    </div>
  );
}

export default memo(ProgressBar);
