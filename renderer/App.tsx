import { ReactFlowProvider } from '@xyflow/react';
import { useEffect, useState } from 'react';
import logo from '../assets/icon.svg';
import type { Connection } from './api';
import Canvas from './canvas/Canvas';
import ActivityPanel from './panels/ActivityPanel';
import HostsPanel from './panels/HostsPanel';
import InspectorPanel from './panels/InspectorPanel';
import PalettePanel from './panels/PalettePanel';
import { useApp } from './store/app';
import { ClientContext } from './review/client-context';
import DocumentBar from './review/DocumentBar';
import ReviewPanel from './review/ReviewPanel';
import { bindEditorToHosts } from './store/editor';
import { bindHosts, loadHosts } from './store/hosts';
import { bindReview } from './store/review';
import TrafficView from './traffic/TrafficView';
import DatacenterOps from './snapshot/DatacenterOps';

const CONNECTION_LABEL = { open: 'connected', connecting: 'connecting…', closed: 'disconnected — retrying' } as const;

export default function App({ connection }: { connection: Connection }) {
  const theme = useApp((s) => s.theme);
  const setTheme = useApp((s) => s.setTheme);
  const state = useApp((s) => s.connection);
  const [trafficOpen, setTrafficOpen] = useState(false);
  const [opsOpen, setOpsOpen] = useState(false);

  useEffect(() => {
    const { client } = connection;
    const { setConnection, addActivity } = useApp.getState();
    setConnection(connection.state);
    const offState = connection.onState((s) => {
      setConnection(s);
      // After a reconnect, catch up on what was logged, and the hosts' state, while the socket was down.
      if (s === 'open') {
        void client.call('activity.list').then(addActivity);
        void loadHosts(client);
      }
    });
    const offActivity = client.on('activity', (e) => addActivity([e]));
    const offHosts = bindHosts(client);
    void client.call('activity.list').then(addActivity);
    return () => {
      offState();
      offActivity();
      offHosts();
    };
  }, [connection]);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  // The canvas shows the hosts the hosts slice holds.
  useEffect(() => bindEditorToHosts(), []);
  // The pending-changes counter follows the canvas; apply progress lands on its nodes.
  useEffect(() => bindReview(connection.client), [connection]);

  return (
    <ClientContext.Provider value={connection.client}>
      <ReactFlowProvider>
        <div className="app" data-testid="app">
          <header className="topbar">
            <img src={logo} alt="" className="logo" />
            <h1>DCoD</h1>
            <span className="subtitle">Datacenter on Desk</span>
            <DocumentBar client={connection.client} />
            <span className="spacer" />
            <span className={`conn conn-${state}`} data-testid="connection" title={`via ${connection.transport}`}>
              {CONNECTION_LABEL[state]}
            </span>
            <button type="button" aria-pressed={trafficOpen} onClick={() => setTrafficOpen(!trafficOpen)}>
              Traffic
            </button>
            <button type="button" aria-pressed={opsOpen} onClick={() => setOpsOpen(!opsOpen)}>
              Snapshots &amp; bundles
            </button>
            <button type="button" onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')} aria-label="Toggle theme">
              {theme === 'dark' ? 'Light' : 'Dark'} theme
            </button>
          </header>
          <aside className="left">
            <HostsPanel client={connection.client} />
            <PalettePanel />
          </aside>
          <main className="center">
            <Canvas />
            <TrafficView client={connection.client} open={trafficOpen} onClose={() => setTrafficOpen(false)} />
            <DatacenterOps client={connection.client} open={opsOpen} onClose={() => setOpsOpen(false)} />
            <ReviewPanel client={connection.client} />
          </main>
          <aside className="right">
            <InspectorPanel />
          </aside>
          <footer className="bottom">
            <ActivityPanel />
          </footer>
        </div>
      </ReactFlowProvider>
    </ClientContext.Provider>
  );
}
