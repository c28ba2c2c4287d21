import { Background, BackgroundVariant, Controls, MiniMap, ReactFlow, type Edge, type Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useApp } from '../store/app';

// Module scope, so React Flow never sees new arrays and re-renders for nothing.
const NO_NODES: Node[] = [];
const NO_EDGES: Edge[] = [];

/** The datacenter canvas: hosts, VMs, switches, routers and volumes as one graph. */
export default function Canvas() {
  const theme = useApp((s) => s.theme);
  const nodes = NO_NODES;
  return (
    <div className="canvas" data-testid="canvas">
      <ReactFlow nodes={nodes} edges={NO_EDGES} colorMode={theme} fitView proOptions={{ hideAttribution: true }} aria-label="Datacenter canvas">
        <Background variant={BackgroundVariant.Dots} gap={20} size={1} />
        <Controls position="bottom-right" />
        <MiniMap position="top-right" pannable zoomable ariaLabel="Minimap" />
      </ReactFlow>
      {nodes.length === 0 && (
        <div className="canvas-empty" data-testid="canvas-empty">
          <h2>An empty datacenter</h2>
          <p>Add VirtualBox hosts in the Hosts panel, then drag VMs, switches, routers and volumes from the palette onto them.</p>
        </div>
      )}
    </div>
  );
}
