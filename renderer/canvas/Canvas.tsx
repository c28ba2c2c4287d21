import {
  Background,
  BackgroundVariant,
  ConnectionMode,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection,
  type EdgeTypes,
  type FinalConnectionState,
  type IsValidConnection,
  type OnNodeDrag,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useEffect, useMemo, useRef, type DragEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ActionName, DocumentCommands, Env, Move, View } from '../editor/actions';
import { canConnect } from '../editor/edits';
import { NODE_SIZE } from '../editor/geometry';
import type { EditorNode } from '../editor/graph';
import { absolute, freeSpot, hostAt, vmAt } from '../editor/hit';
import { parseNodeId, type EntityKind } from '../editor/ids';
import { nodeTypes } from '../nodes/node-types';
import { PALETTE_MIME } from '../panels/PalettePanel';
import { useClient } from '../review/client-context';
import { useApp } from '../store/app';
import { useEditor, type EditorState } from '../store/editor';
import { reviewPlan, saveDocument } from '../store/review';
import { browserElk } from './elk';
import HelpOverlay from './HelpOverlay';
import LinkEdge from './LinkEdge';
import ProgressBar from './ProgressBar';
import SearchBox from './SearchBox';
import Toolbar from './Toolbar';
import { useShortcuts } from './useShortcuts';

// Module scope, so React Flow sees the same objects on every render.
const edgeTypes: EdgeTypes = { link: LinkEdge };
const FIT = { padding: 0.15, duration: 250 } as const;
const PRO = { hideAttribution: true } as const;
const MINIMAP_COLORS: Readonly<Record<string, string>> = { host: 'rgba(56,189,248,.18)', vm: '#38bdf8', switch: '#a78bfa', router: '#f59e0b', volume: '#34d399' };
const minimapColor = (n: EditorNode) => MINIMAP_COLORS[n.type ?? 'vm'] ?? '#94a3b8';
const ENTITY_KINDS = new Set(['vm', 'switch', 'router', 'volume']);

const selectCanvas = (s: EditorState) => ({
  nodes: s.graph.nodes,
  edges: s.graph.edges,
  onNodesChange: s.onNodesChange,
  onEdgesChange: s.onEdgesChange,
  helpOpen: s.helpOpen,
  searchOpen: s.searchOpen,
  busy: s.busy,
  empty: s.graph.nodes.length === 0,
});

const isValidConnection: IsValidConnection = (c) => {
  const a = parseNodeId(c.source);
  const b = parseNodeId(c.target);
  return Boolean(a && b && canConnect(a, b));
};

/** The node under a screen point, by the DOM (where a connection drag was let go). */
function nodeUnder(x: number, y: number): string | undefined {
  return document.elementFromPoint(x, y)?.closest('.react-flow__node')?.getAttribute('data-id') ?? undefined;
}

/**
 * The datacenter canvas: hosts as groups holding their VMs, switches, routers and volumes, with the
 * document's references as edges. Everything it changes goes through the editor's actions.
 */
