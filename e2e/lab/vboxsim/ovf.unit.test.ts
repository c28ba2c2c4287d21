import { describe, expect, it } from 'vitest';
import { buildOvf, formatManifest, OVF_DISK_FORMAT, parseManifest, parseOvf, type OvfVirtualSystem } from './ovf';

const SYSTEM: OvfVirtualSystem = {
  name: 'proxy',
  ostype: 'Linux26_64',
  description: 'DCoD "proxy" <appliance> & more',
  cpus: 2,
  memoryMB: 512,
  chipset: 'ich9',
  nics: [
    { slot: 0, type: '82540EM', mode: 'Bridged', network: 'br0', mac: '080027000001', cable: true },
    { slot: 1, type: 'virtio', mode: 'Internal', network: 'overlay 1', mac: '080027000002', cable: false },
    { slot: 2, type: 'Am79C973', mode: 'NAT', network: '', mac: '080027000003', cable: true },
  ],
  controllers: [{ instanceId: 3, bus: 'SATA', subType: 'AHCI' }],
  disks: [{ diskId: 'vmdisk1', href: 'proxy-disk001.vmdk', capacity: 2147483648, format: OVF_DISK_FORMAT, controller: 3, port: 0 }],
  extradata: { 'VBoxInternal/Devices/pcbios/0/Config/DmiSystemProduct': 'dcod-proxy' },
  hasVBoxMachine: true,
};

describe('OVF descriptors', () => {
  it('round-trips a system through its descriptor', () => {
    const xml = buildOvf({ systems: [SYSTEM] });
    expect(xml.startsWith('<?xml version="1.0"?>\n<Envelope ovf:version="1.0"')).toBe(true);
    expect(parseOvf(xml)).toEqual({ systems: [SYSTEM] });
  });

  it('reads a plain OVF (no <vbox:Machine>) from its hardware items', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<Envelope xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1" xmlns:rasd="x">
  <References><File ovf:href="box-disk1.vmdk" ovf:id="file1"/></References>
  <DiskSection><Info>d</Info><Disk ovf:capacity="85899345920" ovf:diskId="vmdisk1" ovf:fileRef="file1" ovf:format="${OVF_DISK_FORMAT}"/></DiskSection>
  <VirtualSystem ovf:id="precise64">
    <OperatingSystemSection ovf:id="93"><Info>os</Info><Description>Ubuntu_64</Description></OperatingSystemSection>
    <VirtualHardwareSection>
      <Item><rasd:InstanceID>1</rasd:InstanceID><rasd:ResourceType>3</rasd:ResourceType><rasd:VirtualQuantity>2</rasd:VirtualQuantity></Item>
      <Item><rasd:AllocationUnits>byte * 2^20</rasd:AllocationUnits><rasd:InstanceID>2</rasd:InstanceID><rasd:ResourceType>4</rasd:ResourceType><rasd:VirtualQuantity>384</rasd:VirtualQuantity></Item>
      <Item><rasd:InstanceID>5</rasd:InstanceID><rasd:ResourceSubType>AHCI</rasd:ResourceSubType><rasd:ResourceType>20</rasd:ResourceType></Item>
      <Item><rasd:AddressOnParent>0</rasd:AddressOnParent><rasd:HostResource>/disk/vmdisk1</rasd:HostResource><rasd:InstanceID>6</rasd:InstanceID><rasd:Parent>5</rasd:Parent><rasd:ResourceType>17</rasd:ResourceType></Item>
      <Item><rasd:Connection>NAT</rasd:Connection><rasd:InstanceID>7</rasd:InstanceID><rasd:ResourceSubType>E1000</rasd:ResourceSubType><rasd:ResourceType>10</rasd:ResourceType></Item>
    </VirtualHardwareSection>
  </VirtualSystem>
</Envelope>`;
    const [sys] = parseOvf(xml).systems;
    expect(sys).toMatchObject({ name: 'precise64', ostype: 'Ubuntu_64', cpus: 2, memoryMB: 384, hasVBoxMachine: false });
    expect(sys?.controllers).toEqual([{ instanceId: 5, bus: 'SATA', subType: 'AHCI' }]);
    expect(sys?.disks).toEqual([{ diskId: 'vmdisk1', href: 'box-disk1.vmdk', capacity: 85899345920, format: OVF_DISK_FORMAT, controller: 5, port: 0 }]);
    expect(sys?.nics).toEqual([{ slot: 0, type: '82540EM', mode: 'NAT', network: '', mac: '', cable: true }]);
  });

  it('refuses what is not an OVF envelope', () => {
    expect(() => parseOvf('<html></html>')).toThrow(/Envelope/);
    expect(() => parseOvf('<Envelope><unclosed></Envelope>')).toThrow(/mismatched/);
  });

  it('writes and reads SHA256 manifests', () => {
    const mf = formatManifest([{ name: 'a.ovf', sha256: 'AB'.repeat(32) }]);
    expect(mf).toBe(`SHA256 (a.ovf) = ${'AB'.repeat(32)}\n`);
    expect(parseManifest(mf).get('a.ovf')).toEqual({ algorithm: 'sha256', digest: 'ab'.repeat(32) });
  });
});
