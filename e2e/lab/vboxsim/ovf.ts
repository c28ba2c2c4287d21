// OVF 1.0 descriptors as VirtualBox 7.0 writes them into an OVA: References, DiskSection,
// NetworkSection and one VirtualSystem per machine, each with its OVF hardware items plus the
// complete machine in VirtualBox's own format (<vbox:Machine>), which importers prefer. Pure:
// `buildOvf` and `parseOvf` round-trip; `parseOvf` also reads plain OVF without <vbox:Machine>.
import { attr, child, children, escapeXml, localName, parseXml, type XmlElement } from './xml';

export const OVF_DISK_FORMAT = 'http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized';

export type OvfNetworkMode = 'NAT' | 'Bridged' | 'Internal' | 'HostOnly' | 'Generic' | 'NATNetwork' | 'Null';

export interface OvfNic {
  /** 0-based adapter slot. */
  slot: number;
  /** VirtualBox adapter type name: 82540EM, Am79C973, virtio… */
  type: string;
  mode: OvfNetworkMode;
  /** The attachment's network: intnet name, bridged/host-only interface, NAT network; '' for NAT. */
  network: string;
  mac: string;
  cable: boolean;
}

export interface OvfController {
  /** OVF item InstanceID, referenced by disks' Parent. */
  instanceId: number;
  bus: 'IDE' | 'SATA' | 'SCSI';
  /** rasd:ResourceSubType: PIIX4, AHCI, lsilogic… */
  subType: string;
}

export interface OvfDisk {
  diskId: string;
  /** File name inside the package. */
  href: string;
  /** Bytes. */
  capacity: number;
  format: string;
  /** Controller InstanceID and the port (AddressOnParent). */
  controller: number;
  port: number;
}

export interface OvfVirtualSystem {
  name: string;
  ostype: string;
  description: string;
  cpus: number;
  memoryMB: number;
  chipset: 'piix3' | 'ich9';
  nics: OvfNic[];
  controllers: OvfController[];
  disks: OvfDisk[];
  extradata: Record<string, string>;
  /** True when the descriptor carried a <vbox:Machine> section. */
  hasVBoxMachine: boolean;
}

export interface OvfDescriptor {
  systems: OvfVirtualSystem[];
}

/** NetworkAdapterType enum values (what VirtualBox shows as "config" in the import listing). */
export const NIC_TYPE_NUMBER: Record<string, number> = {
  Am79C970A: 1, Am79C973: 2, '82540EM': 3, '82543GC': 4, '82545EM': 5, virtio: 6, Am79C960: 7,
};

const NIC_SUBTYPE: Record<string, string> = { '82540EM': 'E1000', '82543GC': 'E1000', '82545EM': 'E1000', Am79C973: 'PCNet32', Am79C970A: 'PCNet32', virtio: 'virtio-net' };
const CONTROLLER_TYPE: Record<OvfController['bus'], number> = { IDE: 5, SCSI: 6, SATA: 20 };

/** The CIM operating-system id OVF wants next to VirtualBox's own OS type. */
function cimOsId(ostype: string): number {
  if (/^(Ubuntu)_64$/.test(ostype)) return 94;
  if (/^(Debian)_64$/.test(ostype)) return 96;
  if (/_64$/.test(ostype)) return 101;
  if (/^(Linux|Ubuntu|Debian|Fedora|RedHat|OpenSUSE|Gentoo|ArchLinux|Oracle)/.test(ostype)) return 36;
  return 1;
}

function item(fields: [string, string][]): string {
  return `      <Item>\n${fields.map(([k, v]) => `        <rasd:${k}>${escapeXml(v)}</rasd:${k}>`).join('\n')}\n      </Item>`;
}

function adapterXml(n: OvfNic): string {
  const mode =
    n.mode === 'NAT'
      ? '<NAT/>'
      : n.mode === 'Bridged'
        ? `<BridgedInterface name="${escapeXml(n.network)}"/>`
        : n.mode === 'Internal'
          ? `<InternalNetwork name="${escapeXml(n.network)}"/>`
          : n.mode === 'HostOnly'
            ? `<HostOnlyInterface name="${escapeXml(n.network)}"/>`
            : n.mode === 'NATNetwork'
              ? `<NATNetwork name="${escapeXml(n.network)}"/>`
              : n.mode === 'Generic'
                ? `<GenericInterface driver="${escapeXml(n.network)}"/>`
                : '';
  const attrs = `slot="${n.slot}" enabled="true" MACAddress="${n.mac}" cable="${n.cable}" type="${n.type}"`;
  return mode ? `          <Adapter ${attrs}>\n            ${mode}\n          </Adapter>` : `          <Adapter ${attrs}/>`;
}

