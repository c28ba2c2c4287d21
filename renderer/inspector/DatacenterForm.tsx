import { memo } from 'react';
import { setDatacenter } from '../editor/edits';
import { parseNodeId } from '../editor/ids';
import { Name, type Datacenter } from '../editor/model';
import type { Placed } from '../editor/validation';
import { useEditor } from '../store/editor';
import { documentProblem } from './checks';
import DraftField from './DraftField';
import NumberField from './NumberField';
import ProblemList from './ProblemList';

const nameRefusal = (t: string) => {
  const p = Name.safeParse(t);
  return p.success ? undefined : (p.error.issues[0]?.message ?? 'not a valid name');
};

/** With nothing selected: the datacenter itself, and every problem in it (click one to go to its node). */
function DatacenterForm({ doc, placed }: { doc: Datacenter; placed: Placed }) {
  const run = useEditor.getState().run;
  const mtuProblem = placed.general.find((d) => d.path === 'underlayMtu')?.message;
  const flagged = [...placed.byNode.entries()];
  return (
    <div className="inspector-form" data-testid="inspector-datacenter">
      <DraftField label="Datacenter" value={doc.metadata.name} testId="inspect-dc-name" refuse={nameRefusal} onCommit={(name) => run('datacenter', { name })} />
      <NumberField
        label="Underlay MTU"
        value={doc.underlayMtu}
        testId="inspect-dc-mtu"
        hint="The LAN between hosts; more than 1500 only with jumbo frames"
        problem={mtuProblem}
        preview={(underlayMtu) => documentProblem(setDatacenter(doc, { underlayMtu }), 'underlayMtu')}
        onCommit={(underlayMtu) => run('datacenter', { underlayMtu })}
      />
      <p className="muted">
        {doc.vms.length} VMs · {doc.switches.length} switches · {doc.routers.length} routers · {doc.volumes.length} volumes
      </p>
      <ProblemList problems={placed.general} testId="inspect-dc-problems" />
      {flagged.length > 0 && (
        <fieldset className="inspector-list" data-testid="inspect-flagged">
          <legend>Needs attention</legend>
          {flagged.map(([id, problems]) => (
            <button key={id} type="button" className="link-button problem-link" onClick={() => useEditor.getState().select([id])}>
              <strong>{parseNodeId(id)?.name}</strong> <span className="muted">{problems[0]?.field}</span> {problems[0]?.message}
            </button>
          ))}
        </fieldset>
      )}
    </div>
  );
}

export default memo(DatacenterForm);
