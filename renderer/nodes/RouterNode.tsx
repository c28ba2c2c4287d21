import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { EditorNode, RouterData } from '../editor/graph';
import Port from './Port';
import ProblemBadge from './ProblemBadge';

function RouterNode({ data, selected }: NodeProps<EditorNode>) {
  const d = data as RouterData;
  return (
    <div className={`node node-router${selected ? ' is-selected' : ''}${d.problem ? ' has-problem' : ''}`} data-testid={`node-router-${d.name}`}>
      <Port side="bottom" />
      <span className="node-icon node-icon-router" aria-hidden="true" />
      <div className="node-text">
        <div className="node-name">{d.name}</div>
        <div className="node-facts">
          {d.interfaces} interface{d.interfaces === 1 ? '' : 's'}
          {d.natUplink ? ' · NAT uplink' : ''}
        </div>
      </div>
      <ProblemBadge problem={d.problem} count={d.problems} />
    </div>
  );
}

export default memo(RouterNode);