export function buildOvf(d: OvfDescriptor): string {
  const disks = d.systems.flatMap((s) => s.disks);
  const networks = [...new Set(d.systems.flatMap((s) => s.nics.map((n) => (n.mode === 'NAT' ? 'NAT' : n.mode === 'Bridged' ? 'Bridged' : n.network || n.mode))))];
  const out: string[] = [];
  out.push('<?xml version="1.0"?>');
  out.push(
    '<Envelope ovf:version="1.0" xml:lang="en-US" xmlns="http://schemas.dmtf.org/ovf/envelope/1" xmlns:ovf="http://schemas.dmtf.org/ovf/envelope/1" xmlns:rasd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData" xmlns:vssd="http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:vbox="http://www.virtualbox.org/ovf/machine">',
  );
  out.push('  <References>');
  disks.forEach((k, i) => out.push(`    <File ovf:id="file${i + 1}" ovf:href="${escapeXml(k.href)}"/>`));
  out.push('  </References>');
  out.push('  <DiskSection>');
  out.push('    <Info>List of the virtual disks used in the package</Info>');
  disks.forEach((k, i) =>
    out.push(`    <Disk ovf:capacity="${k.capacity}" ovf:diskId="${escapeXml(k.diskId)}" ovf:fileRef="file${i + 1}" ovf:format="${escapeXml(k.format)}"/>`),
  );
  out.push('  </DiskSection>');
  out.push('  <NetworkSection>');
  out.push('    <Info>Logical networks used in the package</Info>');
  for (const n of networks) {
    out.push(`    <Network ovf:name="${escapeXml(n)}">`);
    out.push('      <Description>Logical network used by this appliance.</Description>');
    out.push('    </Network>');
  }
  out.push('  </NetworkSection>');
  for (const s of d.systems) {
    out.push(`  <VirtualSystem ovf:id="${escapeXml(s.name)}">`);
    out.push('    <Info>A virtual machine</Info>');
    out.push(`    <OperatingSystemSection ovf:id="${cimOsId(s.ostype)}">`);
    out.push('      <Info>The kind of installed guest operating system</Info>');
    out.push(`      <Description>${escapeXml(s.ostype)}</Description>`);
    out.push(`      <vbox:OSType ovf:required="false">${escapeXml(s.ostype)}</vbox:OSType>`);
    out.push('    </OperatingSystemSection>');
    out.push('    <VirtualHardwareSection>');
    out.push('      <Info>Virtual hardware requirements for a virtual machine</Info>');
    out.push('      <System>');
    out.push('        <vssd:ElementName>Virtual Hardware Family</vssd:ElementName>');
    out.push('        <vssd:InstanceID>0</vssd:InstanceID>');
    out.push(`        <vssd:VirtualSystemIdentifier>${escapeXml(s.name)}</vssd:VirtualSystemIdentifier>`);
    out.push('        <vssd:VirtualSystemType>virtualbox-2.2</vssd:VirtualSystemType>');
    out.push('      </System>');
    let id = 1;
    const cpu = `${s.cpus} virtual CPU`;
    out.push(item([['Caption', cpu], ['Description', 'Number of virtual CPUs'], ['ElementName', cpu], ['InstanceID', String(id++)], ['ResourceType', '3'], ['VirtualQuantity', String(s.cpus)]]));
    const mem = `${s.memoryMB} MB of memory`;
    out.push(
      item([['AllocationUnits', 'MegaBytes'], ['Caption', mem], ['Description', 'Memory Size'], ['ElementName', mem], ['InstanceID', String(id++)], ['ResourceType', '4'], ['VirtualQuantity', String(s.memoryMB)]]),
    );
    for (const c of s.controllers) {
      const name = `${c.bus.toLowerCase()}Controller${c.instanceId}`;
      out.push(
        item([['Address', '0'], ['Caption', name], ['Description', `${c.bus} Controller`], ['ElementName', name], ['InstanceID', String(c.instanceId)], ['ResourceSubType', c.subType], ['ResourceType', String(CONTROLLER_TYPE[c.bus])]]),
      );
      id = Math.max(id, c.instanceId + 1);
    }
    for (const k of s.disks) {
      out.push(
        item([['AddressOnParent', String(k.port)], ['Caption', 'disk'], ['Description', 'Disk Image'], ['ElementName', 'disk'], ['HostResource', `/disk/${k.diskId}`], ['InstanceID', String(id++)], ['Parent', String(k.controller)], ['ResourceType', '17']]),
      );
    }
    for (const n of s.nics) {
      const conn = n.mode === 'NAT' ? 'NAT' : n.mode === 'Bridged' ? 'Bridged' : n.network || n.mode;
      const cap = `Ethernet adapter on '${conn}'`;
      out.push(
        item([['AutomaticAllocation', 'true'], ['Caption', cap], ['Connection', conn], ['ElementName', cap], ['InstanceID', String(id++)], ['ResourceSubType', NIC_SUBTYPE[n.type] ?? 'E1000'], ['ResourceType', '10']]),
      );
    }
    out.push('    </VirtualHardwareSection>');
    out.push(`    <vbox:Machine ovf:required="false" version="1.19-linux" name="${escapeXml(s.name)}" OSType="${escapeXml(s.ostype)}" snapshotFolder="Snapshots">`);
    out.push('      <ovf:Info>Complete VirtualBox machine configuration in VirtualBox format</ovf:Info>');
    if (s.description) out.push(`      <Description>${escapeXml(s.description)}</Description>`);
    const ed = Object.entries(s.extradata);
    if (ed.length) {
      out.push('      <ExtraData>');
      for (const [k, v] of ed) out.push(`        <ExtraDataItem name="${escapeXml(k)}" value="${escapeXml(v)}"/>`);
      out.push('      </ExtraData>');
    }
    out.push('      <Hardware>');
    out.push(`        <CPU count="${s.cpus}"/>`);
    out.push(`        <Memory RAMSize="${s.memoryMB}"/>`);
    if (s.chipset === 'ich9') out.push('        <Chipset type="ICH9"/>');
    if (s.nics.length) {
      out.push('        <Network>');
      for (const n of s.nics) out.push(adapterXml(n));
      out.push('        </Network>');
    }
    out.push('      </Hardware>');
    out.push('    </vbox:Machine>');
    out.push('  </VirtualSystem>');
  }
  out.push('</Envelope>');
  return `${out.join('\n')}\n`;
}

