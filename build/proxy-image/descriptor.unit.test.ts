import { describe, expect, it } from 'vitest';
import { DMI_SYSTEM_PRODUCT, PROXY_PRODUCT } from '../../e2e/lab/vboxsim/dmi';
import { OVF_DISK_FORMAT, parseOvf } from '../../e2e/lab/vboxsim/ovf';
import { attr, child, children, parseXml, type XmlElement } from '../../e2e/lab/vboxsim/xml';
import { buildApplianceOvf, uuidFrom, type ApplianceDescriptor } from './descriptor';
import { HARDWARE, IDS } from './spec';

const D: ApplianceDescriptor = {
  name: 'dcod-proxy',
  description: 'test appliance',
  ostype: 'Debian_64',
  cpus: 1,
  memoryMB: 256,
  nics: 36,
  nicType: 'virtio',
  macPrefix: HARDWARE.macPrefix,
  machineUuid: IDS.machineUuid,
  disk: { href: 'dcod-proxy-1.0.0-disk001.vmdk', capacityBytes: 1 << 30, uuid: IDS.diskUuid },
  extradata: { [DMI_SYSTEM_PRODUCT]: PROXY_PRODUCT },
  product: { name: 'dcod-proxy', version: '1.0.0', vendor: 'DCoD' },
};

function find(el: XmlElement, name: string): XmlElement {
  const c = child(el, name);
  if (!c) throw new Error(`no <${name}> in <${el.name}>`);
  return c;
}

describe('buildApplianceOvf', () => {
  it('parses with the lab simulator importer as an ICH9 VM with 36 virtio NICs, the product marker and one IDE disk', () => {
    const { systems } = parseOvf(buildApplianceOvf(D));
    expect(systems).toHaveLength(1);
    const s = systems[0]!;
    expect(s).toMatchObject({ name: 'dcod-proxy', ostype: 'Debian_64', cpus: 1, memoryMB: 256, chipset: 'ich9', hasVBoxMachine: true });
    expect(s.extradata[DMI_SYSTEM_PRODUCT]).toBe(PROXY_PRODUCT);
    expect(s.nics).toHaveLength(36);
    expect(s.nics.every((n) => n.type === 'virtio')).toBe(true);
    expect(s.nics.map((n) => n.slot)).toEqual([...Array(36).keys()]);
    expect(s.nics[0]).toMatchObject({ mode: 'NAT', mac: '080027DC0000' });
    expect(s.nics.slice(1).every((n) => n.mode === 'Null')).toBe(true);
    expect(new Set(s.nics.map((n) => n.mac)).size).toBe(36);
    expect(s.controllers).toEqual([{ instanceId: 3, bus: 'IDE', subType: 'PIIX4' }]);
    expect(s.disks).toEqual([{ diskId: 'vmdisk1', href: D.disk.href, capacity: 1 << 30, format: OVF_DISK_FORMAT, controller: 3, port: 0 }]);
  });

  it('attaches the disk the way VirtualBox matches it: bare vbox:uuid on the Disk, the same in braces on the Image', () => {
    const env = parseXml(buildApplianceOvf(D));
    const disk = find(find(env, 'DiskSection'), 'Disk');
    expect(attr(disk, 'uuid')).toBe(IDS.diskUuid);
    const machine = find(find(env, 'VirtualSystem'), 'Machine');
    expect(attr(machine, 'uuid')).toBe(`{${IDS.machineUuid}}`);
    // A child of the Machine, not of Hardware.
    const ctl = find(find(machine, 'StorageControllers'), 'StorageController');
    expect(child(find(machine, 'Hardware'), 'StorageControllers')).toBeUndefined();
    expect(attr(ctl, 'type')).toBe('PIIX4');
    expect(attr(find(find(ctl, 'AttachedDevice'), 'Image'), 'uuid')).toBe(`{${IDS.diskUuid}}`);
    const hw = find(machine, 'Hardware');
    expect(attr(find(find(hw, 'BIOS'), 'IOAPIC'), 'enabled')).toBe('true');
    expect(attr(find(find(hw, 'UART'), 'Port'), 'enabled')).toBe('true');
    expect(children(find(hw, 'Network'), 'Adapter')).toHaveLength(36);
  });

  it('escapes what it is given and refuses what VirtualBox would misread', () => {
    const xml = buildApplianceOvf({ ...D, description: 'a <b> & "c"', extradata: { k: 'v"<' } });
    expect(xml).toContain('a &lt;b&gt; &amp; &quot;c&quot;');
    expect(parseOvf(xml).systems[0]!.extradata.k).toBe('v"<');
    expect(() => buildApplianceOvf({ ...D, machineUuid: 'not-a-uuid' })).toThrow(/UUID/);
    expect(() => buildApplianceOvf({ ...D, nics: 37 })).toThrow(/36/);
  });
});

describe('uuidFrom', () => {
  it('gives the same valid version-4 UUID for the same name', () => {
    expect(uuidFrom('x')).toBe(uuidFrom('x'));
    expect(uuidFrom('x')).not.toBe(uuidFrom('y'));
    expect(uuidFrom('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
