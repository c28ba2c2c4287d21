import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { EditorNode, SwitchData } from '../editor/graph';
import NodeCard from './NodeCard';

function SwitchNode({ data, selected }: NodeProps<EditorNode>) {
  const d = data as SwitchData;
  return (
    <NodeCard kind="switch" name={d.name} selected={selected} problem={d.problem} problems={d.problems} port="bottom">
      <div className="node-facts">
        VNI {d.vni}
        {d.subnet ? ` · ${d.subnet}` : ''}
        {d.dhcp ? ' · DHCP' : ''}
      </div>
      <div className="node-facts muted">
        {d.ports} port{d.ports === 1 ? '' : 's'}
        {d.mtu ? ` · MTU ${d.mtu}` : ''}
      </div>
    </NodeCard>
  );
}

export default memo(SwitchNode);
