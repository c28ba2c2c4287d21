import { memo } from 'react';

/** A checkbox that commits as soon as it is clicked. */
function CheckField({ label, checked, testId, onChange }: { label: string; checked: boolean; testId: string; onChange(checked: boolean): void }) {
  return (
    <label className="check">
      <input type="checkbox" checked={checked} data-testid={testId} onChange={(e) => onChange(e.target.checked)} />
      {label}
    </label>
  );
}

export default memo(CheckField);
