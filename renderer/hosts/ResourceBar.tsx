import { memo } from 'react';
import type { Gauge } from './status';

/** A small used-of-total bar with its figures; an unknown figure leaves the bar empty and says "?". */
function ResourceBar({ label, gauge }: { label: string; gauge: Gauge }) {
  const percent = gauge.fraction === undefined ? 0 : Math.round(gauge.fraction * 100);
  const level = percent >= 90 ? 'high' : percent >= 70 ? 'mid' : 'low';
  return (
    <div className="resource">
      <span className="resource-label">{label}</span>
      <div
        className={`resource-bar resource-${level}`}
        role="meter"
        aria-label={`${label} used`}
        aria-valuemin={0}
        aria-valuemax={gauge.total ?? 0}
        aria-valuenow={gauge.used ?? 0}
        aria-valuetext={gauge.text}
      >
        <div className="resource-fill" style={{ width: `${percent}%` }} />
      </div>
      <span className="resource-text">{gauge.text}</span>
    </div>
  );
}

export default memo(ResourceBar);
