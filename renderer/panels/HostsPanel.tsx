import { useCallback, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import hostIcon from '../../assets/icons/host.svg';
import type { ApiClient, Candidate } from '../../src/api/contract';
import AddHostDialog from '../hosts/AddHostDialog';
import DiscoverDialog from '../hosts/DiscoverDialog';
import { draftFromCandidate, EMPTY_DRAFT, type Credentials, type HostDraft } from '../hosts/host-form';
import HostRow from '../hosts/HostRow';
import { errorText } from '../hosts/status';
import { acceptHostKey, refreshHosts, removeHost, useHosts, type HostsState } from '../store/hosts';
import Panel from './Panel';

const selectPanel = (s: HostsState) => ({ loaded: s.hostsLoaded, views: s.hostViews, refreshing: s.hostsRefreshing, error: s.hostsError, setError: s.setError });

/** VirtualBox hosts: the inventory with each host's status, and the ways to add to it. */
export default function HostsPanel({ client }: { client: ApiClient }) {
  const { loaded, views, refreshing, error, setError } = useHosts(useShallow(selectPanel));
  const [discovering, setDiscovering] = useState(false);
  // The Add form's starting values; null while it is closed. Never holds a password.
  const [draft, setDraft] = useState<HostDraft | null>(null);

  const onRefresh = useCallback((name: string) => void refreshHosts(client, [name]), [client]);
  const onRemove = useCallback((name: string) => void removeHost(client, name), [client]);
  const onAcceptKey = useCallback((name: string, fingerprint: string) => void acceptHostKey(client, name, fingerprint), [client]);
  const onAddCandidate = useCallback(
    (candidate: Candidate, credentials: Credentials) => setDraft(draftFromCandidate(candidate, credentials, new Set(useHosts.getState().hostViews.map((v) => v.host.name)))),
    [],
  );
  const busy = useMemo(() => new Set(refreshing), [refreshing]);

  const actions = (
    <div className="panel-actions">
      <button type="button" onClick={() => setDiscovering(true)} data-testid="hosts-discover">
        Discover
      </button>
      <button type="button" onClick={() => setDraft(EMPTY_DRAFT)} data-testid="hosts-add">
        Add
      </button>
      <button type="button" onClick={() => void refreshHosts(client)} disabled={!views.length || busy.size > 0} aria-label="Refresh all hosts" data-testid="hosts-refresh">
        {busy.size > 0 ? <span className="spinner" role="status" aria-label="refreshing" /> : '⟳'}
      </button>
    </div>
  );

  return (
    <Panel title="Hosts" testId="panel-hosts" actions={actions}>
      {error && (
        <div className="panel-error" role="alert" data-testid="hosts-error">
          <span>{errorText(error)}</span>
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => setError(null)}>
            ×
          </button>
        </div>
      )}
      {views.length > 0 ? (
        <ul className="hosts" data-testid="hosts-list">
          {views.map((v) => (
            <HostRow key={v.host.name} view={v} refreshing={busy.has(v.host.name)} onRefresh={onRefresh} onRemove={onRemove} onAcceptKey={onAcceptKey} />
          ))}
        </ul>
      ) : (
        <div className="empty-note" data-testid="hosts-empty">
          <img src={hostIcon} alt="" className="icon" />
          <p>{loaded ? 'No hosts yet.' : 'Loading…'}</p>
          <p className="muted">Find the VirtualBox hosts on your LAN with Discover, or Add one by its address.</p>
        </div>
      )}
      {discovering && <DiscoverDialog client={client} onClose={() => setDiscovering(false)} onAdd={onAddCandidate} />}
      {draft && <AddHostDialog client={client} initial={draft} onClose={() => setDraft(null)} />}
    </Panel>
  );
}
