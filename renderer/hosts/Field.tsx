import { useId, type ReactNode } from 'react';

/**
 * A labelled form field with its inline message. The control is given its id and the id of the message,
 * so a screen reader reads the error with the field and `aria-invalid` marks it.
 */
export default function Field({ label, error, hint, testId, children }: {
  label: string;
  error?: string | undefined;
  hint?: string;
  testId?: string;
  children: (control: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ReactNode;
}) {
  const id = useId();
  const messageId = `${id}-message`;
  const message = error ?? hint;
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children({ id, ...(message ? { 'aria-describedby': messageId } : {}), ...(error ? { 'aria-invalid': true } : {}) })}
      {message && (
        <span id={messageId} className={error ? 'field-error' : 'field-hint'} data-testid={error && testId ? `${testId}-error` : undefined}>
          {message}
        </span>
      )}
    </div>
  );
}
