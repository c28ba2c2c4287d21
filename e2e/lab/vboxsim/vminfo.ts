// `showvminfo` in both forms (--machinereadable and the human one), following the order and
// spelling of VirtualBox 7.0's showVMInfo on a Linux host build, quirks included: the stray
// "Encryption:" line even in machine-readable mode, the unquoted `BIOS NVRAM File` key, the state
// change time that lost its trailing "Z" to a 30-byte buffer. Pure: no I/O.
import { findOsType } from './ostypes';
import { machineDir, maxNics, type Machine, type Nic, type Snapshot, type StorageController } from './machine';
import type { Medium } from './store';

export type Details = 'machinereadable' | 'standard';

export interface GuestAdditions {
  runLevel: number;
  /** e.g. "7.0.6 r155176"; empty when no Additions run in the guest. */
  version: string;
  facilities: { name: string; status: number; lastUpdatedMs: number }[];
}

export interface VmInfoContext {
  readonly media: ReadonlyMap<string, Medium>;
  /** Present while a VM process runs: what its console reports. */
  readonly guest?: GuestAdditions;
}

/** RTTimeSpecToString: ISO time with nanoseconds and a trailing Z. */
export function timeSpecString(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2023-01-22T06:34:24.123Z
  return `${iso.slice(0, 19)}.${iso.slice(20, 23)}000000Z`;
}

function needsEscape(s: string): boolean {
  return s === '' || s.includes('"') || s.includes('\\');
}

