import { memo } from 'react';
import type { Datacenter, Router } from '../editor/model';
import type { Placed } from '../editor/validation';
import CheckField from './CheckField';
import { fieldProblem, nameProblem } from './checks';
import DraftField from './DraftField';
import { entityKit } from './form-kit';
import SelectField from './SelectField';

/** A router: one interface (an address) per switch it routes between, and its NAT uplink. */
function RouterForm({ router, doc, placed }: { router: Router; doc: Datacenter; placed: Placed }) {
  const k = entityKit(doc, 'router', router.name);
  const problem = (field: string) => fieldProblem(placed, k.id, field);
  const switches = doc.switches.map((s) => ({ value: s.name, label: s.subnet ? `${s.name} (${s.subnet})` : s.name }));
  const set = (interfaces: Router['interfaces']) => k.update({ interfaces: [...interfaces] }, 'interfaces');
  return (
    <div className="inspector-form" data-testid="inspector-router">
      <DraftField label="Name" value={router.name} testId="inspect-name" refuse={(t) => nameProblem(doc, 'router', router.name, t)} onCommit={k.rename} />
      <CheckField label="NAT uplink to the LAN" checked={router.natUplink} testId="inspect-nat" onChange={(natUplink) => k.update({ natUplink }, 'NAT uplink')} />
      <fieldset className="inspector-list" data-testid="inspect-interfaces">
        <legend>Interfaces</legend>
        {router.interfaces.length === 0 && <p className="field-error">No interface yet: draw an edge to a switch, or add one here.</p>}
        {router.interfaces.map((itf, i) => (
          <div key={i} className="inspector-row">
            <SelectField label="Switch" value={itf.switch} choices={switches.some((s) => s.value === itf.switch) ? switches : [{ value: itf.switch, label: `${itf.switch} (missing)` }, ...switches]} testId={`inspect-if${i}-switch`} problem={problem(`interfaces[${i}].switch`)} onChange={(v) => set(router.interfaces.map((x, j) => (j === i ? { ...x, switch: v } : x)))} />
            <DraftField
              label="Address"
              value={itf.address}
              placeholder="10.0.1.1"
              testId={`inspect-if${i}-address`}
              problem={problem(`interfaces[${i}].address`)}
              preview={(t) => k.preview({ interfaces: router.interfaces.map((x, j) => (j === i ? { ...x, address: t.trim() } : x)) }, `interfaces[${i}].address`)}
              onCommit={(t) => set(router.interfaces.map((x, j) => (j === i ? { ...x, address: t.trim() } : x)))}
            />
            <button type="button" className="icon-button" aria-label={`Remove interface ${i + 1}`} onClick={() => set(router.interfaces.filter((_, j) => j !== i))}>
              ×
            </button>
          </div>
        ))}
        {doc.switches[0] && (
          <button type="button" data-testid="inspect-if-add" onClick={() => set([...router.interfaces, { switch: doc.switches[0]!.name, address: '' }])}>
            + Interface
          </button>
        )}
      </fieldset>
    </div>
  );
}

export default memo(RouterForm);
