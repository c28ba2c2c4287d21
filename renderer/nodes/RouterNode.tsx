import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { EditorNode, RouterData } from '../editor/graph';
import NodeCard from './NodeCard';

function RouterNode({ data, selected }: NodeProps<EditorNode>) {
  const d = data as RouterData;
  return (
    <NodeCard kind="router" name={d.name} selected={selected} problem={d.problem} problems={d.problems} port="bottom">
      <div className="node-facts">
        {d.interfaces} interface{d.interfaces === 1 ? '' : 's'}
        {d.natUplink ? ' · NAT uplink' : ''}
      </div>
    </NodeCard>
  );
}

export default memo(RouterNode);
