import { memo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { actions, type ActionName } from '../editor/actions';
import { useEditor, type EditorState } from '../store/editor';

const selectToolbar = (s: EditorState) => ({
  undoLabel: s.history.undo.at(-1)?.label,
  redoLabel: s.history.redo.at(-1)?.label,
  busy: s.busy !== null,
  problems: [...s.placed.byNode.values()].reduce((n, p) => n + p.length, 0) + s.placed.general.length,
  count: s.doc.vms.length + s.doc.switches.length + s.doc.routers.length + s.doc.volumes.length,
});

const tip = (name: ActionName, extra?: string) => {
  const a = actions[name];
  return `${extra ?? a.label}${a.keys?.length ? ` (${a.keys.join(' / ')})` : ''}`;
};

/** The canvas's own buttons; each runs the registered action, whose label and keys it shows. */
function Toolbar({ run }: { run(name: ActionName): void }) {
  const t = useEditor(useShallow(selectToolbar));
  return (
    <div className="canvas-toolbar" role="toolbar" aria-label="Canvas" data-testid="canvas-toolbar">
      <button type="button" disabled={!t.undoLabel} title={tip('undo', t.undoLabel ? `Undo ${t.undoLabel}` : 'Nothing to undo')} aria-label="Undo" data-testid="undo" onClick={() => run('undo')}>
        ↶
      </button>
      <button type="button" disabled={!t.redoLabel} title={tip('redo', t.redoLabel ? `Redo ${t.redoLabel}` : 'Nothing to redo')} aria-label="Redo" data-testid="redo" onClick={() => run('redo')}>
        ↷
      </button>
      <span className="toolbar-sep" />
      <button type="button" disabled={t.busy} title={tip('layout')} data-testid="auto-layout" onClick={() => run('layout')}>
        Auto layout
      </button>
      <button type="button" title={tip('fit')} aria-label="Fit to screen" data-testid="fit" onClick={() => run('fit')}>
        ⤢
      </button>
      <button type="button" title={tip('search')} aria-label="Find by name" data-testid="search-open" onClick={() => run('search')}>
        ⌕
      </button>
      <button type="button" title={tip('help')} aria-label="Keyboard shortcuts" data-testid="help-open" onClick={() => run('help')}>
        ?
      </button>
      <span className="toolbar-sep" />
      <span className="toolbar-stat" data-testid="canvas-count">
        {t.count} item{t.count === 1 ? '' : 's'}
      </span>
      {t.problems > 0 && (
        <span className="toolbar-stat toolbar-problems" data-testid="canvas-problems" title="Select a flagged node to see what is wrong in the inspector">
          {t.problems} problem{t.problems === 1 ? '' : 's'}
        </span>
      )}
    </div>
  );
}

export default memo(Toolbar);
