import { memo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { HostData } from '../editor/graph';
import { parseEdgeId, parseNodeId } from '../editor/ids';
import DatacenterForm from '../inspector/DatacenterForm';
import EdgeInfo from '../inspector/EdgeInfo';
import HostInfo from '../inspector/HostInfo';
import ProblemList from '../inspector/ProblemList';
import RouterForm from '../inspector/RouterForm';
import SelectionSummary from '../inspector/SelectionSummary';
import SwitchForm from '../inspector/SwitchForm';
import VmForm from '../inspector/VmForm';
import VolumeForm from '../inspector/VolumeForm';
import { useEditor, type EditorState } from '../store/editor';
import Panel from './Panel';

const selectInspector = (s: EditorState) => ({ selection: s.selection, doc: s.doc, placed: s.placed, hostNames: s.hostNames });
const selectHostData = (id: string | undefined) => (s: EditorState) => (id ? (s.graph.nodes.find((n) => n.id === id)?.data as HostData | undefined) : undefined);

/** The form for whatever is selected on the canvas; the datacenter's own when nothing is. */
function InspectorPanel() {
  const { selection, doc, placed, hostNames } = useEditor(useShallow(selectInspector));
  const only = selection.length === 1 ? selection[0]! : undefined;
  const ref = only ? parseNodeId(only) : undefined;
  const host = useEditor(selectHostData(ref?.kind === 'host' ? only : undefined));
  const problems = only ? (placed.byNode.get(only) ?? []) : [];

  let body;
  if (selection.length === 0) body = <DatacenterForm doc={doc} placed={placed} />;
  else if (selection.length > 1) body = <SelectionSummary ids={selection} />;
  else if (ref?.kind === 'host') body = host ? <HostInfo host={host} doc={doc} /> : null;
  else if (ref?.kind === 'vm') {
    const vm = doc.vms.find((v) => v.name === ref.name);
    body = vm ? (
      <VmForm key={vm.name} vm={vm} doc={doc} placed={placed} hostNames={hostNames} />
    ) : (
      <p className="muted" data-testid="inspector-orphan">
        <strong>{ref.name}</strong> runs on a host but is no longer in the document: the next apply deletes it. Undo the edit that removed it to keep it.
      </p>
    );
  } else if (ref?.kind === 'switch') {
    const sw = doc.switches.find((v) => v.name === ref.name);
    body = sw && <SwitchForm key={sw.name} sw={sw} doc={doc} placed={placed} />;
  } else if (ref?.kind === 'router') {
    const router = doc.routers.find((v) => v.name === ref.name);
    body = router && <RouterForm key={router.name} router={router} doc={doc} placed={placed} />;
  } else if (ref?.kind === 'volume') {
    const volume = doc.volumes.find((v) => v.name === ref.name);
    body = volume && <VolumeForm key={volume.name} volume={volume} doc={doc} placed={placed} />;
  } else if (only && parseEdgeId(only)) body = <EdgeInfo id={only} doc={doc} />;

  return (
    <Panel title={ref && ref.kind !== 'host' ? `Inspector · ${ref.kind === 'vm' ? 'VM' : ref.kind}` : 'Inspector'} testId="panel-inspector">
      {body}
      <ProblemList problems={problems} testId="inspect-problems" />
    </Panel>
  );
}

export default memo(InspectorPanel);
