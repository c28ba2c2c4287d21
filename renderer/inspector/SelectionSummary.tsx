import { memo } from 'react';
import { parseNodeId } from '../editor/ids';
import { useEditor } from '../store/editor';

/** Several things selected: what they are, and the one thing to do to all of them. */
function SelectionSummary({ ids }: { ids: readonly string[] }) {
  const removable = ids.filter((id) => parseNodeId(id)?.kind !== 'host');
  return (
    <div className="inspector-form" data-testid="inspector-several">
      <p>
        <strong>{ids.length}</strong> selected: {ids.map((id) => parseNodeId(id)?.name ?? id).join(', ')}
      </p>
      {removable.length > 0 && (
        <button type="button" className="danger" data-testid="inspect-delete-all" onClick={() => useEditor.getState().run('delete', undefined)}>
          Delete {removable.length}
        </button>
      )}
      <p className="muted">Ctrl+C / Ctrl+V copies them with their connections; Ctrl+D duplicates.</p>
    </div>
  );
}

export default memo(SelectionSummary);
