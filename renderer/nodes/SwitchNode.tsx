import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { EditorNode, SwitchData } from '../editor/graph';
import Port from './Port';
import ProblemBadge from './ProblemBadge';

function SwitchNode({ data, selected }: NodeProps<EditorNode>) {
  const d = data as SwitchData;
  return (
    <div className={`node node-switch${selected ? ' is-selected' : ''}${d.problem ? ' has-problem' : ''}`} data-testid={`node-switch-${d.name}`}>
      <Port side="bottom" />
      <span className="node-icon node-icon-switch" aria-hidden="true" />
      <div className="node-text">
        <div className="node-name">{d.name}</div>
        <div className="node-facts">
          VNI {d.vni}
          {d.subnet ? ` · ${d.subnet}` : ''}
          {d.dhcp ? ' · DHCP' : ''}
        </div>
        <div className="node-facts muted">
          {d.ports} port{d.ports === 1 ? '' : 's'}
          {d.mtu ? ` · MTU ${d.mtu}` : ''}
        </div>
      </div>
      <ProblemBadge problem={d.problem} count={d.problems} />
    </div>
  );
}

export default memo(SwitchNode);