function escapeMr(s: string): string {
  return s.replace(/[\\"]/g, (c) => `\\${c}`);
}

/** outputMachineReadableString: name quoted when it holds '=' or when asked, `"` and `\` escaped. */
export function mrString(name: string, value: string, quoteName = false): string {
  const q = quoteName || name.includes('=');
  const n = needsEscape(name) ? escapeMr(name) : name;
  const v = needsEscape(value) ? escapeMr(value) : value;
  return q ? `"${n}"="${v}"\n` : `${n}="${v}"\n`;
}

const STATE_HUMAN: Record<Machine['state'], string> = {
  poweroff: 'powered off',
  running: 'running',
  paused: 'paused',
  saved: 'saved',
  aborted: 'aborted',
};

const CONTROLLER_LIMITS: Record<StorageController['bus'], { maxPorts: number; devicesPerPort: number }> = {
  IDE: { maxPorts: 2, devicesPerPort: 2 },
  SATA: { maxPorts: 30, devicesPerPort: 1 },
  SCSI: { maxPorts: 16, devicesPerPort: 1 },
  SAS: { maxPorts: 255, devicesPerPort: 1 },
  Floppy: { maxPorts: 1, devicesPerPort: 2 },
  PCIe: { maxPorts: 255, devicesPerPort: 1 },
  VirtioSCSI: { maxPorts: 256, devicesPerPort: 1 },
  USB: { maxPorts: 8, devicesPerPort: 1 },
};

export function controllerLimits(bus: StorageController['bus']): { maxPorts: number; devicesPerPort: number } {
  return CONTROLLER_LIMITS[bus];
}

const PARAVIRT_HUMAN: Record<string, string> = {
  none: 'None', default: 'Default', legacy: 'Legacy', minimal: 'Minimal', hyperv: 'HyperV', kvm: 'KVM',
};
const GRAPHICS_HUMAN: Record<string, string> = { null: 'Null', vboxvga: 'VBoxVGA', vmsvga: 'VMSVGA', vboxsvga: 'VBoxSVGA' };
const BOOT_HUMAN: Record<string, string> = {
  floppy: 'Floppy', dvd: 'DVD', disk: 'HardDisk', net: 'Network', none: 'Not Assigned',
};
const POINTING_HUMAN: Record<string, string> = {
  none: 'None', ps2mouse: 'PS/2 Mouse', usbmouse: 'USB Mouse', usbtablet: 'USB Tablet', combomouse: 'USB Tablet and PS/2 Mouse', usbmultitouch: 'USB Multi-Touch',
};
const KEYBOARD_HUMAN: Record<string, string> = { none: 'None', ps2kbd: 'PS/2 Keyboard', usbkbd: 'USB Keyboard', combokbd: 'USB and PS/2 Keyboard' };
const AUDIO_HUMAN: Record<string, string> = {
  default: 'Default', null: 'Null', oss: 'OSS', alsa: 'ALSA', pulse: 'PulseAudio', coreaudio: 'CoreAudio', was: 'Windows Audio Session (WAS)', dsound: 'DirectSound',
};
const HYPERV_TYPES = new Set([
  'Windows11_64', 'Windows10', 'Windows10_64', 'Windows81', 'Windows81_64', 'Windows8', 'Windows8_64', 'Windows7',
  'Windows7_64', 'WindowsVista', 'WindowsVista_64', 'Windows2012', 'Windows2012_64', 'Windows2008', 'Windows2008_64',
]);

/** Machine::getEffectiveParavirtProvider. */
export function effectiveParavirt(paravirt: string, ostype: string): string {
  if (paravirt !== 'default' && paravirt !== 'legacy') return paravirt;
  const os = findOsType(ostype);
  if (!os) return 'none';
  if (os.familyId === 'MacOS') return 'minimal';
  if (paravirt === 'legacy') return 'none';
  if (HYPERV_TYPES.has(os.id) || (/^Windows20[12]/.test(os.id) && os.id.endsWith('_64'))) return 'hyperv';
  if (os.familyId === 'Linux' && !['Linux22', 'Linux24', 'Linux24_64'].includes(os.id)) return 'kvm';
  return 'none';
}

/** The printer mirrors VBoxManage's SHOW_* macros: one call per property, either form. */
class Printer {
  out = '';
  constructor(readonly mr: boolean) {}
  raw(s: string): void {
    this.out += s;
  }
  human(label: string, value: string): void {
    this.out += `${label.padEnd(28)} ${value}\n`;
  }
  str(name: string, label: string, value: string): void {
    if (this.mr) this.out += mrString(name, value);
    else this.human(label, value);
  }
  bool(name: string, label: string, v: boolean, yes = 'enabled', no = 'disabled'): void {
    if (this.mr) this.out += mrString(name, v ? 'on' : 'off');
    else this.human(label, v ? yes : no);
  }
  num(name: string, label: string, v: number, unit = ''): void {
    if (this.mr) this.out += `${name}=${v}\n`;
    else this.human(label, `${v}${unit}`);
  }
}

function osDescription(ostype: string): string {
  return findOsType(ostype)?.description ?? ostype;
}

function showStorage(p: Printer, m: Machine, ctx: VmInfoContext): void {
  if (!p.mr) {
    if (m.storage.length === 0) p.human('Storage Controllers:', '<none>');
    else p.raw('Storage Controllers:\n');
  }
  m.storage.forEach((c, i) => {
    const lim = CONTROLLER_LIMITS[c.bus];
    if (p.mr) {
      p.raw(mrString(`storagecontrollername${i}`, c.name));
      p.raw(mrString(`storagecontrollertype${i}`, c.type));
      p.raw(`storagecontrollerinstance${i}="${c.instance}"\n`);
      p.raw(`storagecontrollermaxportcount${i}="${lim.maxPorts}"\n`);
      p.raw(`storagecontrollerportcount${i}="${c.portCount}"\n`);
      p.raw(`storagecontrollerbootable${i}="${c.bootable ? 'on' : 'off'}"\n`);
    } else {
      p.raw(
        `#${i}: '${c.name}', Type: ${c.type}, Instance: ${c.instance}, Ports: ${c.portCount} (max ${lim.maxPorts}), ${c.bootable ? 'Bootable' : 'Not bootable'}\n`,
      );
      showAttachments(p, c, ctx);
    }
  });
  if (p.mr) for (const c of m.storage) showAttachments(p, c, ctx);
}

function showAttachments(p: Printer, c: StorageController, ctx: VmInfoContext): void {
  const lim = CONTROLLER_LIMITS[c.bus];
  const hotplugKey = ['sata', 'usb'].includes(c.name.toLowerCase());
  for (let port = 0; port < c.portCount; port++) {
    for (let dev = 0; dev < lim.devicesPerPort; dev++) {
      const a = c.attachments.find((x) => x.port === port && x.device === dev);
      const key = (tag: string) => (tag ? `${c.name}-${tag}-${port}-${dev}` : `${c.name}-${port}-${dev}`);
      const medium = a?.medium ? ctx.media.get(a.medium) : undefined;
      if (a && medium) {
        if (!p.mr) {
          const flags =
            (a.tempEject ? ', temp eject' : '') +
            (a.hotPluggable ? ', hot-pluggable' : '') +
            (a.nonRotational ? ', non-rotational (SSD)' : '') +
            (a.discard ? ', discards unused blocks' : '');
          p.raw(`  Port ${port}, Unit ${dev}: UUID: ${medium.uuid}${flags}\n    Location: "${medium.location}"\n`);
          continue;
        }
        p.raw(mrString(key(''), medium.location, true));
        p.raw(mrString(key('ImageUUID'), medium.uuid, true));
        if (a.kind === 'dvd') {
          p.raw(mrString(key('tempeject'), a.tempEject ? 'on' : 'off', true));
          p.raw(mrString(key('IsEjected'), 'off', true));
        }
        if (hotplugKey) p.raw(mrString(key('hot-pluggable'), a.hotPluggable ? 'on' : 'off', true));
        p.raw(mrString(key('nonrotational'), a.nonRotational ? 'on' : 'off', true));
        p.raw(mrString(key('discard'), a.discard ? 'on' : 'off', true));
      } else if (a) {
        if (!p.mr) {
          p.raw(`  Port ${port}, Unit ${dev}: Empty${a.tempEject ? ', temp eject' : ''}\n`);
          continue;
        }
        p.raw(mrString(key(''), 'emptydrive', true));
        if (a.kind === 'dvd') p.raw(mrString(key('IsEjected'), 'off', true));
      } else if (p.mr) {
        p.raw(mrString(key(''), 'none', true));
      }
    }
  }
}

function attachmentText(nic: Nic, mr: boolean): string {
  switch (nic.attachment) {
    case 'null':
      return mr ? 'null' : 'none';
    case 'nat':
      return mr ? 'nat' : 'NAT';
    case 'bridged':
      return mr ? 'bridged' : `Bridged Interface '${nic.bridgeAdapter}'`;
    case 'intnet':
      return mr ? 'intnet' : `Internal Network '${nic.intnet}'`;
    case 'hostonly':
      return mr ? 'hostonly' : `Host-only Interface '${nic.hostOnlyAdapter}'`;
    case 'generic':
      return mr ? 'Generic' : `Generic '${nic.genericDriver}'`;
    case 'natnetwork':
      return mr ? 'natnetwork' : `NAT Network '${nic.natNetwork}'`;
  }
}

function showNics(p: Printer, m: Machine): void {
  const n = maxNics(m);
  for (let i = 0; i < n; i++) {
    const nic = m.nics[i] as Nic;
    const slot = i + 1;
    if (!nic.enabled) {
      if (p.mr) p.raw(`nic${slot}="none"\n`);
      else p.human(`NIC ${slot}:`, 'disabled');
      continue;
    }
    // The attachment-specific line comes first in machine-readable form (printed while resolving it).
    if (p.mr) {
      if (nic.attachment === 'nat') p.raw(`natnet${slot}="nat"\n`);
      if (nic.attachment === 'bridged') p.raw(`bridgeadapter${slot}="${nic.bridgeAdapter}"\n`);
      if (nic.attachment === 'intnet') p.raw(`intnet${slot}="${nic.intnet}"\n`);
      if (nic.attachment === 'hostonly') p.raw(`hostonlyadapter${slot}="${nic.hostOnlyAdapter}"\n`);
      if (nic.attachment === 'generic') p.raw(`generic${slot}="${nic.genericDriver}"\n`);
      if (nic.attachment === 'natnetwork') p.raw(`nat-network${slot}="${nic.natNetwork}"\n`);
    }
    const text = attachmentText(nic, p.mr);
    if (p.mr) {
      p.raw(`macaddress${slot}="${nic.mac}"\n`);
      p.raw(`cableconnected${slot}="${nic.cable ? 'on' : 'off'}"\n`);
      p.raw(`nic${slot}="${text}"\n`);
      p.raw(`nictype${slot}="${nic.type}"\n`);
      p.raw(`nicspeed${slot}="${nic.speed}"\n`);
      if (nic.attachment === 'nat') p.raw('mtu="0"\nsockSnd="64"\nsockRcv="64"\ntcpWndSnd="64"\ntcpWndRcv="64"\n');
    } else {
      p.raw(
        `${`NIC ${slot}:`.padEnd(28)} MAC: ${nic.mac}, Attachment: ${text}, Cable connected: ${nic.cable ? 'on' : 'off'}, Trace: off (file: none), Type: ${nic.type}, Reported speed: ${nic.speed / 1000} Mbps, Boot priority: 0, Promisc Policy: ${nic.promisc ?? 'deny'}, Bandwidth group: none\n`,
      );
      if (nic.attachment === 'nat')
        p.raw(`NIC ${slot} Settings:  MTU: 0, Socket (send: 64, receive: 64), TCP Window (send:64, receive: 64)\n`);
    }
  }
}

function showSnapshots(p: Printer, root: Snapshot, current: string | null): void {
  const walk = (s: Snapshot, prefix: string) => {
    const isCurrent = s.uuid === current;
    if (p.mr) {
      p.raw(`SnapshotName${prefix}="${s.name}"\n`);
      p.raw(`SnapshotUUID${prefix}="${s.uuid}"\n`);
      if (s.description) p.raw(`SnapshotDescription${prefix}="${s.description}"\n`);
      if (isCurrent) {
        p.raw(`CurrentSnapshotName="${s.name}"\n`);
        p.raw(`CurrentSnapshotUUID="${s.uuid}"\n`);
        p.raw(`CurrentSnapshotNode="SnapshotName${prefix}"\n`);
      }
    } else {
      p.raw(`   ${prefix}Name: ${s.name} (UUID: ${s.uuid})${isCurrent ? ' *' : ''}\n`);
      if (s.description && !s.description.includes('\n')) p.raw(`   ${prefix}Description: ${s.description}\n`);
      else if (s.description) p.raw(`   ${prefix}Description:\n${s.description}\n`);
    }
    s.children.forEach((c, i) => walk(c, p.mr ? `${prefix}-${i + 1}` : `${prefix}   `));
  };
  walk(root, '');
}

/** `snapshot <vm> list [--machinereadable]`: the same walker showvminfo uses. */
export function formatSnapshotList(m: Machine, details: Details): string {
  if (!m.snapshots) return '';
  const p = new Printer(details === 'machinereadable');
  showSnapshots(p, m.snapshots, m.currentSnapshot);
  return p.out;
}

export function formatVmInfo(m: Machine, details: Details, ctx: VmInfoContext): string {
  const p = new Printer(details === 'machinereadable');
  const dir = machineDir(m);
  const running = m.running !== null;
  p.str('name', 'Name:', m.name);
  p.raw('Encryption:     disabled\n');
  p.str('groups', 'Groups:', m.groups.join(','));
  p.str('ostype', 'Guest OS:', osDescription(m.ostype));
  p.str('UUID', 'UUID:', m.uuid);
  p.str('CfgFile', 'Config file:', m.cfgFile);
  p.str('SnapFldr', 'Snapshot folder:', `${dir}/Snapshots`);
  p.str('LogFldr', 'Log folder:', `${dir}/Logs`);
  p.str('hardwareuuid', 'Hardware UUID:', m.uuid);
  p.num('memory', 'Memory size:', m.memory, 'MB');
  p.bool('pagefusion', 'Page Fusion:', false);
  p.num('vram', 'VRAM size:', m.vram, 'MB');
  p.num('cpuexecutioncap', 'CPU exec cap:', 100, '%');
  p.bool('hpet', 'HPET:', m.hpet);
  p.str('cpu-profile', 'CPUProfile:', 'host');
  p.str('chipset', 'Chipset:', m.chipset);
  p.str('firmware', 'Firmware:', m.firmware);
  p.num('cpus', 'Number of CPUs:', m.cpus);
  p.bool('pae', 'PAE:', m.pae);
  p.bool('longmode', 'Long Mode:', m.longMode);
  p.bool('triplefaultreset', 'Triple Fault Reset:', false);
  p.bool('apic', 'APIC:', m.apic);
  p.bool('x2apic', 'X2APIC:', m.x2apic);
  p.bool('nested-hw-virt', 'Nested VT-x/AMD-V:', m.nestedHwVirt);
  p.num('cpuid-portability-level', 'CPUID Portability Level:', 0);
  if (!p.mr) p.raw(`${'CPUID overrides:'.padEnd(28)} None\n`);
  p.str('bootmenu', 'Boot menu mode:', p.mr ? 'messageandmenu' : 'message and menu');
  m.boot.forEach((b, i) => p.str(`boot${i + 1}`, `Boot Device ${i + 1}:`, p.mr ? b : (BOOT_HUMAN[b] ?? b)));
  p.bool('acpi', 'ACPI:', m.acpi);
  p.bool('ioapic', 'IOAPIC:', m.ioapic);
  p.str('biosapic', 'BIOS APIC mode:', p.mr ? 'apic' : 'APIC');
  p.num('biossystemtimeoffset', 'Time offset:', 0, 'ms');
  p.str('BIOS NVRAM File', 'BIOS NVRAM File:', `${dir}/${m.name}.nvram`);
  p.bool('rtcuseutc', 'RTC:', m.rtcUseUtc, 'UTC', 'local time');
  p.bool('hwvirtex', 'Hardware Virtualization:', true);
  p.bool('nestedpaging', 'Nested Paging:', true);
  p.bool('largepages', 'Large Pages:', m.largePages);
  p.bool('vtxvpid', 'VT-x VPID:', true);
  p.bool('vtxux', 'VT-x Unrestricted Exec.:', true);
  p.bool('virtvmsavevmload', 'AMD-V Virt. Vmsave/Vmload:', true);
  p.str('iommu', 'IOMMU:', p.mr ? 'none' : 'None');
  const eff = effectiveParavirt(m.paravirt, m.ostype);
  p.str('paravirtprovider', 'Paravirt. Provider:', p.mr ? m.paravirt : (PARAVIRT_HUMAN[m.paravirt] ?? m.paravirt));
  p.str('effparavirtprovider', 'Effective Paravirt. Prov.:', p.mr ? eff : (PARAVIRT_HUMAN[eff] ?? eff));
  // The 30-byte buffer VBoxManage formats the time into cuts off the trailing "Z".
  const since = timeSpecString(m.stateChangeTime).slice(0, 29);
  if (p.mr) {
    p.raw(`VMState="${m.state}"\n`);
    p.raw(`VMStateChangeTime="${since}"\n`);
    if (m.stateFile) p.raw(`VMStateFile="${m.stateFile}"\n`);
  } else {
    p.human('State:', `${STATE_HUMAN[m.state]} (since ${since})`);
  }
  if (p.mr) p.raw(`graphicscontroller="${m.graphics}"\n`);
  else p.human('Graphics Controller:', GRAPHICS_HUMAN[m.graphics] ?? m.graphics);
  p.num('monitorcount', 'Monitor count:', 1);
  p.bool('accelerate3d', '3D Acceleration:', false);
  p.bool('accelerate2dvideo', '2D Video Acceleration:', false);
  p.bool('teleporterenabled', 'Teleporter Enabled:', false);
  p.num('teleporterport', 'Teleporter Port:', 0);
  p.str('teleporteraddress', 'Teleporter Address:', '');
  p.str('teleporterpassword', 'Teleporter Password:', '');
  p.bool('tracing-enabled', 'Tracing Enabled:', false);
  p.bool('tracing-allow-vm-access', 'Allow Tracing to Access VM:', false);
  p.str('tracing-config', 'Tracing Configuration:', '');
  p.bool('autostart-enabled', 'Autostart Enabled:', false);
  p.num('autostart-delay', 'Autostart Delay:', 0);
  p.str('defaultfrontend', 'Default Frontend:', '');
  p.str('vmprocpriority', 'VM process priority:', 'default');
  showStorage(p, m, ctx);
  showNics(p, m);
  p.str('hidpointing', 'Pointing Device:', p.mr ? m.pointing : (POINTING_HUMAN[m.pointing] ?? 'Unknown'));
  p.str('hidkeyboard', 'Keyboard Device:', p.mr ? m.keyboard : (KEYBOARD_HUMAN[m.keyboard] ?? 'Unknown'));
  for (let i = 1; i <= 4; i++) {
    if (p.mr) p.raw(`uart${i}="off"\n`);
    else p.human(`UART ${i}:`, 'disabled');
  }
  for (let i = 1; i <= 2; i++) {
    if (p.mr) p.raw(`lpt${i}="off"\n`);
    else p.human(`LPT ${i}:`, 'disabled');
  }
  if (p.mr) p.raw(`audio="${m.audioEnabled ? m.audioDriver : 'none'}"\n`);
  else p.human('Audio:', m.audioEnabled ? `enabled (Driver: ${AUDIO_HUMAN[m.audioDriver] ?? 'Unknown'}, Controller: AC97, Codec: STAC9700)` : 'disabled');
  p.bool('audio_out', 'Audio playback:', false);
  p.bool('audio_in', 'Audio capture:', false);
  p.str('clipboard', 'Clipboard Mode:', 'disabled');
  p.str('draganddrop', 'Drag and drop Mode:', 'disabled');
  if (running && m.sessionName) p.str('SessionName', 'Session name:', m.sessionName);
  if (running) {
    if (p.mr) p.raw('VideoMode="720,400,0"@0,0 1\n');
    else p.human('Video mode:', '720x400x0 at 0,0 enabled');
  }
  if (p.mr) p.raw('vrde="off"\n');
  else p.human('VRDE:', 'disabled');
  p.bool('usb', 'OHCI USB:', m.usbOhci);
  p.bool('ehci', 'EHCI USB:', m.usbEhci);
  p.bool('xhci', 'xHCI USB:', m.usbXhci);
  if (!p.mr) {
    p.human('USB Device Filters:', '<none>');
    if (running) {
      p.human('Available remote USB devices:', '<none>');
      p.human('Currently attached USB devices:', '<none>');
    }
    p.raw(`${'Bandwidth groups:'.padEnd(28)} <none>\n`);
    p.raw(`${'Shared folders:'.padEnd(28)} <none>\n`);
  }
  if (running) {
    p.bool('VRDEActiveConnection', 'VRDE Connection:', false, 'active', 'not active');
    p.num('VRDEClients=', 'Clients so far:', 0);
  }
  p.bool('recording_enabled', 'Recording enabled:', false, 'yes', 'no');
  p.num('recording_screens', 'Recording screens:', 1);
  p.raw(p.mr ? ' rec_screen0\n' : ' Screen 0:\n');
  p.bool('rec_screen_enabled', '    Enabled:', true, 'yes', 'no');
  p.num('rec_screen_id', '    ID:', 0);
  p.bool('rec_screen_video_enabled', '    Record video:', true, 'yes', 'no');
  p.str('rec_screen_dest', '    Destination:', 'File');
  p.str('rec_screen_dest_filename', '    File:', `${dir}/${m.name}-screen0.webm`);
  p.str('rec_screen_opts', '    Options:', 'vc_enabled=true,ac_enabled=false,ac_profile=med');
  p.str('rec_screen_video_res_xy', '    Video dimensions:', '1024x768');
  p.num('rec_screen_video_rate_kbps', '    Video rate:', 512, 'kbps');
  p.num('rec_screen_video_fps', '    Video FPS:', 25, 'fps');
  if (m.description) {
    if (p.mr) p.raw(mrString('description', m.description));
    else p.raw(`Description:\n${m.description}\n`);
  }
  if (m.snapshots) {
    if (!p.mr) p.raw('* Snapshots:\n');
    showSnapshots(p, m.snapshots, m.currentSnapshot);
  }
  if (!p.mr) p.raw('* Guest:\n');
  p.num('GuestMemoryBalloon', 'Configured memory balloon:', 0, 'MB');
  if (running && ctx.guest) showGuest(p, m, ctx.guest);
  if (!p.mr) p.raw('\n');
  return p.out;
}

function showGuest(p: Printer, m: Machine, ga: GuestAdditions): void {
  // Without Additions the guest OS type is what the VM was configured with.
  p.str('GuestOSType', 'OS type:', findOsType(m.ostype)?.id ?? m.ostype);
  p.num('GuestAdditionsRunLevel', 'Additions run level:', ga.runLevel);
  if (ga.version) p.str('GuestAdditionsVersion', 'Additions version:', ga.version);
  if (ga.facilities.length === 0) {
    if (!p.mr) p.human('Guest Facilities:', '<none>');
    return;
  }
  if (!p.mr) p.raw('Guest Facilities:\n');
  for (const f of ga.facilities) {
    if (p.mr) p.raw(`GuestAdditionsFacility_${f.name}=${f.status},${f.lastUpdatedMs}\n`);
    else {
      const t = new Date(f.lastUpdatedMs).toISOString();
      const when = `${t.slice(0, 4)}/${t.slice(5, 7)}/${t.slice(8, 10)} ${t.slice(11, 19)} UTC`;
      p.raw(`Facility "${f.name}": ${f.status === 50 ? 'active/running' : 'not active'} (last update: ${when})\n`);
    }
  }
}

