import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { formatMb } from '../hosts/status';
import type { EditorNode, VolumeData } from '../editor/graph';
import NodeCard from './NodeCard';

function VolumeNode({ data, selected }: NodeProps<EditorNode>) {
  const d = data as VolumeData;
  return (
    <NodeCard kind="volume" name={d.name} selected={selected} problem={d.problem} problems={d.problems} port="top" modifiers={d.attached ? '' : ' is-detached'}>
      <div className="node-facts">
        {formatMb(d.sizeMb)} {d.format}
        {d.attached ? '' : ' · detached'}
      </div>
    </NodeCard>
  );
}

export default memo(VolumeNode);
