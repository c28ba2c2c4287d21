import { memo, useCallback } from 'react';
import { parseWhole } from './checks';
import DraftField from './DraftField';

const refuse = (text: string) => {
  const p = parseWhole(text);
  return 'error' in p ? p.error : undefined;
};

/** A whole-number field: anything that parses commits; `preview` says what the document would think of it. */
function NumberField({ label, value, testId, problem, hint, preview, onCommit }: {
  label: string;
  value: number | undefined;
  testId: string;
  problem?: string | undefined;
  hint?: string;
  preview(value: number): string | undefined;
  onCommit(value: number): void;
}) {
  const live = useCallback((text: string) => {
    const p = parseWhole(text);
    return 'value' in p ? preview(p.value) : undefined;
  }, [preview]);
  const commit = useCallback((text: string) => {
    const p = parseWhole(text);
    if ('value' in p) onCommit(p.value);
  }, [onCommit]);
  return <DraftField label={label} value={value === undefined ? '' : String(value)} testId={testId} refuse={refuse} preview={live} problem={problem} {...(hint ? { hint } : {})} onCommit={commit} />;
}

export default memo(NumberField);