function rasd(el: XmlElement, name: string): string {
  return child(el, name)?.text.trim() ?? '';
}

const SUBTYPE_NIC: Record<string, string> = { e1000: '82540EM', pcnet32: 'Am79C973', 'virtio-net': 'virtio' };
const MODES: Record<string, OvfNetworkMode> = {
  NAT: 'NAT', BridgedInterface: 'Bridged', InternalNetwork: 'Internal', HostOnlyInterface: 'HostOnly', NATNetwork: 'NATNetwork', GenericInterface: 'Generic',
};

function parseVBoxMachine(vm: XmlElement, sys: OvfVirtualSystem): void {
  sys.hasVBoxMachine = true;
  sys.ostype = attr(vm, 'OSType') ?? sys.ostype;
  sys.description = child(vm, 'Description')?.text ?? sys.description;
  for (const e of children(child(vm, 'ExtraData') ?? vm, 'ExtraDataItem')) sys.extradata[attr(e, 'name') ?? ''] = attr(e, 'value') ?? '';
  const hw = child(vm, 'Hardware');
  if (!hw) return;
  const cpu = child(hw, 'CPU');
  if (cpu) sys.cpus = Number(attr(cpu, 'count') ?? sys.cpus);
  const mem = child(hw, 'Memory');
  if (mem) sys.memoryMB = Number(attr(mem, 'RAMSize') ?? sys.memoryMB);
  if (attr(child(hw, 'Chipset') ?? hw, 'type') === 'ICH9') sys.chipset = 'ich9';
  const net = child(hw, 'Network');
  if (!net) return;
  sys.nics = children(net, 'Adapter')
    .filter((a) => attr(a, 'enabled') !== 'false')
    .map((a) => {
      const m = a.children.find((c) => MODES[localName(c.name)]);
      return {
        slot: Number(attr(a, 'slot') ?? 0),
        type: attr(a, 'type') ?? '82540EM',
        mode: m ? (MODES[localName(m.name)] as OvfNetworkMode) : 'Null',
        network: m ? (attr(m, 'name') ?? attr(m, 'driver') ?? '') : '',
        mac: attr(a, 'MACAddress') ?? '',
        cable: attr(a, 'cable') !== 'false',
      };
    });
}

