import { memo } from 'react';
import type { Datacenter, Switch } from '../editor/model';
import type { Placed } from '../editor/validation';
import CheckField from './CheckField';
import { fieldProblem, nameProblem, optionalText } from './checks';
import DraftField from './DraftField';
import { entityKit } from './form-kit';
import NumberField from './NumberField';

/** A switch: its VNI (one VxLAN segment across hosts), subnet, DHCP and guest MTU. */
function SwitchForm({ sw, doc, placed }: { sw: Switch; doc: Datacenter; placed: Placed }) {
  const k = entityKit(doc, 'switch', sw.name);
  const problem = (field: string) => fieldProblem(placed, k.id, field);
  return (
    <div className="inspector-form" data-testid="inspector-switch">
      <DraftField label="Name" value={sw.name} testId="inspect-name" refuse={(t) => nameProblem(doc, 'switch', sw.name, t)} onCommit={k.rename} />
      <div className="form-grid">
        <NumberField label="VNI" value={sw.vni} testId="inspect-vni" problem={problem('vni')} preview={(vni) => k.preview({ vni }, 'vni')} onCommit={(vni) => k.update({ vni }, 'VNI')} />
        <NumberField
          label="Guest MTU"
          value={sw.mtu}
          testId="inspect-mtu"
          hint={`empty: ${doc.underlayMtu - 50} (underlay − VxLAN)`}
          problem={problem('mtu')}
          preview={(mtu) => k.preview({ mtu }, 'mtu')}
          onCommit={(mtu) => k.update({ mtu }, 'MTU')}
        />
      </div>
      <DraftField
        label="Subnet"
        value={sw.subnet ?? ''}
        placeholder="10.0.1.0/24"
        testId="inspect-subnet"
        problem={problem('subnet')}
        preview={(t) => k.preview({ subnet: optionalText(t) }, 'subnet')}
        onCommit={(t) => k.update({ subnet: optionalText(t) }, 'subnet')}
      />
      <CheckField label="Serve DHCP on it" checked={sw.dhcp} testId="inspect-dhcp" onChange={(dhcp) => k.update({ dhcp }, 'DHCP')} />
    </div>
  );
}

export default memo(SwitchForm);
