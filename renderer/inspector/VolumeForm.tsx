import { memo } from 'react';
import type { Datacenter, Volume } from '../editor/model';
import type { Placed } from '../editor/validation';
import { fieldProblem, nameProblem } from './checks';
import DraftField from './DraftField';
import { entityKit } from './form-kit';
import NumberField from './NumberField';
import SelectField from './SelectField';

const FORMATS = [
  { value: 'vdi', label: 'VDI (VirtualBox)' },
  { value: 'vmdk', label: 'VMDK' },
] as const;

/** A volume: its size and format, and the VMs it is attached to. */
function VolumeForm({ volume, doc, placed }: { volume: Volume; doc: Datacenter; placed: Placed }) {
  const k = entityKit(doc, 'volume', volume.name);
  const problem = (field: string) => fieldProblem(placed, k.id, field);
  const users = doc.vms.filter((v) => v.volumes.includes(volume.name)).map((v) => v.name);
  return (
    <div className="inspector-form" data-testid="inspector-volume">
      <DraftField label="Name" value={volume.name} testId="inspect-name" refuse={(t) => nameProblem(doc, 'volume', volume.name, t)} onCommit={k.rename} />
      <div className="form-grid">
        <NumberField label="Size (MB)" value={volume.sizeMb} testId="inspect-size" problem={problem('sizeMb')} preview={(sizeMb) => k.preview({ sizeMb }, 'sizeMb')} onCommit={(sizeMb) => k.update({ sizeMb }, 'size')} />
        <SelectField label="Format" value={volume.format} choices={FORMATS} testId="inspect-format" onChange={(f) => k.update({ format: f as Volume['format'] }, 'format')} />
      </div>
      <p className="muted">{users.length ? `Attached to ${users.join(', ')}.` : 'Detached: draw an edge to a VM to attach it.'}</p>
    </div>
  );
}

export default memo(VolumeForm);
