import { Handle, Position } from '@xyflow/react';
import { memo } from 'react';

/**
 * The one connection point of a node. The canvas connects in "loose" mode and edges float between node
 * borders, so a port only says where a drag to draw an edge starts; dropping anywhere on the other node
 * connects too.
 */
function Port({ side }: { side: 'top' | 'bottom' }) {
  return <Handle type="source" position={side === 'top' ? Position.Top : Position.Bottom} className="port" />;
}

export default memo(Port);
