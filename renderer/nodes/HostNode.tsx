import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import ResourceBar from '../hosts/ResourceBar';
import StatusText from '../hosts/StatusText';
import { formatMb, type Gauge } from '../hosts/status';
import type { EditorNode, HostData } from '../editor/graph';
import ProblemBadge from './ProblemBadge';

/** What the document asks of a host against what it has; over 100 % shows full and red. */
function allotted(wanted: number, total: number | undefined, text: string): Gauge {
  return total ? { used: wanted, total, fraction: Math.min(1, wanted / total), text } : { used: wanted, text };
}

/**
 * A VirtualBox host as a group: its VMs sit inside it. The bars show what the document places on it
 * (vCPUs, memory) against what it has, so overcommitting is visible while drawing.
 */
function HostNode({ data, selected }: NodeProps<EditorNode>) {
  const d = data as HostData;
  const cpu = allotted(d.cpuWanted, d.cpuTotal, `${d.cpuWanted} / ${d.cpuTotal ?? '?'} vCPU`);
  const mem = allotted(d.memWantedMb, d.memTotalMb, `${formatMb(d.memWantedMb)} / ${formatMb(d.memTotalMb)}`);
  return (
    <div className={`node-host host-tone-${d.tone}${d.known ? '' : ' host-unknown'}${selected ? ' is-selected' : ''}`} data-testid={`node-host-${d.name}`}>
      <header className="host-node-head">
        <span className="node-icon node-icon-host" aria-hidden="true" />
        <span className="node-name">{d.name}</span>
        <StatusText status={{ tone: d.tone, label: d.status }} />
        <span className="host-node-count">
          {d.vmCount} VM{d.vmCount === 1 ? '' : 's'}
        </span>
        <ProblemBadge problem={d.problem} count={d.problems} />
      </header>
      <div className="host-node-bars">
        <ResourceBar label="CPU" gauge={cpu} />
        <ResourceBar label="RAM" gauge={mem} />
      </div>
    </div>
  );
}

export default memo(HostNode);