/** Parses an OVF descriptor (OVF 1.0 or 2.0 envelope); throws when it isn't one. */
export function parseOvf(xml: string): OvfDescriptor {
  const env = parseXml(xml);
  if (localName(env.name) !== 'Envelope') throw new Error(`OVF: root element is <${env.name}>, not <Envelope>`);
  const files = new Map(children(child(env, 'References') ?? env, 'File').map((f) => [attr(f, 'id') ?? '', attr(f, 'href') ?? '']));
  const diskDefs = new Map(
    children(child(env, 'DiskSection') ?? env, 'Disk').map((k) => [
      attr(k, 'diskId') ?? '',
      { href: files.get(attr(k, 'fileRef') ?? '') ?? '', capacity: Number(attr(k, 'capacity') ?? 0), format: attr(k, 'format') ?? '' },
    ]),
  );
  const collection = child(env, 'VirtualSystemCollection');
  const vsNodes = [...children(env, 'VirtualSystem'), ...(collection ? children(collection, 'VirtualSystem') : [])];
  const systems = vsNodes.map((vs): OvfVirtualSystem => {
    const sys: OvfVirtualSystem = {
      name: attr(vs, 'id') ?? '',
      ostype: '',
      description: '',
      cpus: 1,
      memoryMB: 128,
      chipset: 'piix3',
      nics: [],
      controllers: [],
      disks: [],
      extradata: {},
      hasVBoxMachine: false,
    };
    const os = child(vs, 'OperatingSystemSection');
    if (os) sys.ostype = child(os, 'OSType')?.text.trim() ?? child(os, 'Description')?.text.trim() ?? '';
    const hw = child(vs, 'VirtualHardwareSection');
    let slot = 0;
    for (const it of hw ? children(hw, 'Item') : []) {
      const type = Number(rasd(it, 'ResourceType'));
      if (type === 3) sys.cpus = Number(rasd(it, 'VirtualQuantity')) || 1;
      if (type === 4) {
        const q = Number(rasd(it, 'VirtualQuantity'));
        const unit = rasd(it, 'AllocationUnits').toLowerCase();
        sys.memoryMB = unit.includes('giga') || unit.includes('2^30') ? q * 1024 : unit.includes('kilo') || unit.includes('2^10') ? q / 1024 : q;
      }
      if (type === 5 || type === 6 || type === 20)
        sys.controllers.push({ instanceId: Number(rasd(it, 'InstanceID')), bus: type === 5 ? 'IDE' : type === 6 ? 'SCSI' : 'SATA', subType: rasd(it, 'ResourceSubType') });
      if (type === 17) {
        const diskId = rasd(it, 'HostResource').replace(/^ovf:/, '').replace(/^\/disk\//, '');
        const def = diskDefs.get(diskId);
        if (def) sys.disks.push({ diskId, ...def, controller: Number(rasd(it, 'Parent')), port: Number(rasd(it, 'AddressOnParent') || 0) });
      }
      if (type === 10) {
        const conn = rasd(it, 'Connection');
        const mode: OvfNetworkMode = /^nat$/i.test(conn) ? 'NAT' : /^bridged$/i.test(conn) ? 'Bridged' : /^hostonly$/i.test(conn) ? 'HostOnly' : 'Internal';
        sys.nics.push({ slot: slot++, type: SUBTYPE_NIC[rasd(it, 'ResourceSubType').toLowerCase()] ?? '82540EM', mode, network: mode === 'Internal' ? conn : '', mac: '', cable: true });
      }
    }
    const vm = vs.children.find((c) => localName(c.name) === 'Machine');
    if (vm) parseVBoxMachine(vm, sys);
    return sys;
  });
  return { systems };
}

/** The .mf manifest: one `SHA256 (file) = hex` line per file. */
export function formatManifest(digests: readonly { name: string; sha256: string }[]): string {
  return digests.map((d) => `SHA256 (${d.name}) = ${d.sha256}\n`).join('');
}

export function parseManifest(text: string): Map<string, { algorithm: string; digest: string }> {
  const out = new Map<string, { algorithm: string; digest: string }>();
  for (const line of text.split('\n')) {
    const m = /^(SHA1|SHA256|SHA512)\s*\((.+)\)\s*=\s*([0-9a-fA-F]+)\s*$/.exec(line.trim());
    if (m) out.set(m[2] as string, { algorithm: (m[1] as string).toLowerCase(), digest: (m[3] as string).toLowerCase() });
  }
  return out;
}
