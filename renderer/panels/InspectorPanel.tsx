import { useApp } from '../store/app';
import Panel from './Panel';

/** The form for whatever is selected on the canvas. */
export default function InspectorPanel() {
  const selection = useApp((s) => s.selection);
  return (
    <Panel title="Inspector" testId="panel-inspector">
      {selection.length === 0 ? (
        <p className="muted">Select a host, VM, switch, router or volume to see and edit it here.</p>
      ) : (
        <p>{selection.length} selected</p>
      )}
    </Panel>
  );
}
