// The settings of one simulated VM, as VirtualBox 7.0 holds them, and the defaults a new VM gets
// (Machine::init + the per-device applyDefaults of the 7.0 Main API). Stored as JSON, one file per VM.
import { findOsType } from './ostypes';

export type Attachment = 'null' | 'nat' | 'bridged' | 'intnet' | 'hostonly' | 'generic' | 'natnetwork';
export const NIC_TYPES = ['Am79C970A', 'Am79C973', 'Am79C960', '82540EM', '82543GC', '82545EM', 'virtio'] as const;
export type NicType = (typeof NIC_TYPES)[number];

export interface Nic {
  enabled: boolean;
  type: NicType;
  /** 12 upper-case hex digits, empty until the adapter is first enabled. */
  mac: string;
  cable: boolean;
  attachment: Attachment;
  intnet: string;
  bridgeAdapter: string;
  hostOnlyAdapter: string;
  natNetwork: string;
  genericDriver: string;
  speed: number;
  /** Which frames not addressed to it the adapter receives; absent in state written before it was modelled. */
  promisc?: PromiscPolicy;
}

/** NetworkAdapterPromiscModePolicy, as modifyvm spells it. */
export const PROMISC_POLICIES = ['deny', 'allow-vms', 'allow-all'] as const;
export type PromiscPolicy = (typeof PROMISC_POLICIES)[number];

/** Which adapter setting names an attachment's network (NAT and "not attached" have none). */
export const NETWORK_FIELD: Record<Attachment, 'bridgeAdapter' | 'intnet' | 'hostOnlyAdapter' | 'genericDriver' | 'natNetwork' | undefined> = {
  null: undefined,
  nat: undefined,
  bridged: 'bridgeAdapter',
  intnet: 'intnet',
  hostonly: 'hostOnlyAdapter',
  generic: 'genericDriver',
  natnetwork: 'natNetwork',
};

export type StorageBus = 'IDE' | 'SATA' | 'SCSI' | 'SAS' | 'Floppy' | 'PCIe' | 'VirtioSCSI' | 'USB';
export type DeviceKind = 'hdd' | 'dvd' | 'fdd';

export interface MediumAttachment {
  port: number;
  device: number;
  kind: DeviceKind;
  /** null: an empty drive (DVD/floppy without a medium). */
  medium: string | null;
  nonRotational: boolean;
  discard: boolean;
  hotPluggable: boolean;
  tempEject: boolean;
}

export interface StorageController {
  name: string;
  bus: StorageBus;
  type: string;
  instance: number;
  portCount: number;
  bootable: boolean;
  attachments: MediumAttachment[];
}

export interface GuestProperty {
  value: string;
  /** Nanoseconds since the epoch, as a decimal string (too big for a double). */
  timestamp: string;
  flags: string;
}

/** Everything a snapshot freezes: the machine's configuration at the time it was taken. */
export interface Hardware {
  ostype: string;
  memory: number;
  vram: number;
  cpus: number;
  chipset: 'piix3' | 'ich9';
  firmware: 'BIOS' | 'EFI';
  pae: boolean;
  longMode: boolean;
  x2apic: boolean;
  apic: boolean;
  hpet: boolean;
  ioapic: boolean;
  acpi: boolean;
  rtcUseUtc: boolean;
  nestedHwVirt: boolean;
  largePages: boolean;
  boot: [string, string, string, string];
  paravirt: string;
  graphics: string;
  audioEnabled: boolean;
  /** Machine-readable audio driver name: default, null, pulse, alsa, oss… */
  audioDriver: string;
  /** hidpointing / hidkeyboard machine-readable names. */
  pointing: string;
  keyboard: string;
  usbOhci: boolean;
  usbEhci: boolean;
  usbXhci: boolean;
  description: string;
  nics: Nic[];
  storage: StorageController[];
}

export interface Snapshot {
  uuid: string;
  name: string;
  description: string;
  /** ms since the epoch. */
  timeStamp: number;
  online: boolean;
  hardware: Hardware;
  children: Snapshot[];
}

export type MachineState = 'poweroff' | 'running' | 'paused' | 'saved' | 'aborted';

/** What exists on the host while the VM runs (see runtime/). */
export interface RunningVm {
  netns: string;
  /** Host-side veth per NIC slot (1-based), and the bridge it is plugged into ('' = left down). */
  links: { slot: number; hostIf: string; bridge: string }[];
  pids: number[];
  startedAt: number;
}

export interface Machine extends Hardware {
  uuid: string;
  name: string;
  groups: string[];
  /** Full path of the .vbox file; its directory is the machine folder. */
  cfgFile: string;
  state: MachineState;
  /** ms since the epoch. */
  stateChangeTime: number;
  stateFile: string;
  sessionName: string;
  extradata: Record<string, string>;
  guestProperties: Record<string, GuestProperty>;
  snapshots: Snapshot | null;
  currentSnapshot: string | null;
  /** Present while the VM runs or is paused: the namespace and devices standing in for it. */
  running: RunningVm | null;
}

