import { useEffect } from 'react';
import { actionForKey, actions, type Env } from '../editor/actions';
import { useEditor } from '../store/editor';

/** The field being typed in, if any. */
function field(e: KeyboardEvent): HTMLElement | null {
  return (e.target as HTMLElement | null)?.closest<HTMLElement>('input, textarea, select, [contenteditable="true"]') ?? null;
}

/**
 * Runs the registered action for each key press on the page. In a field, keys are the field's (its own
 * undo, copy, arrows) except the Document ones (save, review), which act on the whole document: the field
 * is left first, so the edit typed into it is committed and goes with them. Dialogs keep every key.
 */
export function useShortcuts(env: Env): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || document.querySelector('dialog[open]') !== null) return;
      const s = useEditor.getState();
      const name = actionForKey(e, s);
      if (!name) return;
      const inField = field(e);
      if (inField) {
        if (actions[name].group !== 'Document') return;
        inField.blur();
      }
      e.preventDefault();
      s.run(name, undefined as never, { ...env, keys: e });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [env]);
}
