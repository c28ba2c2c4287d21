import { memo } from 'react';
import StatusText from '../hosts/StatusText';
import { formatMb } from '../hosts/status';
import type { HostData } from '../editor/graph';
import { nodeId } from '../editor/ids';
import type { Datacenter } from '../editor/model';
import { useEditor } from '../store/editor';

/** A host as the canvas sees it: its status, what the document puts on it, and its VMs (click to select). */
function HostInfo({ host, doc }: { host: HostData; doc: Datacenter }) {
  const vms = doc.vms.filter((v) => doc.placement[v.name] === host.name);
  return (
    <div className="inspector-form" data-testid="inspector-host">
      <h4 className="inspector-title">{host.name}</h4>
      <StatusText status={{ tone: host.tone, label: host.status }} />
      {!host.known && <p className="field-error">Not in the inventory: add it in the Hosts panel, or move its VMs to another host.</p>}
      <dl className="facts">
        <dt>vCPUs placed</dt>
        <dd>
          {host.cpuWanted} of {host.cpuTotal ?? '?'}
        </dd>
        <dt>Memory placed</dt>
        <dd>
          {formatMb(host.memWantedMb)} of {formatMb(host.memTotalMb)}
        </dd>
      </dl>
      <fieldset className="inspector-list">
        <legend>VMs</legend>
        {vms.length === 0 && <p className="muted">Drop a VM from the palette onto this host.</p>}
        {vms.map((v) => (
          <button key={v.name} type="button" className="link-button" onClick={() => useEditor.getState().select([nodeId('vm', v.name)])}>
            {v.name} <span className="muted">· {v.cpus} vCPU · {formatMb(v.memoryMb)}</span>
          </button>
        ))}
      </fieldset>
      <p className="muted">Its address and login are edited in the Hosts panel.</p>
    </div>
  );
}

export default memo(HostInfo);
