import { useEffect } from 'react';
import { actionForKey, type Env } from '../editor/actions';
import { useEditor } from '../store/editor';

/** Typing in a field, or working in a dialog, is not a shortcut. */
function typing(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  if (t?.closest('input, textarea, select, [contenteditable="true"]')) return true;
  return document.querySelector('dialog[open]') !== null;
}

/** Runs the registered action for each key press on the page (outside fields and dialogs). */
export function useShortcuts(env: Env): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || typing(e)) return;
      const s = useEditor.getState();
      const name = actionForKey(e, s);
      if (!name) return;
      e.preventDefault();
      s.run(name, undefined as never, { ...env, keys: e });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [env]);
}
