// The `list` subcommand outputs of VirtualBox 7.0 (VBoxManageList.cpp), as pure formatters over
// data the caller gathered (registry, host probe).
import { OS_TYPES } from './ostypes';
import type { Machine } from './machine';
import type { Medium } from './store';

export function formatVmList(machines: readonly Pick<Machine, 'name' | 'uuid'>[]): string {
  return machines.map((m) => `"${m.name}" {${m.uuid}}\n`).join('');
}

export interface HostInterface {
  name: string;
  /** 12 hex digits with colons, lower case, as `ip` prints it. */
  mac: string;
  up: boolean;
  ipv4: string;
  netmask: string;
  ipv6: string;
  ipv6Prefix: number;
  wireless: boolean;
}

/**
 * The interface GUID VirtualBox derives on Linux (NetIf-linux.cpp): the interface name's bytes laid
 * into an RTUUID, version 4 and variant bits forced, the MAC address as the node.
 */
export function hostInterfaceGuid(name: string, mac: string): string {
  const b = Buffer.alloc(16);
  b.write(name.slice(0, 15), 'latin1');
  const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
  const timeLow = b.readUInt32LE(0);
  const timeMid = b.readUInt16LE(4);
  const timeHi = (b.readUInt16LE(6) & 0x0fff) | 0x4000;
  const clockHi = ((b[8] as number) & 0x3f) | 0x80;
  const clockLow = b[9] as number;
  const node = mac.replace(/:/g, '').toLowerCase();
  return `${hex(timeLow, 8)}-${hex(timeMid, 4)}-${hex(timeHi, 4)}-${hex(clockHi, 2)}${hex(clockLow, 2)}-${node}`;
}

/** `list bridgedifs` / `list hostonlyifs` (the VBOX_WITH_HOSTNETIF_API layout). */
export function formatHostInterfaces(ifs: readonly HostInterface[], networkPrefix = 'HostInterfaceNetworking-'): string {
  return ifs
    .map(
      (i) =>
        `Name:            ${i.name}\n` +
        `GUID:            ${hostInterfaceGuid(i.name, i.mac)}\n` +
        'DHCP:            Disabled\n' +
        `IPAddress:       ${i.ipv4}\n` +
        `NetworkMask:     ${i.netmask}\n` +
        `IPV6Address:     ${i.ipv6}\n` +
        `IPV6NetworkMaskPrefixLength: ${i.ipv6Prefix}\n` +
        `HardwareAddress: ${i.mac}\n` +
        'MediumType:      Ethernet\n' +
        `Wireless:        ${i.wireless ? 'Yes' : 'No'}\n` +
        `Status:          ${i.up ? 'Up' : 'Down'}\n` +
        `VBoxNetworkName: ${networkPrefix}${i.name}\n\n`,
    )
    .join('');
}

/** IVirtualBox::InternalNetworks: every non-empty intnet name of any adapter slot, sorted, unique. */
export function internalNetworks(machines: readonly Machine[]): string[] {
  const names = new Set<string>();
  for (const m of machines) {
    const n = m.chipset === 'ich9' ? 36 : 8;
    for (const nic of m.nics.slice(0, n)) if (nic.intnet) names.add(nic.intnet);
  }
  return [...names].sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : a === b ? 0 : 1));
}

export function formatIntnets(names: readonly string[]): string {
  return names.map((n) => `Name:        ${n}\n`).join('');
}

export type MediumState = 'created' | 'locked read' | 'locked write';

/** `list hdds`: base media with "Parent UUID: base", each followed depth first by its children. */
export function formatHdds(media: readonly Medium[], stateOf: (m: Medium) => MediumState): string {
  return formatMedia(media, 'HardDisk', stateOf);
}

/** showMediumInfo per medium; hard disks carry a parent line ("base" at the top), DVD and floppy images none. */
export function formatMedia(media: readonly Medium[], device: Medium['device'], stateOf: (m: Medium) => MediumState): string {
  const hdds = media.filter((m) => m.device === device);
  let out = '';
  const show = (m: Medium, parent: string) => {
    out +=
      `UUID:           ${m.uuid}\n` +
      (device === 'HardDisk' ? `Parent UUID:    ${parent}\n` : '') +
      `State:          ${stateOf(m)}\n` +
      `Type:           normal (${parent === 'base' ? 'base' : 'differencing'})\n` +
      `Location:       ${m.location}\n` +
      `Storage format: ${m.format}\n` +
      `Capacity:       ${Math.floor(m.logicalSize / 1048576)} MBytes\n` +
      'Encryption:     disabled\n\n';
    for (const c of hdds.filter((x) => x.parent === m.uuid)) show(c, m.uuid);
  };
  for (const m of hdds.filter((x) => x.parent === null)) show(m, 'base');
  return out;
}

export function formatOsTypes(): string {
  return OS_TYPES.map(
    (t) =>
      `ID:          ${t.id}\n` +
      `Description: ${t.description}\n` +
      `Family ID:   ${t.familyId}\n` +
      `Family Desc: ${t.familyDescription}\n` +
      `64 bit:      ${t.is64Bit ? 'true' : 'false'}\n\n`,
  ).join('');
}

export interface HostInfo {
  timeMs: number;
  cpus: number;
  cpuDescription: string;
  /** MHz, 0 when unknown. */
  cpuSpeed: number;
  memoryMB: number;
  memoryAvailableMB: number;
  osName: string;
  osVersion: string;
  /** ProcessorFeature flags in VirtualBox's order: HW virt, PAE, long mode, nested paging,
   *  unrestricted guest, nested HW virt, virt. vmsave/vmload. */
  features: readonly [boolean, boolean, boolean, boolean, boolean, boolean, boolean];
}

