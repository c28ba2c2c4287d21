import { useCallback, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ApiClient, Candidate } from '../../src/api/contract';
import { candidateKey, inventoryAddresses, runDiscovery, useHosts, type HostsState } from '../store/hosts';
import CandidateRow from './CandidateRow';
import CredentialFields from './CredentialFields';
import { discoverInputOf } from './discover-form';
import Field from './Field';
import type { Credentials } from './host-form';
import Modal from './Modal';
import { errorText } from './status';

const selectDiscovery = (s: HostsState) => ({ candidates: s.candidates, discovery: s.discovery, views: s.hostViews });

/**
 * Sweeps the ranges the user types for SSH servers and, given a user and credentials, logs into each to
 * see whether VirtualBox is there. Rows stream in as the core finds and probes them.
 */
export default function DiscoverDialog({ client, onClose, onAdd }: { client: ApiClient; onClose: () => void; onAdd: (candidate: Candidate, credentials: Credentials) => void }) {
  const { candidates, discovery, views } = useHosts(useShallow(selectDiscovery));
  const [ranges, setRanges] = useState('');
  const [mdns, setMdns] = useState(false);
  const [credentials, setCredentials] = useState<Credentials>({ user: '', method: 'password', keyFile: '' });
  const [password, setPassword] = useState('');
  const [formError, setFormError] = useState<string>();
  // The credentials the shown rows were probed with, for "Add to inventory" to pre-fill (no password).
  const [sweptWith, setSweptWith] = useState<Credentials>(credentials);
  const running = discovery.phase === 'running';
  const known = inventoryAddresses(views);

  const start = (e: FormEvent) => {
    e.preventDefault();
    const made = discoverInputOf(ranges, mdns, credentials, password);
    if ('error' in made) return setFormError(made.error);
    setFormError(undefined);
    setPassword('');
    setSweptWith(credentials);
    void runDiscovery(client, made.input);
  };
  const add = useCallback((c: Candidate) => onAdd(c, sweptWith), [onAdd, sweptWith]);

  return (
    <Modal title="Discover VirtualBox hosts" testId="discover-dialog" onClose={onClose} wide>
      <form className="discover-form" onSubmit={start} noValidate>
        <Field label="Ranges to sweep" error={formError} testId="discover-ranges" hint="CIDR ranges or addresses, separated by commas or spaces. Only these are swept.">
          {(p) => <input {...p} value={ranges} onChange={(e) => setRanges(e.target.value)} placeholder="192.168.1.0/24, 10.0.0.5" autoFocus spellCheck={false} data-testid="discover-ranges" />}
        </Field>
        <label className="checkbox">
          <input type="checkbox" checked={mdns} onChange={(e) => setMdns(e.target.checked)} data-testid="discover-mdns" />
          Also listen for hosts announcing SSH over mDNS (Bonjour/Avahi) on this LAN
        </label>
        <div className="discover-credentials">
          <CredentialFields
            value={credentials}
            password={password}
            testIdPrefix="discover"
            userHint="Optional: with a user, DCoD logs in to check for VirtualBox."
            onChange={(patch) => setCredentials((c) => ({ ...c, ...patch }))}
            onPassword={setPassword}
          />
        </div>
        <div className="form-actions">
          <span className="discover-state" role="status" aria-live="polite" data-testid="discover-state" data-phase={discovery.phase}>
            {running && <span className="spinner" aria-hidden="true" />}
            {discoveryText(discovery, candidates.length)}
          </span>
          <button type="submit" className="primary" disabled={running} data-testid="discover-start">
            {running ? 'Sweeping…' : 'Start'}
          </button>
        </div>
      </form>
      {discovery.phase === 'failed' && (
        <p className="form-error" role="alert" data-testid="discover-error">
          {errorText(discovery.error)}
        </p>
      )}
      {candidates.length > 0 && (
        <div className="candidates-wrap">
          <table className="candidates" data-testid="discover-results">
            <thead>
              <tr>
                <th scope="col">Address</th>
                <th scope="col">OS guess</th>
                <th scope="col">SSH banner</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="sr-only">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {candidates.map((c) => (
                <CandidateRow key={candidateKey(c)} candidate={c} probing={running && discovery.probing} inInventory={known.has(candidateKey(c))} onAdd={add} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Modal>
  );
}

function discoveryText(discovery: HostsState['discovery'], found: number): string {
  const servers = `${found} SSH server${found === 1 ? '' : 's'}`;
  switch (discovery.phase) {
    case 'idle':
      return 'Nothing swept yet.';
    case 'running':
      return `Sweeping ${discovery.ranges.join(', ')}… ${servers} so far`;
    case 'done':
      return `Done: ${servers} in ${discovery.ranges.join(', ')}.`;
    case 'failed':
      return 'The sweep failed.';
  }
}
