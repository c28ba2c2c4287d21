import { memo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { EditorNode } from '../editor/graph';
import { useEditor, type EditorState } from '../store/editor';

const selectSearch = (s: EditorState) => ({ search: s.search, setSearch: s.setSearch, nodes: s.graph.nodes });

/** The names the search text matches, in canvas order. */
export function matches(nodes: readonly EditorNode[], text: string): EditorNode[] {
  const t = text.trim().toLowerCase();
  return t ? nodes.filter((n) => n.data.name.toLowerCase().includes(t)) : [];
}

/** Find by name: what doesn't match dims as you type; Enter goes to the next match, Shift+Enter back. */
function SearchBox({ onFocus, onClose }: { onFocus(id: string): void; onClose(): void }) {
  const { search, setSearch, nodes } = useEditor(useShallow(selectSearch));
  const [at, setAt] = useState(-1);
  const input = useRef<HTMLInputElement>(null);
  const found = matches(nodes, search);
  const go = (step: number) => {
    if (!found.length) return;
    const i = (at + step + found.length) % found.length;
    setAt(i);
    onFocus(found[i]!.id);
  };
  return (
    <div className="search-box" data-testid="canvas-search">
      <input
        ref={input}
        autoFocus
        type="search"
        placeholder="Find by name"
        aria-label="Find by name"
        value={search}
        onChange={(e) => {
          setAt(-1);
          setSearch(e.target.value);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') go(e.shiftKey ? -1 : 1);
          if (e.key === 'Escape') onClose();
          e.stopPropagation();
        }}
      />
      <span className="search-count muted" data-testid="canvas-search-count">
        {search.trim() ? (found.length ? `${at >= 0 ? at + 1 : '–'} / ${found.length}` : 'none') : ''}
      </span>
    </div>
  );
}

export default memo(SearchBox);
