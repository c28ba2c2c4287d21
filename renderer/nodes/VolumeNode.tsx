import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { formatMb } from '../hosts/status';
import type { EditorNode, VolumeData } from '../editor/graph';
import Port from './Port';
import ProblemBadge from './ProblemBadge';

function VolumeNode({ data, selected }: NodeProps<EditorNode>) {
  const d = data as VolumeData;
  return (
    <div className={`node node-volume${selected ? ' is-selected' : ''}${d.problem ? ' has-problem' : ''}${d.attached ? '' : ' is-detached'}`} data-testid={`node-volume-${d.name}`}>
      <Port side="top" />
      <span className="node-icon node-icon-volume" aria-hidden="true" />
      <div className="node-text">
        <div className="node-name">{d.name}</div>
        <div className="node-facts">
          {formatMb(d.sizeMb)} {d.format}
          {d.attached ? '' : ' · detached'}
        </div>
      </div>
      <ProblemBadge problem={d.problem} count={d.problems} />
    </div>
  );
}

export default memo(VolumeNode);
