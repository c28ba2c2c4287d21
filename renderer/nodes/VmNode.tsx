import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { formatMb } from '../hosts/status';
import type { EditorNode, VmData, VmStatus } from '../editor/graph';
import NodeCard from './NodeCard';

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
    <NodeCard kind="vm" name={d.name} selected={selected} problem={d.problem} problems={d.problems} port="top" modifiers={` vm-${d.status}${running ? ' vm-running' : ''}`} attrs={{ 'data-status': d.status, 'data-observed': d.observed }}>
      <div className="node-facts">
        {d.status === 'orphan' ? `on ${d.observedHost ?? '?'}` : `${d.cpus} vCPU · ${formatMb(d.memoryMb)}`}
        {d.image ? ` · ${d.image}` : ''}
        {d.bridged ? ' · bridged' : ''}
      </div>
      <div className={`vm-chip vm-chip-${d.status}`} data-testid="vm-status">
        <span className="vm-dot" aria-hidden="true" />
        {STATUS[d.status](d)}
      </div>
    </NodeCard>
  );
}

export default memo(VmNode);