export default function Canvas() {
  const theme = useApp((s) => s.theme);
  const { nodes, edges, onNodesChange, onEdgesChange, helpOpen, searchOpen, busy, empty } = useEditor(useShallow(selectCanvas));
  const flow = useReactFlow<EditorNode>();
  const frame = useRef<HTMLDivElement>(null);

  const view = useMemo<View>(
    () => ({
      fit: () => void flow.fitView(FIT),
      zoomIn: () => void flow.zoomIn({ duration: 150 }),
      zoomOut: () => void flow.zoomOut({ duration: 150 }),
      place: (size) => {
        const r = frame.current?.getBoundingClientRect();
        const middle = r ? flow.screenToFlowPosition({ x: r.left + r.width / 2, y: r.top + r.height / 2 }) : { x: 0, y: 0 };
        return freeSpot(useEditor.getState().graph.nodes, middle, size);
      },
    }),
    [flow],
  );
  const client = useClient();
  const fileCommands = useMemo<DocumentCommands | undefined>(
    () => (client ? { save: () => void saveDocument(client).catch(() => undefined), review: () => void reviewPlan(client) } : undefined),
    [client],
  );
  const env = useMemo<Env>(() => ({ view, elk: browserElk(), ...(fileCommands ? { document: fileCommands } : {}) }), [view, fileCommands]);
  const run = useCallback((name: ActionName) => useEditor.getState().run(name, undefined as never, env), [env]);
  useShortcuts(env);

  // A document opened without positions is laid out once (new documents get positions as things are dropped).
  const needsLayout = useEditor((s) => s.doc.vms.length + s.doc.switches.length + s.doc.routers.length + s.doc.volumes.length > 0 && Object.keys(s.doc.layout).length === 0);
  useEffect(() => {
    if (needsLayout) run('layout');
  }, [needsLayout, run]);

  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(PALETTE_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const kind = e.dataTransfer.getData(PALETTE_MIME);
      if (!ENTITY_KINDS.has(kind)) return;
      e.preventDefault();
      const k = kind as EntityKind;
      const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const size = NODE_SIZE[k];
      const at = { x: p.x - size.width / 2, y: p.y - size.height / 2 };
      const { graph, run: runAction } = useEditor.getState();
      if (k === 'vm') {
        const host = hostAt(graph.nodes, p);
        runAction('add', host ? { kind: k, at: { x: at.x - host.position.x, y: at.y - host.position.y }, host: host.data.name } : { kind: k, at }, env);
      } else if (k === 'volume') {
        const vm = vmAt(graph.nodes, p);
        runAction('add', vm ? { kind: k, at: { x: at.x, y: at.y + 90 }, vm: vm.data.name } : { kind: k, at }, env);
      } else runAction('add', { kind: k, at }, env);
    },
    [flow, env],
  );

  /** Where a dragged VM would land: the host under its centre. */
  const landing = useCallback(
    (n: EditorNode) => {
      const all = useEditor.getState().graph.nodes;
      const abs = flow.getInternalNode(n.id)?.internals.positionAbsolute ?? absolute(all, n);
      const host = hostAt(all, { x: abs.x + NODE_SIZE.vm.width / 2, y: abs.y + NODE_SIZE.vm.height / 2 });
      return { abs, host };
    },
    [flow],
  );

  const onNodeDrag: OnNodeDrag<EditorNode> = useCallback(
    (_e, node) => {
      if (node.type !== 'vm') return;
      useEditor.getState().setDropHost(landing(node).host?.data.name ?? null);
    },
    [landing],
  );

  const onNodeDragStop: OnNodeDrag<EditorNode> = useCallback(
    (_e, _node, dragged) => {
      const moves: Move[] = dragged.map((n) => {
        if (n.type !== 'vm') return { id: n.id, position: n.position };
        const { abs, host } = landing(n);
        return host ? { id: n.id, position: { x: abs.x - host.position.x, y: abs.y - host.position.y }, host: host.data.name } : { id: n.id, position: abs, host: null };
      });
      const s = useEditor.getState();
      s.setDropHost(null);
      s.run('move', moves, env);
    },
    [landing, env],
  );

  const onConnect = useCallback((c: Connection) => useEditor.getState().run('connect', { source: c.source, target: c.target }, env), [env]);

  // Letting go over a node's body (not its port) connects too.
  const onConnectEnd = useCallback(
    (e: MouseEvent | TouchEvent, state: FinalConnectionState) => {
      if (state.isValid || !state.fromNode) return;
      const point = 'changedTouches' in e ? e.changedTouches[0] : e;
      const target = point && nodeUnder(point.clientX, point.clientY);
      if (target && target !== state.fromNode.id && isValidConnection({ source: state.fromNode.id, target, sourceHandle: null, targetHandle: null })) {
        useEditor.getState().run('connect', { source: state.fromNode.id, target }, env);
      }
    },
    [env],
  );

  const focus = useCallback(
    (id: string) => {
      const s = useEditor.getState();
      const n = s.graph.nodes.find((x) => x.id === id);
      if (!n) return;
      s.select([id]);
      const at = absolute(s.graph.nodes, n);
      void flow.setCenter(at.x + (n.width ?? 0) / 2, at.y + (n.height ?? 0) / 2, { zoom: Math.max(flow.getZoom(), 1), duration: 250 });
    },
    [flow],
  );
  const closeSearch = useCallback(() => run('escape'), [run]);
  const closeHelp = useCallback(() => run('help'), [run]);

  return (
    <div className="canvas" data-testid="canvas" ref={frame} onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDrag={onNodeDrag}
        onNodeDragStop={onNodeDragStop}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        connectionMode={ConnectionMode.Loose}
        zIndexMode="manual"
        deleteKeyCode={null}
        disableKeyboardA11y
        onlyRenderVisibleElements
        minZoom={0.05}
        maxZoom={2.5}
        snapToGrid
        snapGrid={[8, 8]}
        colorMode={theme}
        fitView
        fitViewOptions={FIT}
        proOptions={PRO}
        aria-label="Datacenter canvas"
      >
        <Background variant={BackgroundVariant.Dots} gap={24} size={1} />
        <Controls position="bottom-right" showInteractive={false} />
        <MiniMap position="top-right" pannable zoomable ariaLabel="Minimap" nodeColor={minimapColor} nodeStrokeWidth={0} />
      </ReactFlow>
      <Toolbar run={run} />
      {searchOpen && <SearchBox onFocus={focus} onClose={closeSearch} />}
      {busy && <ProgressBar label={busy.label} />}
      {empty && (
        <div className="canvas-empty" data-testid="canvas-empty">
          <h2>An empty datacenter</h2>
          <p>Add VirtualBox hosts in the Hosts panel, then drag VMs, switches, routers and volumes from the palette onto them.</p>
          <p className="muted">
            Press <kbd>?</kbd> for every shortcut.
          </p>
        </div>
      )}
      {helpOpen && <HelpOverlay onClose={closeHelp} />}
    </div>
  );
}
