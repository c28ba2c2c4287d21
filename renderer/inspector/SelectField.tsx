import { memo } from 'react';
import Field from '../hosts/Field';

export interface Choice {
  readonly value: string;
  readonly label: string;
}

/** A select that commits as soon as it changes (a choice is a finished edit). */
function SelectField({ label, value, choices, testId, problem, hint, onChange }: {
  label: string;
  value: string;
  choices: readonly Choice[];
  testId: string;
  problem?: string | undefined;
  hint?: string;
  onChange(value: string): void;
}) {
  return (
    <Field label={label} error={problem} {...(hint ? { hint } : {})} testId={testId}>
      {(control) => (
        <select {...control} data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)}>
          {choices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export default memo(SelectField);
