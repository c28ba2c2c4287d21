import { memo, useState } from 'react';
import type { HostView } from '../../src/api/contract';
import HostKeyPrompt from './HostKeyPrompt';
import ResourceBar from './ResourceBar';
import { cpuGauge, hasProxy, hostStatus, memoryGauge, vmSummary } from './status';
import StatusText from './StatusText';

const timeOf = (iso: string) => new Date(iso).toLocaleTimeString([], { hour12: false });

export interface HostRowProps {
  readonly view: HostView;
  readonly refreshing: boolean;
  readonly onRefresh: (name: string) => void;
  readonly onRemove: (name: string) => void;
  readonly onAcceptKey: (name: string, fingerprint: string) => void;
}

/** One inventory host: how to reach it, what was read from it, and what can be done with it. */
function HostRow({ view, refreshing, onRefresh, onRemove, onAcceptKey }: HostRowProps) {
  const [confirming, setConfirming] = useState(false);
  const { host, observed } = view;
  const status = hostStatus(view);
  const vbox = observed?.vbox ? observed : undefined;
  return (
    <li className={`host host-${status.tone}`} data-testid={`host-${host.name}`} aria-busy={refreshing}>
      <div className="host-head">
        <span className="host-name">{host.name}</span>
        {refreshing && <span className="spinner" role="status" aria-label={`reading ${host.name}`} data-testid="host-refreshing" />}
        <span className="host-actions">
          <button type="button" className="icon-button" onClick={() => onRefresh(host.name)} disabled={refreshing} aria-label={`Refresh ${host.name}`} title="Read this host again">
            ⟳
          </button>
          <button type="button" className="icon-button" onClick={() => setConfirming(true)} aria-label={`Remove ${host.name}`} title="Remove from the inventory" data-testid="host-remove">
            ×
          </button>
        </span>
      </div>
      <div className="host-address muted">
        {host.user}@{host.address}
        {host.port === 22 ? '' : `:${host.port}`} · {host.os}
      </div>
      <StatusText status={status} testId="host-status" />
      {vbox && (
        <div className="host-figures" data-testid="host-figures">
          <ResourceBar label="CPU" gauge={cpuGauge(vbox)} />
          <ResourceBar label="RAM" gauge={memoryGauge(vbox.hostInfo?.memorySizeMb, vbox.hostInfo?.memoryAvailableMb)} />
          <div className="host-vms muted">{vmSummary(vbox.vms.length, hasProxy(vbox))}</div>
        </div>
      )}
      {observed && <div className="host-time muted">read {timeOf(observed.observedAt)}</div>}
      {view.pendingHostKey && <HostKeyPrompt name={host.name} fingerprint={view.pendingHostKey} changed={observed?.error?.code === 'HOST_KEY_CHANGED'} onAccept={onAcceptKey} />}
      {confirming && (
        <div className="confirm" role="alertdialog" aria-label={`Remove ${host.name}?`} data-testid="host-remove-confirm">
          <span>Remove {host.name} from the inventory? Its VMs stay on the host.</span>
          <button type="button" className="danger" autoFocus onClick={() => onRemove(host.name)}>
            Remove
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      )}
    </li>
  );
}

export default memo(HostRow);
