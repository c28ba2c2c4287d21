import { memo } from 'react';
import type { Datacenter, Nic, Vm } from '../editor/model';
import type { Placed } from '../editor/validation';
import { useEditor } from '../store/editor';
import { fieldProblem, nameProblem, optionalText } from './checks';
import DraftField from './DraftField';
import { entityKit } from './form-kit';
import NumberField from './NumberField';
import SelectField from './SelectField';

const SCHEDULER = '';
const BRIDGED = '\u0000bridged';
const POWER = [
  { value: 'running', label: 'Running' },
  { value: 'stopped', label: 'Stopped' },
] as const;
const CHIPSETS = [
  { value: 'piix3', label: 'PIIX3' },
  { value: 'ich9', label: 'ICH9' },
] as const;

/** A VM: its resources, image, power, host, NICs and disks. */
function VmForm({ vm, doc, placed, hostNames }: { vm: Vm; doc: Datacenter; placed: Placed; hostNames: readonly string[] }) {
  const k = entityKit(doc, 'vm', vm.name);
  const problem = (field: string) => fieldProblem(placed, k.id, field);
  const host = doc.placement[vm.name] ?? SCHEDULER;
  const hosts = [{ value: SCHEDULER, label: 'Any (the scheduler picks)' }, ...[...new Set([...hostNames, ...(host ? [host] : [])])].map((h) => ({ value: h, label: h }))];
  const switches = [...doc.switches.map((s) => ({ value: s.name, label: `${s.name} (VNI ${s.vni})` })), { value: BRIDGED, label: 'Bridged to the LAN' }];
  const setNics = (nics: Nic[]) => k.update({ nics }, 'NICs');
  const freeVolumes = doc.volumes.filter((v) => !doc.vms.some((o) => o.volumes.includes(v.name)));

  return (
    <div className="inspector-form" data-testid="inspector-vm">
      <DraftField label="Name" value={vm.name} testId="inspect-name" refuse={(t) => nameProblem(doc, 'vm', vm.name, t)} onCommit={k.rename} />
      <SelectField label="Host" value={host} choices={hosts} testId="inspect-host" problem={problem('host')} onChange={(h) => useEditor.getState().run('place', { vm: vm.name, host: h === SCHEDULER ? undefined : h })} />
      <div className="form-grid">
        <NumberField label="vCPUs" value={vm.cpus} testId="inspect-cpus" problem={problem('cpus')} preview={(cpus) => k.preview({ cpus }, 'cpus')} onCommit={(cpus) => k.update({ cpus }, 'CPUs')} />
        <NumberField label="Memory (MB)" value={vm.memoryMb} testId="inspect-memory" problem={problem('memoryMb')} preview={(memoryMb) => k.preview({ memoryMb }, 'memoryMb')} onCommit={(memoryMb) => k.update({ memoryMb }, 'memory')} />
        <SelectField label="Power" value={vm.power} choices={POWER} testId="inspect-power" onChange={(p) => k.update({ power: p as Vm['power'] }, 'power')} />
        <SelectField label="Chipset" value={vm.chipset} choices={CHIPSETS} testId="inspect-chipset" onChange={(c) => k.update({ chipset: c as Vm['chipset'] }, 'chipset')} />
      </div>
      <DraftField
        label="Image"
        value={vm.image ?? ''}
        testId="inspect-image"
        placeholder="none: an empty VM"
        list="dcod-images"
        problem={problem('image')}
        preview={(t) => k.preview({ image: optionalText(t) }, 'image')}
        onCommit={(t) => k.update({ image: optionalText(t) }, 'image')}
      />
      <datalist id="dcod-images">
        {doc.images.map((i) => (
          <option key={i.name} value={i.name} />
        ))}
      </datalist>

      <fieldset className="inspector-list" data-testid="inspect-nics">
        <legend>NICs</legend>
        {vm.nics.map((nic, i) => (
          <div key={i} className="inspector-row">
            <span className="row-index">nic{i + 1}</span>
            <SelectField
              label="On"
              value={'switch' in nic ? nic.switch : BRIDGED}
              choices={'switch' in nic && !doc.switches.some((s) => s.name === nic.switch) ? [{ value: nic.switch, label: `${nic.switch} (missing)` }, ...switches] : switches}
              testId={`inspect-nic${i}-switch`}
              problem={problem(`nics[${i}]`)}
              onChange={(v) => setNics(vm.nics.map((n, j) => (j !== i ? n : v === BRIDGED ? { bridged: true, ...(n.mac ? { mac: n.mac } : {}) } : { switch: v, ...(n.mac ? { mac: n.mac } : {}), ...('address' in n && n.address ? { address: n.address } : {}) })))}
            />
            {'switch' in nic && (
              <DraftField
                label="Address"
                value={nic.address ?? ''}
                placeholder="DHCP"
                testId={`inspect-nic${i}-address`}
                preview={(t) => k.preview({ nics: vm.nics.map((n, j) => (j === i ? { ...nic, address: optionalText(t) } : n)) as Nic[] }, `nics[${i}].address`)}
                onCommit={(t) => setNics(vm.nics.map((n, j) => (j === i ? withOptional(nic, 'address', optionalText(t)) : n)))}
              />
            )}
            <button type="button" className="icon-button" aria-label={`Remove nic${i + 1}`} data-testid={`inspect-nic${i}-remove`} onClick={() => setNics(vm.nics.filter((_, j) => j !== i))}>
              ×
            </button>
          </div>
        ))}
        <button type="button" data-testid="inspect-nic-add" onClick={() => setNics([...vm.nics, doc.switches[0] ? { switch: doc.switches[0].name } : { bridged: true }])}>
          + NIC
        </button>
      </fieldset>

      <fieldset className="inspector-list" data-testid="inspect-disks">
        <legend>Disks</legend>
        {vm.volumes.map((v) => (
          <div key={v} className="inspector-row">
            <span className="chip">{v}</span>
            <button type="button" className="icon-button" aria-label={`Detach ${v}`} onClick={() => k.update({ volumes: vm.volumes.filter((x) => x !== v) }, 'disks')}>
              ×
            </button>
          </div>
        ))}
        {vm.volumes.length === 0 && freeVolumes.length === 0 && <p className="muted">Drop a volume from the palette onto the VM to give it a disk.</p>}
        {freeVolumes.length > 0 && (
          <SelectField label="Attach" value="" choices={[{ value: '', label: 'a detached volume…' }, ...freeVolumes.map((v) => ({ value: v.name, label: v.name }))]} testId="inspect-attach" onChange={(v) => v && k.update({ volumes: [...vm.volumes, v] }, 'disks')} />
        )}
      </fieldset>
      <DraftField
        label="Keep on another host than"
        value={vm.apartFrom.join(', ')}
        placeholder="VM names, comma separated"
        testId="inspect-apart"
        problem={problem('apartFrom')}
        preview={(t) => k.preview({ apartFrom: names(t) }, 'apartFrom')}
        onCommit={(t) => k.update({ apartFrom: names(t) }, 'anti-affinity')}
      />
    </div>
  );
}

const names = (text: string) => text.split(/[\s,]+/).filter(Boolean);

/** A copy of an object with one optional field set, or removed when undefined. */
function withOptional<T extends object, K extends keyof T>(o: T, key: K, value: T[K] | undefined): T {
  const out = { ...o };
  if (value === undefined) delete out[key];
  else out[key] = value;
  return out;
}

export default memo(VmForm);
