import { memo, useRef, useState } from 'react';
import Field from '../hosts/Field';

export interface DraftFieldProps {
  readonly label: string;
  /** The committed value, as text. */
  readonly value: string;
  readonly testId: string;
  /** What keeps typed text from being committed at all (not a name, not a number). */
  readonly refuse?: (text: string) => string | undefined;
  /** What validation would say with the typed text in the document (it can still be committed). */
  readonly preview?: (text: string) => string | undefined;
  /** The committed value's own problem, from the document's diagnostics. */
  readonly problem?: string | undefined;
  readonly hint?: string;
  readonly placeholder?: string;
  readonly list?: string;
  onCommit(text: string): void;
}

/**
 * A text field that edits a draft and commits it on Enter or when it loses focus (Escape drops the draft):
 * one undo step per finished edit, not per keystroke. Its message is live while typing.
 */
function DraftField({ label, value, testId, refuse, preview, problem, hint, placeholder, list, onCommit }: DraftFieldProps) {
  const [draft, setDraft] = useState<string | null>(null);
  // Escape blurs the field, and the blur must not commit what Escape dropped.
  const dropped = useRef(false);
  const text = draft ?? value;
  const message = draft === null ? problem : (refuse?.(draft) ?? preview?.(draft));
  const commit = () => {
    if (!dropped.current && draft !== null && draft !== value && !refuse?.(draft)) onCommit(draft);
    dropped.current = false;
    setDraft(null);
  };
  return (
    <Field label={label} error={message} {...(hint ? { hint } : {})} testId={testId}>
      {(control) => (
        <input
          {...control}
          data-testid={testId}
          value={text}
          placeholder={placeholder}
          list={list}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => setDraft(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commit();
            if (e.key === 'Escape') {
              dropped.current = true;
              e.currentTarget.blur();
            }
          }}
        />
      )}
    </Field>
  );
}

export default memo(DraftField);