export function formatHostInfo(h: HostInfo): string {
  const iso = new Date(h.timeMs).toISOString();
  const names = ['HW virtualization', 'PAE', 'long mode', 'nested paging', 'unrestricted guest', 'nested HW virtualization', 'virt. vmsave/vmload'];
  let out = 'Host Information:\n\n';
  out += `Host time: ${iso.slice(0, 19)}.${iso.slice(20, 23)}000000Z\n`;
  out += `Processor online count: ${h.cpus}\nProcessor count: ${h.cpus}\n`;
  out += `Processor online core count: ${h.cpus}\nProcessor core count: ${h.cpus}\n`;
  names.forEach((name, i) => (out += `Processor supports ${name}: ${h.features[i] ? 'yes' : 'no'}\n`));
  for (let i = 0; i < h.cpus; i++) {
    out += h.cpuSpeed ? `Processor#${i} speed: ${h.cpuSpeed} MHz\n` : `Processor#${i} speed: unknown\n`;
    out += `Processor#${i} description: ${h.cpuDescription}\n`;
  }
  out += `Memory size: ${h.memoryMB} MByte\nMemory available: ${h.memoryAvailableMB} MByte\n`;
  out += `Operating system: ${h.osName}\nOperating system version: ${h.osVersion}\n`;
  return out;
}

export interface SystemProperties {
  defaultMachineFolder: string;
}

/** `list systemproperties` of a Linux 7.0 host without extension packs. */
export function formatSystemProperties(p: SystemProperties): string {
  const rows: [string, string][] = [
    ['API version:', '7_0'],
    ['Minimum guest RAM size:', '4 Megabytes'],
    ['Maximum guest RAM size:', '2097152 Megabytes'],
    ['Minimum video RAM size:', '0 Megabytes'],
    ['Maximum video RAM size:', '256 Megabytes'],
    ['Maximum guest monitor count:', '64'],
    ['Minimum guest CPU count:', '1'],
    ['Maximum guest CPU count:', '64'],
    ['Virtual disk limit (info):', '2199022206976 Bytes'],
    ['Maximum Serial Port count:', '4'],
    ['Maximum Parallel Port count:', '2'],
    ['Maximum Boot Position:', '4'],
  ];
  const col = (label: string, value: string) => `${label.padEnd(32)} ${value}\n`;
  let out = rows.map(([l, v]) => col(l, v)).join('');
  // These labels are wider than the column and print with their own spacing.
  out += 'Maximum PIIX3 Network Adapter count:   8\nMaximum ICH9 Network Adapter count:   36\n';
  out +=
    col('Maximum PIIX3 IDE Controllers:', '1') +
    col('Maximum ICH9 IDE Controllers:', '1') +
    col('Maximum IDE Port count:', '2') +
    col('Maximum Devices per IDE Port:', '2') +
    col('Maximum PIIX3 SATA Controllers:', '1') +
    col('Maximum ICH9 SATA Controllers:', '8') +
    col('Maximum SATA Port count:', '30') +
    col('Maximum Devices per SATA Port:', '1') +
    col('Maximum PIIX3 SCSI Controllers:', '1') +
    col('Maximum ICH9 SCSI Controllers:', '8') +
    col('Maximum SCSI Port count:', '16') +
    col('Maximum Devices per SCSI Port:', '1') +
    col('Maximum SAS PIIX3 Controllers:', '1') +
    col('Maximum SAS ICH9 Controllers:', '8') +
    col('Maximum SAS Port count:', '255') +
    col('Maximum Devices per SAS Port:', '1') +
    col('Maximum NVMe PIIX3 Controllers:', '1') +
    col('Maximum NVMe ICH9 Controllers:', '8') +
    col('Maximum NVMe Port count:', '255') +
    col('Maximum Devices per NVMe Port:', '1') +
    'Maximum virtio-scsi PIIX3 Controllers:  1\n' +
    'Maximum virtio-scsi ICH9 Controllers:   8\n' +
    'Maximum virtio-scsi Port count:         256\n' +
    'Maximum Devices per virtio-scsi Port:   1\n' +
    'Maximum PIIX3 Floppy Controllers:1\n' +
    col('Maximum ICH9 Floppy Controllers:', '1') +
    col('Maximum Floppy Port count:', '1') +
    col('Maximum Devices per Floppy Port:', '2') +
    col('Default machine folder:', p.defaultMachineFolder) +
    col('Raw-mode Supported:', 'no') +
    col('Exclusive HW virtualization use:', 'on') +
    col('Default hard disk format:', 'VDI') +
    col('VRDE auth library:', 'VBoxAuth') +
    col('Webservice auth. library:', 'VBoxAuth') +
    col('Remote desktop ExtPack:', '') +
    col('VM encryption ExtPack:', '') +
    col('Log history count:', '3') +
    col('Default frontend:', '') +
    col('Default audio driver:', 'ALSA') +
    col('Autostart database path:', '') +
    col('Default Guest Additions ISO:', '/usr/share/virtualbox/VBoxGuestAdditions.iso') +
    col('Logging Level:', 'all') +
    col('Proxy Mode:', 'System') +
    col('Proxy URL:', '') +
    col('User language:', 'en_US');
  return out;
}
