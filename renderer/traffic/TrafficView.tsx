import { useEffect, useState } from 'react';
import type { ApiClient } from '../../src/api/contract';
import { bindTraffic, setPaused, setUnit, setWindow, startTraffic, stopTraffic, useTraffic, WINDOWS_S, type WindowS } from './store';
import SwitchTraffic from './SwitchTraffic';
import './traffic.css';

const WINDOW_LABEL: Record<WindowS, string> = { 60: '1 min', 300: '5 min', 900: '15 min' };

/**
 * The traffic view: per switch a live chart of throughput and packets split by host, top talkers, drops
 * and errors, and captures. Mounted always (it keeps the slice bound to the core's events, which the
 * canvas reads too); drawn only when open.
 */
export default function TrafficView({ client, open, onClose }: { client: ApiClient; open: boolean; onClose: () => void }) {
  const phase = useTraffic((s) => s.trafficPhase);
  const file = useTraffic((s) => s.trafficFile);
  const error = useTraffic((s) => s.trafficError);
  const shown = useTraffic((s) => s.trafficShown);
  const paused = useTraffic((s) => s.trafficPaused);
  const windowS = useTraffic((s) => s.trafficWindowS);
  const unit = useTraffic((s) => s.trafficUnit);
  const [draft, setDraft] = useState(file);

  useEffect(() => bindTraffic(client), [client]);
  if (!open) return null;

  const watching = phase === 'watching';
  const problems = shown?.sources.filter((s) => s.state !== 'streaming') ?? [];
  return (
    <div className="traffic-view" data-testid="traffic-view" role="region" aria-label="Traffic">
      <div className="traffic-toolbar">
        <h3>Traffic</h3>
        <input aria-label="Datacenter document" className="traffic-file" placeholder="datacenter.yaml (a path on the core's machine)" value={draft} onChange={(e) => setDraft(e.target.value)} disabled={watching} />
        {watching ? (
          <button type="button" onClick={() => void stopTraffic(client)}>
            Stop
          </button>
        ) : (
          <button type="button" className="primary" disabled={!draft.trim() || phase === 'starting'} onClick={() => void startTraffic(client, draft.trim())}>
            {phase === 'starting' ? 'Starting…' : 'Watch'}
          </button>
        )}
        <button type="button" aria-pressed={paused} onClick={() => setPaused(!paused)} disabled={!watching}>
          {paused ? 'Resume' : 'Pause'}
        </button>
        <label>
          Window{' '}
          <select value={windowS} onChange={(e) => setWindow(Number(e.target.value) as WindowS)}>
            {WINDOWS_S.map((w) => (
              <option key={w} value={w}>
                {WINDOW_LABEL[w]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Units{' '}
          <select value={unit} onChange={(e) => setUnit(e.target.value === 'bytes' ? 'bytes' : 'bits')}>
            <option value="bits">bit/s</option>
            <option value="bytes">B/s</option>
          </select>
        </label>
        <span className="spacer" />
        <button type="button" className="icon-button" aria-label="Close the traffic view" onClick={onClose}>
          ×
        </button>
      </div>
      {error && <div className="panel-error">{error.message}</div>}
      {problems.map((p) => (
        <div key={p.id} className="traffic-source-problem">
          {p.id}: {p.state}
          {p.error ? ` — ${p.error.message}` : ''}
        </div>
      ))}
      <div className="traffic-switches">
        {!watching && <p className="muted">Name the datacenter document and watch its switches' live traffic.</p>}
        {watching && !shown && <p className="muted">Waiting for the first samples…</p>}
        {shown?.vnis.map((v) => <SwitchTraffic key={v.vni} client={client} rates={v} />)}
      </div>
    </div>
  );
}
