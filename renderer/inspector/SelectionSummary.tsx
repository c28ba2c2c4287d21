import { memo } from 'react';
import { parseNodeId } from '../editor/ids';
import { useEditor } from '../store/editor';

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
/** How many names are spelled out before "and N more". */
const NAMES_SHOWN = 12;

/** Several things selected: what they are (nodes by name, cables by count), and what to do to all of them. */
function SelectionSummary({ ids }: { ids: readonly string[] }) {
  const nodes = ids.flatMap((id) => parseNodeId(id) ?? []);
  const cables = ids.length - nodes.length;
  const removable = ids.filter((id) => parseNodeId(id)?.kind !== 'host').length;
  return (
    <div className="inspector-form" data-testid="inspector-several">
      <p data-testid="inspect-selected">
        {nodes
          .slice(0, NAMES_SHOWN)
          .map((n) => n.name)
          .join(', ')}
        {nodes.length > NAMES_SHOWN ? ` and ${nodes.length - NAMES_SHOWN} more` : ''}
        {cables ? `${nodes.length ? ', with ' : ''}${plural(cables, 'cable')}` : ''}
      </p>
      {removable > 0 && (
        <button type="button" className="danger" data-testid="inspect-delete-all" onClick={() => useEditor.getState().run('delete', undefined)}>
          Delete {plural(removable, 'item')}
        </button>
      )}
      <p className="muted">Ctrl+C / Ctrl+V copies them with their connections; Ctrl+D duplicates.</p>
    </div>
  );
}

export default memo(SelectionSummary);
