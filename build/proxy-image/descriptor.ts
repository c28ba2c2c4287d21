// The appliance's OVF 1.0 descriptor, in the shape VirtualBox itself exports: standard OVF sections
// (any OVF reader sees one CPU, the memory, an IDE controller, the disk and 36 Ethernet adapters) plus
// <vbox:Machine>, the complete machine in VirtualBox's settings format, which VirtualBox's importer
// prefers and which alone can say "ICH9 chipset", "virtio adapters" and carry extra data.
//
// Details VirtualBox insists on: the Disk's vbox:uuid is written bare while the machine's <Image uuid>
// is in braces, and both must be the same, valid UUID; <StorageControllers> is a child of the Machine,
// not of <Hardware>; an ICH9 machine needs its I/O APIC.
import { createHash } from 'node:crypto';
import { escapeXml } from '../../e2e/lab/vboxsim/xml';

export interface ApplianceDescriptor {
  readonly name: string;
  readonly description: string;
  readonly ostype: string;
  readonly cpus: number;
  readonly memoryMB: number;
  readonly nics: number;
  readonly nicType: 'virtio' | '82540EM';
  readonly macPrefix: string;
  readonly machineUuid: string;
  readonly disk: { readonly href: string; readonly capacityBytes: number; readonly uuid: string };
  /** Written into <ExtraData>: the DMI product marker, and anything else the VM should start with. */
  readonly extradata: Readonly<Record<string, string>>;
  /** Shown by OVF readers in their product section. */
  readonly product: { readonly name: string; readonly version: string; readonly vendor: string };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const OS_IDS: Record<string, number> = { Debian_64: 96, Debian: 95, Linux_64: 101, Linux26_64: 101 };
const NIC_SUBTYPE = { virtio: 'virtio-net', '82540EM': 'E1000' } as const;

/** A syntactically valid version-4 UUID from a name, for reproducible descriptors of test appliances. */
export function uuidFrom(name: string): string {
  const h = createHash('sha256').update(name).digest();
  h[6] = ((h[6] as number) & 0x0f) | 0x40;
  h[8] = ((h[8] as number) & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

function rasdItem(fields: readonly (readonly [string, string | number])[]): string[] {
  return ['      <Item>', ...fields.map(([k, v]) => `        <rasd:${k}>${escapeXml(String(v))}</rasd:${k}>`), '      </Item>'];
}

export function buildApplianceOvf(d: ApplianceDescriptor): string {
  for (const u of [d.machineUuid, d.disk.uuid]) if (!UUID.test(u)) throw new Error(`not a valid lower-case UUID: ${u}`);
  if (!/^[0-9A-F]{10}$/.test(d.macPrefix)) throw new Error('macPrefix must be 10 upper-case hex digits');
  if (d.nics < 1 || d.nics > 36) throw new Error('an ICH9 VM has 1 to 36 network adapters');
  const osId = OS_IDS[d.ostype] ?? 101;
  // Slot 1 (index 0) on NAT so the appliance started by hand gets an address; the app bridges it to
  // the host's LAN. The overlay ports start on "not attached" until the app wires them.
  const mode = (slot: number): { connection: string; xml: string } =>
    slot === 0 ? { connection: 'NAT', xml: '<NAT/>' } : { connection: 'Null', xml: '' };
  const mac = (slot: number) => `${d.macPrefix}${slot.toString(16).toUpperCase().padStart(2, '0')}`;

  const out: string[] = [
    '<?xml version="1.0"?>',
    '<Envelope ovf:version="1.0" xml:lang="en-US" xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1" xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData" xmlns:vssd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:vbox="http://www.virtualbox.org/ovf/machine">',
    '  <References>',
    `    <File ovf:id="file1" ovf:href="${escapeXml(d.disk.href)}"/>`,
    '  </References>',
    '  <DiskSection>',
    '    <Info>List of the virtual disks used in the package</Info>',
    `    <Disk ovf:capacity="${d.disk.capacityBytes}" ovf:diskId="vmdisk1" ovf:fileRef="file1" ovf:format="http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized" vbox:uuid="${d.disk.uuid}"/>`,
    '  </DiskSection>',
    '  <NetworkSection>',
    '    <Info>Logical networks used in the package</Info>',
    ...['NAT', 'Null'].flatMap((n) => [`    <Network ovf:name="${n}">`, '      <Description>Logical network used by this appliance.</Description>', '    </Network>']),
    '  </NetworkSection>',
    `  <VirtualSystem ovf:id="${escapeXml(d.name)}">`,
    '    <Info>A virtual machine</Info>',
    '    <ProductSection>',
    '      <Info>Meta-information about the installed software</Info>',
    `      <Product>${escapeXml(d.product.name)}</Product>`,
    `      <Vendor>${escapeXml(d.product.vendor)}</Vendor>`,
    `      <Version>${escapeXml(d.product.version)}</Version>`,
    '    </ProductSection>',
    `    <OperatingSystemSection ovf:id="${osId}">`,
    '      <Info>The kind of installed guest operating system</Info>',
    `      <Description>${escapeXml(d.ostype)}</Description>`,
    `      <vbox:OSType ovf:required="false">${escapeXml(d.ostype)}</vbox:OSType>`,
    '    </OperatingSystemSection>',
    '    <VirtualHardwareSection>',
    '      <Info>Virtual hardware requirements for a virtual machine</Info>',
    '      <System>',
    '        <vssd:ElementName>Virtual Hardware Family</vssd:ElementName>',
    '        <vssd:InstanceID>0</vssd:InstanceID>',
    `        <vssd:VirtualSystemIdentifier>${escapeXml(d.name)}</vssd:VirtualSystemIdentifier>`,
    '        <vssd:VirtualSystemType>virtualbox-2.2</vssd:VirtualSystemType>',
    '      </System>',
    ...rasdItem([['Caption', `${d.cpus} virtual CPU`], ['Description', 'Number of virtual CPUs'], ['ElementName', `${d.cpus} virtual CPU`], ['InstanceID', 1], ['ResourceType', 3], ['VirtualQuantity', d.cpus]]),
    ...rasdItem([['AllocationUnits', 'MegaBytes'], ['Caption', `${d.memoryMB} MB of memory`], ['Description', 'Memory Size'], ['ElementName', `${d.memoryMB} MB of memory`], ['InstanceID', 2], ['ResourceType', 4], ['VirtualQuantity', d.memoryMB]]),
    ...rasdItem([['Address', 0], ['Caption', 'ideController0'], ['Description', 'IDE Controller'], ['ElementName', 'ideController0'], ['InstanceID', 3], ['ResourceSubType', 'PIIX4'], ['ResourceType', 5]]),
    ...rasdItem([['AddressOnParent', 0], ['Caption', 'disk1'], ['Description', 'Disk Image'], ['ElementName', 'disk1'], ['HostResource', '/disk/vmdisk1'], ['InstanceID', 4], ['Parent', 3], ['ResourceType', 17]]),
  ];
  for (let slot = 0; slot < d.nics; slot++) {
    const caption = `Ethernet adapter on '${mode(slot).connection}'`;
    out.push(
      ...rasdItem([['AutomaticAllocation', 'true'], ['Caption', caption], ['Connection', mode(slot).connection], ['ElementName', caption], ['InstanceID', 5 + slot], ['ResourceSubType', NIC_SUBTYPE[d.nicType]], ['ResourceType', 10]]),
    );
  }
  out.push(
    '    </VirtualHardwareSection>',
    `    <vbox:Machine ovf:required="false" version="1.16-linux" uuid="{${d.machineUuid}}" name="${escapeXml(d.name)}" OSType="${escapeXml(d.ostype)}" snapshotFolder="Snapshots">`,
    '      <ovf:Info>Complete VirtualBox machine configuration in VirtualBox format</ovf:Info>',
    `      <Description>${escapeXml(d.description)}</Description>`,
    '      <ExtraData>',
    ...Object.entries(d.extradata).map(([k, v]) => `        <ExtraDataItem name="${escapeXml(k)}" value="${escapeXml(v)}"/>`),
    '      </ExtraData>',
    '      <Hardware>',
    `        <CPU count="${d.cpus}">`,
    '          <PAE enabled="true"/>',
    '          <LongMode enabled="true"/>',
    '        </CPU>',
    `        <Memory RAMSize="${d.memoryMB}"/>`,
    '        <Chipset type="ICH9"/>',
    '        <Boot>',
    '          <Order position="1" device="HardDisk"/>',
    '          <Order position="2" device="None"/>',
    '          <Order position="3" device="None"/>',
    '          <Order position="4" device="None"/>',
    '        </Boot>',
    '        <Display controller="VMSVGA" VRAMSize="16"/>',
    '        <BIOS>',
    '          <IOAPIC enabled="true"/>',
    '        </BIOS>',
    '        <Network>',
  );
  for (let slot = 0; slot < d.nics; slot++) {
    const attrs = `slot="${slot}" enabled="true" MACAddress="${mac(slot)}" cable="true" type="${d.nicType}"`;
    const { xml } = mode(slot);
    out.push(xml ? `          <Adapter ${attrs}>\n            ${xml}\n          </Adapter>` : `          <Adapter ${attrs}/>`);
  }
  out.push(
    '        </Network>',
    '        <UART>',
    // The serial console: present, so the app can point it at a file (`modifyvm --uartmode1 file …`).
    '          <Port slot="0" enabled="true" IOBase="0x3f8" IRQ="4" hostMode="Disconnected"/>',
    '        </UART>',
    '        <AudioAdapter enabled="false"/>',
    '        <RTC localOrUTC="UTC"/>',
    '      </Hardware>',
    '      <StorageControllers>',
    '        <StorageController name="IDE" type="PIIX4" PortCount="2" useHostIOCache="true" Bootable="true">',
    '          <AttachedDevice type="HardDisk" hotpluggable="false" port="0" device="0">',
    `            <Image uuid="{${d.disk.uuid}}"/>`,
    '          </AttachedDevice>',
    '        </StorageController>',
    '      </StorageControllers>',
    '    </vbox:Machine>',
    '  </VirtualSystem>',
    '</Envelope>',
    '',
  );
  return out.join('\n');
}
