import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { formatMb } from '../hosts/status';
import type { EditorNode, VmData, VmStatus } from '../editor/graph';
import Port from './Port';
import ProblemBadge from './ProblemBadge';

/** What the chip on a VM says, by how it compares with its host's report. */
const STATUS: Readonly<Record<VmStatus, (d: VmData) => string>> = {
  new: () => 'to create',
  ok: (d) => (d.observed === 'running' ? 'running' : 'stopped'),
  drift: (d) => `${d.observed ?? '?'} → ${d.power}`,
  moving: (d) => `on ${d.observedHost ?? '?'} → move`,
  unknown: () => 'host unreachable',
  orphan: (d) => `${d.observed ?? '?'} · not in the document → delete`,
};

function VmNode({ data, selected }: NodeProps<EditorNode>) {
  const d = data as VmData;
  const running = d.status === 'ok' && d.observed === 'running';
  return (
    <div className={`node node-vm vm-${d.status}${running ? ' vm-running' : ''}${selected ? ' is-selected' : ''}${d.problem ? ' has-problem' : ''}`} data-testid={`node-vm-${d.name}`} data-status={d.status} data-observed={d.observed}>
      <Port side="top" />
      <span className="node-icon node-icon-vm" aria-hidden="true" />
      <div className="node-text">
        <div className="node-name">{d.name}</div>
        <div className="node-facts">
          {d.status === 'orphan' ? `on ${d.observedHost ?? '?'}` : `${d.cpus} vCPU · ${formatMb(d.memoryMb)}`}
          {d.image ? ` · ${d.image}` : ''}
          {d.bridged ? ' · bridged' : ''}
        </div>
        <div className={`vm-chip vm-chip-${d.status}`} data-testid="vm-status">
          <span className="vm-dot" aria-hidden="true" />
          {STATUS[d.status](d)}
        </div>
      </div>
      <ProblemBadge problem={d.problem} count={d.problems} />
    </div>
  );
}

export default memo(VmNode);