export const MAX_NICS = { piix3: 8, ich9: 36 } as const;

export function maxNics(m: Pick<Hardware, 'chipset'>): number {
  return MAX_NICS[m.chipset];
}

/** Host::i_generateMACAddress: the VirtualBox OUI 080027 plus three random bytes. */
export function generateMac(random: () => number = Math.random): string {
  const b = () =>
    Math.floor(random() * 256)
      .toString(16)
      .toUpperCase()
      .padStart(2, '0');
  return `080027${b()}${b()}${b()}`;
}

function defaultNic(slot: number, osNicType: NicType | undefined, withOsType: boolean): Nic {
  // NetworkAdapter::i_applyDefaults: the OS type picks the adapter type (E1000 without one) and only
  // slot 0 is enabled, NAT, and only when an OS type was given.
  const enabled = withOsType && slot === 0;
  return {
    enabled,
    type: osNicType ?? '82540EM',
    mac: enabled ? generateMac() : '',
    cable: true,
    attachment: enabled ? 'nat' : 'null',
    intnet: '',
    bridgeAdapter: '',
    hostOnlyAdapter: '',
    natNetwork: '',
    genericDriver: '',
    speed: 0,
  };
}

export interface NewMachine {
  uuid: string;
  name: string;
  ostype: string | undefined;
  groups: string[];
  cfgFile: string;
  now: number;
}

/** Machine::init for `createvm`: defaults of a VM that has never been changed. */
export function newMachine(n: NewMachine): Machine {
  const os = n.ostype === undefined ? undefined : findOsType(n.ostype);
  const nicType = os?.nicType as NicType | undefined;
  return {
    uuid: n.uuid,
    name: n.name,
    groups: n.groups.length ? n.groups : ['/'],
    cfgFile: n.cfgFile,
    ostype: os?.id ?? n.ostype ?? 'Other',
    memory: 128,
    vram: 8,
    cpus: 1,
    chipset: 'piix3',
    firmware: os?.efi ? 'EFI' : 'BIOS',
    pae: true,
    longMode: os ? os.is64Bit : true,
    x2apic: os ? os.x2apic : false,
    apic: true,
    hpet: false,
    ioapic: os ? os.ioapic : true,
    acpi: true,
    rtcUseUtc: false,
    nestedHwVirt: false,
    largePages: true,
    boot: ['floppy', 'dvd', 'disk', 'none'],
    paravirt: 'default',
    graphics: 'vboxvga',
    audioEnabled: true,
    audioDriver: 'default',
    pointing: 'ps2mouse',
    keyboard: 'ps2kbd',
    usbOhci: false,
    usbEhci: false,
    usbXhci: false,
    description: '',
    nics: Array.from({ length: MAX_NICS.ich9 }, (_, i) => defaultNic(i, nicType, os !== undefined)),
    storage: [],
    state: 'poweroff',
    stateChangeTime: n.now,
    stateFile: '',
    sessionName: '',
    extradata: {},
    guestProperties: {},
    snapshots: null,
    currentSnapshot: null,
    running: null,
  };
}

export function machineDir(m: Pick<Machine, 'cfgFile'>): string {
  return m.cfgFile.slice(0, m.cfgFile.lastIndexOf('/'));
}

const HARDWARE_KEYS = [
  'ostype', 'memory', 'vram', 'cpus', 'chipset', 'firmware', 'pae', 'longMode', 'x2apic', 'apic', 'hpet', 'ioapic', 'acpi',
  'rtcUseUtc', 'nestedHwVirt', 'largePages', 'boot', 'paravirt', 'graphics', 'audioEnabled', 'audioDriver', 'pointing',
  'keyboard', 'usbOhci', 'usbEhci', 'usbXhci', 'description', 'nics', 'storage',
] as const satisfies readonly (keyof Hardware)[];

/** A deep copy of the configuration part of a machine (what snapshots freeze and clones copy). */
export function hardwareOf(m: Hardware): Hardware {
  return structuredClone(Object.fromEntries(HARDWARE_KEYS.map((k) => [k, m[k]]))) as unknown as Hardware;
}

/** Walks the snapshot tree depth first, parents before children. */
export function* allSnapshots(root: Snapshot | null): Generator<{ snap: Snapshot; parent: Snapshot | null }> {
  if (!root) return;
  const stack: { snap: Snapshot; parent: Snapshot | null }[] = [{ snap: root, parent: null }];
  while (stack.length) {
    const top = stack.pop() as { snap: Snapshot; parent: Snapshot | null };
    yield top;
    for (const c of [...top.snap.children].reverse()) stack.push({ snap: c, parent: top.snap });
  }
}

export function isRunningState(s: MachineState): boolean {
  return s === 'running' || s === 'paused';
}
