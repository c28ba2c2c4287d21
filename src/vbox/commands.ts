/**
 * VBoxManage command lines as argv lists (never strings: ../shell/quote turns them into one line for the
 * host's shell). Each builder checks its inputs and throws a BAD_REQUEST DcodError naming what is wrong,
 * so nothing malformed reaches a host.
 *
 * Rules that hold for every builder:
 * - A VM, snapshot or medium given as a positional argument must not start with `-`: VBoxManage's option
 *   parser would take it for an option. Use the UUID for such names.
 * - No argument may hold NUL (no argv can) or be empty where VirtualBox needs a value.
 * - Option spellings are the ones accepted from 5.x through 7.x (`--bridgeadapter1`, `--natnetwork1`);
 *   options that exist only in 7.x are marked.
 */
import { DcodError } from '../errors';

export type Argv = readonly string[];

function bad(message: string): never {
  throw new DcodError('BAD_REQUEST', message, { context: ['building a VBoxManage command'] });
}

function noNul(what: string, value: string): string {
  if (value.includes('\0')) bad(`${what} ${JSON.stringify(value)} contains a NUL character`);
  return value;
}

function text(what: string, value: string): string {
  if (value === '') bad(`${what} is empty`);
  return noNul(what, value);
}

/** A value VBoxManage reads as a positional argument. */
function positional(what: string, value: string): string {
  text(what, value);
  if (value.startsWith('-')) bad(`${what} ${JSON.stringify(value)} starts with "-", which VBoxManage would read as an option; use its UUID`);
  return value;
}

function intIn(what: string, value: number, min: number, max: number): string {
  if (!Number.isInteger(value) || value < min || value > max) bad(`${what} must be an integer from ${min} to ${max}, got ${value}`);
  return String(value);
}

const onOff = (b: boolean): string => (b ? 'on' : 'off');

// ---------------------------------------------------------------------------------------------------
// Names and values checked here

/** Network adapters per VM by chipset (`list systemproperties`: "Maximum PIIX3/ICH9 Network Adapter count"). */
export const NIC_SLOTS = { piix3: 8, ich9: 36 } as const;
export type Chipset = keyof typeof NIC_SLOTS;

export function nicSlot(slot: number, chipset: Chipset): string {
  if (!Number.isInteger(slot) || slot < 1 || slot > NIC_SLOTS.ich9) bad(`NIC slot must be an integer from 1 to ${NIC_SLOTS.ich9}, got ${slot}`);
  if (slot > NIC_SLOTS[chipset]) bad(`NIC slot ${slot} does not exist on a ${chipset} VM, which has ${NIC_SLOTS[chipset]} adapters; switch it to ich9 for up to 36`);
  return String(slot);
}

const MAC = /^[0-9A-Fa-f]{12}$/;

/** A MAC as VirtualBox takes it: 12 hex digits, no separators, unicast. Returned upper-case. */
export function macAddress(mac: string): string {
  if (!MAC.test(mac)) bad(`MAC address ${JSON.stringify(mac)} must be 12 hex digits without separators, e.g. 080027A1B2C3`);
  if (Number.parseInt(mac.slice(0, 2), 16) & 1) bad(`MAC address ${mac} is a multicast address (lowest bit of the first byte set); a NIC needs a unicast one`);
  return mac.toUpperCase();
}

/** VirtualBox's internal network names are at most 127 characters (INTNET_MAX_NETWORK_NAME). */
const INTNET_MAX = 127;
export const VNI_MAX = 0xffffff;
const VNI_INTNET = /^dcod-vni-([1-9]\d{0,7})$/;

/** The internal network DCoD uses on every host for one virtual segment: `dcod-vni-<VNI>`. */
export function vniIntnetName(vni: number): string {
  intIn('VNI', vni, 1, VNI_MAX);
  return `dcod-vni-${vni}`;
}

/** The VNI of a `dcod-vni-<N>` internal network, or undefined for any other name. */
export function vniOfIntnet(name: string): number | undefined {
  const m = VNI_INTNET.exec(name);
  const vni = m ? Number(m[1]) : undefined;
  return vni !== undefined && vni <= VNI_MAX ? vni : undefined;
}

function intnetName(name: string): string {
  text('internal network name', name);
  if (name.length > INTNET_MAX) bad(`internal network name is ${name.length} characters; VirtualBox allows ${INTNET_MAX}`);
  if (name.startsWith('dcod-vni-') && vniOfIntnet(name) === undefined) bad(`${JSON.stringify(name)} looks like a DCoD segment network but is not dcod-vni-<1..${VNI_MAX}>`);
  return name;
}

/**
 * A VM name DCoD creates. VirtualBox takes any text (it sanitises the folder and file names it derives,
 * replacing characters a file system can't hold with `_`), so only what no argv can carry is refused —
 * quotes, slashes and shell syntax are fine, because quoting makes them plain text.
 */
function vmName(name: string): string {
  positional('VM name', name);
  if (name.trim() === '') bad(`VM name ${JSON.stringify(name)} is blank`);
  return name;
}

/** A VM by name or UUID. */
const vm = (ref: string): string => positional('VM name or UUID', ref);

// ---------------------------------------------------------------------------------------------------
// Network attachments

export type NicAttachmentSpec =
  | { readonly type: 'none' }
  | { readonly type: 'null' }
  | { readonly type: 'nat' }
  | { readonly type: 'bridged'; readonly adapter: string }
  | { readonly type: 'intnet'; readonly network: string }
  | { readonly type: 'hostonly'; readonly adapter: string }
  /** 7.x host-only networks (macOS hosts, where host-only interfaces are gone). */
  | { readonly type: 'hostonlynet'; readonly network: string }
  | { readonly type: 'natnetwork'; readonly network: string }
  | { readonly type: 'generic'; readonly driver: string };

export const NIC_TYPES = ['Am79C970A', 'Am79C973', 'Am79C960', '82540EM', '82543GC', '82545EM', 'virtio'] as const;
export type NicType = (typeof NIC_TYPES)[number];

/** The attachment's target and the modifyvm option that sets it. */
function attachmentTarget(a: NicAttachmentSpec): { option: string; value: string } | undefined {
  switch (a.type) {
    case 'bridged':
      return { option: '--bridgeadapter', value: text('bridged host interface', a.adapter) };
    case 'intnet':
      return { option: '--intnet', value: intnetName(a.network) };
    case 'hostonly':
      return { option: '--hostonlyadapter', value: text('host-only interface', a.adapter) };
    case 'hostonlynet':
      return { option: '--host-only-net', value: text('host-only network', a.network) };
    case 'natnetwork':
      return { option: '--natnetwork', value: text('NAT network', a.network) };
    case 'generic':
      return { option: '--nicgenericdrv', value: text('generic driver', a.driver) };
    default:
      return undefined;
  }
}

export interface NicSettings {
  readonly slot: number;
  readonly attachment?: NicAttachmentSpec;
  /** 12 hex digits, or `auto` for a fresh random one. */
  readonly mac?: string;
  readonly cableConnected?: boolean;
  readonly nicType?: NicType;
  /**
   * Which frames addressed to others the adapter receives. An internal network hands a frame for an
   * unknown MAC only to `allow-all` adapters, so a NIC that bridges the network elsewhere (the overlay's
   * proxy) needs it. VirtualBox shows it only in the human-readable details.
   */
  readonly promiscuous?: PromiscuousPolicy;
}

export const PROMISCUOUS_POLICIES = ['deny', 'allow-vms', 'allow-all'] as const;
export type PromiscuousPolicy = (typeof PROMISCUOUS_POLICIES)[number];

function nicArgs(nic: NicSettings, chipset: Chipset): string[] {
  const n = nicSlot(nic.slot, chipset);
  const args: string[] = [];
  if (nic.attachment) {
    args.push(`--nic${n}`, nic.attachment.type);
    const target = attachmentTarget(nic.attachment);
    if (target) args.push(`${target.option}${n}`, target.value);
  }
  if (nic.mac !== undefined) args.push(`--macaddress${n}`, nic.mac === 'auto' ? 'auto' : macAddress(nic.mac));
  if (nic.cableConnected !== undefined) args.push(`--cableconnected${n}`, onOff(nic.cableConnected));
  if (nic.nicType !== undefined) {
    if (!NIC_TYPES.includes(nic.nicType)) bad(`NIC type ${JSON.stringify(nic.nicType)} is not one of ${NIC_TYPES.join(', ')}`);
    args.push(`--nictype${n}`, nic.nicType);
  }
  if (nic.promiscuous !== undefined) {
    if (!PROMISCUOUS_POLICIES.includes(nic.promiscuous)) bad(`promiscuous policy ${JSON.stringify(nic.promiscuous)} is not one of ${PROMISCUOUS_POLICIES.join(', ')}`);
    args.push(`--nicpromisc${n}`, nic.promiscuous);
  }
  return args;
}

// ---------------------------------------------------------------------------------------------------
// Machines

export function version(): Argv {
  return ['--version'];
}

export const LISTS = ['vms', 'runningvms', 'hostinfo', 'bridgedifs', 'hostonlyifs', 'hostonlynets', 'natnets', 'dhcpservers', 'hdds', 'dvds', 'floppies', 'hostdvds', 'systemproperties', 'intnets', 'ostypes'] as const;
export type ListKind = (typeof LISTS)[number];

export function list(kind: ListKind): Argv {
  if (!LISTS.includes(kind)) bad(`unknown list ${JSON.stringify(kind)}`);
  return ['list', kind];
}

export function showVmInfo(ref: string): Argv {
  return ['showvminfo', vm(ref), '--machinereadable'];
}

export interface CreateVmOptions {
  readonly name: string;
  readonly osType?: string;
  /** Register with VirtualBox (default true). */
  readonly register?: boolean;
  readonly baseFolder?: string;
  readonly uuid?: string;
  /** Group paths, e.g. ["/dcod/lab1"]. */
  readonly groups?: readonly string[];
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function createVm(o: CreateVmOptions): Argv {
  const args = ['createvm', '--name', vmName(o.name)];
  if (o.osType !== undefined) args.push('--ostype', text('OS type', o.osType));
  if (o.register ?? true) args.push('--register');
  if (o.baseFolder !== undefined) args.push('--basefolder', text('base folder', o.baseFolder));
  if (o.uuid !== undefined) {
    if (!UUID.test(o.uuid)) bad(`${JSON.stringify(o.uuid)} is not a UUID`);
    args.push('--uuid', o.uuid);
  }
  if (o.groups !== undefined && o.groups.length > 0) args.push('--groups', groupList(o.groups));
  return args;
}

function groupList(groups: readonly string[]): string {
  for (const g of groups) {
    if (!g.startsWith('/') || g.includes(',') || (g.length > 1 && g.endsWith('/'))) bad(`VM group ${JSON.stringify(g)} must be a path like /dcod/lab1, without commas`);
  }
  return groups.join(',');
}

export interface ModifyVmOptions {
  readonly memoryMb?: number;
  readonly cpus?: number;
  readonly chipset?: Chipset;
  readonly nics?: readonly NicSettings[];
  /** Replaces the VM's groups, e.g. ["/dcod/lab1"] (an imported VM gets DCoD's group this way). */
  readonly groups?: readonly string[];
}

/**
 * `modifyvm` (the VM must be powered off). `current.chipset` is the chipset the VM has, used to check NIC
 * slots when this call does not change it; piix3, the stricter limit, is assumed when not given.
 */
export function modifyVm(ref: string, o: ModifyVmOptions, current: { readonly chipset: Chipset } = { chipset: 'piix3' }): Argv {
  const args = ['modifyvm', vm(ref)];
  if (o.memoryMb !== undefined) args.push('--memory', intIn('memory (MB)', o.memoryMb, 4, 2097152));
  if (o.cpus !== undefined) args.push('--cpus', intIn('CPU count', o.cpus, 1, 64));
  if (o.chipset !== undefined) {
    if (!(o.chipset in NIC_SLOTS)) bad(`chipset must be piix3 or ich9, got ${JSON.stringify(o.chipset)}`);
    args.push('--chipset', o.chipset);
  }
  if (o.groups !== undefined && o.groups.length > 0) args.push('--groups', groupList(o.groups));
  const chipset = o.chipset ?? current.chipset;
  const slots = new Set<number>();
  for (const nic of o.nics ?? []) {
    if (slots.has(nic.slot)) bad(`NIC slot ${nic.slot} is set twice`);
    slots.add(nic.slot);
    args.push(...nicArgs(nic, chipset));
  }
  if (args.length === 2) bad('modifyvm with nothing to change');
  return args;
}

export type StartType = 'headless' | 'gui' | 'separate';

export function startVm(ref: string, type: StartType = 'headless'): Argv {
  return ['startvm', vm(ref), '--type', type];
}

export const CONTROL_ACTIONS = ['poweroff', 'acpipowerbutton', 'savestate', 'pause', 'resume', 'reset'] as const;
export type ControlAction = (typeof CONTROL_ACTIONS)[number];

export function controlVm(ref: string, action: ControlAction): Argv {
  if (!CONTROL_ACTIONS.includes(action)) bad(`unknown controlvm action ${JSON.stringify(action)}`);
  return ['controlvm', vm(ref), action];
}

/** `controlvm <vm> nic<N> <type> [<target>]`: re-attach a NIC of a running VM. */
export function controlVmNic(ref: string, slot: number, attachment: NicAttachmentSpec, chipset: Chipset): Argv {
  if (attachment.type === 'none') bad('a running VM cannot disable a NIC; attach it to "null" instead');
  const target = attachmentTarget(attachment);
  return ['controlvm', vm(ref), `nic${nicSlot(slot, chipset)}`, attachment.type, ...(target ? [target.value] : [])];
}

/** `controlvm <vm> setlinkstate<N> on|off`: plug or unplug the virtual cable of a running VM. */
export function controlVmLinkState(ref: string, slot: number, connected: boolean, chipset: Chipset): Argv {
  return ['controlvm', vm(ref), `setlinkstate${nicSlot(slot, chipset)}`, onOff(connected)];
}

/** `discardstate`: drop a saved VM's state, so it can be reconfigured (it then boots afresh). */
export function discardState(ref: string): Argv {
  return ['discardstate', vm(ref)];
}

/** `unregistervm --delete`: WARNING: deletes the VM's disks and settings files, not only the registration. */
export function unregisterVmAndDelete(ref: string): Argv {
  return ['unregistervm', vm(ref), '--delete'];
}

export interface CloneVmOptions {
  readonly name: string;
  /** Snapshot to clone from; a linked clone needs one. */
  readonly snapshot?: string;
  /** Linked clone: shares the parent's disks through differencing images. */
  readonly linked?: boolean;
  /** Register the clone (default true). */
  readonly register?: boolean;
  readonly baseFolder?: string;
  readonly groups?: readonly string[];
}

export function cloneVm(source: string, o: CloneVmOptions): Argv {
  const args = ['clonevm', vm(source), '--name', vmName(o.name)];
  if (o.snapshot !== undefined) args.push('--snapshot', text('snapshot', o.snapshot));
  if (o.linked) {
    if (o.snapshot === undefined) bad('a linked clone needs the snapshot it is linked to');
    args.push('--options', 'link');
  }
  if (o.baseFolder !== undefined) args.push('--basefolder', text('base folder', o.baseFolder));
  if (o.groups !== undefined && o.groups.length > 0) args.push('--groups', groupList(o.groups));
  if (o.register ?? true) args.push('--register');
  return args;
}

// ---------------------------------------------------------------------------------------------------
// Snapshots

export function snapshotTake(ref: string, name: string, o: { readonly description?: string; readonly live?: boolean } = {}): Argv {
  const args = ['snapshot', vm(ref), 'take', positional('snapshot name', name)];
  if (o.description !== undefined) args.push('--description', noNul('description', o.description));
  if (o.live) args.push('--live');
  return args;
}

export function snapshotList(ref: string): Argv {
  return ['snapshot', vm(ref), 'list', '--machinereadable'];
}

/** Snapshot names need not be unique; pass the UUID to be sure which one. */
export function snapshotRestore(ref: string, snapshot: string): Argv {
  return ['snapshot', vm(ref), 'restore', positional('snapshot name or UUID', snapshot)];
}

export function snapshotDelete(ref: string, snapshot: string): Argv {
  return ['snapshot', vm(ref), 'delete', positional('snapshot name or UUID', snapshot)];
}

// ---------------------------------------------------------------------------------------------------
// Media and storage

export interface CreateDiskOptions {
  readonly path: string;
  readonly sizeMb: number;
  readonly format?: 'VDI' | 'VMDK' | 'VHD';
  /** `Standard` grows on demand; `Fixed` allocates all now. */
  readonly variant?: 'Standard' | 'Fixed';
}

export function createDisk(o: CreateDiskOptions): Argv {
  return [
    'createmedium', 'disk',
    '--filename', text('disk path', o.path),
    '--size', intIn('disk size (MB)', o.sizeMb, 1, 2 ** 31),
    '--format', o.format ?? 'VDI',
    '--variant', o.variant ?? 'Standard',
  ];
}

export type MediumKind = 'disk' | 'dvd' | 'floppy';

/** `closemedium`: forget a medium; with `deleteFile` also delete its file. */
export function closeMedium(kind: MediumKind, medium: string, o: { readonly deleteFile?: boolean } = {}): Argv {
  return ['closemedium', kind, positional('medium path or UUID', medium), ...(o.deleteFile ? ['--delete'] : [])];
}

/** `modifymedium disk <medium> --resize <MB>`: VirtualBox only grows a disk, never shrinks it. */
export function resizeDisk(medium: string, sizeMb: number): Argv {
  return ['modifymedium', 'disk', positional('medium path or UUID', medium), '--resize', intIn('disk size (MB)', sizeMb, 1, 2 ** 31)];
}

export type StorageBus = 'ide' | 'sata' | 'scsi' | 'floppy' | 'sas' | 'usb' | 'pcie' | 'virtio';

export interface AddStorageControllerOptions {
  readonly name: string;
  readonly bus: StorageBus;
  /** Chip, e.g. IntelAhci, PIIX4, LsiLogic. */
  readonly controller?: string;
  readonly portCount?: number;
  readonly bootable?: boolean;
}

export function storageCtlAdd(ref: string, o: AddStorageControllerOptions): Argv {
  const args = ['storagectl', vm(ref), '--name', text('controller name', o.name), '--add', o.bus];
  if (o.controller !== undefined) args.push('--controller', text('controller chip', o.controller));
  if (o.portCount !== undefined) args.push('--portcount', intIn('port count', o.portCount, 1, 30));
  if (o.bootable !== undefined) args.push('--bootable', onOff(o.bootable));
  return args;
}

export function storageCtlRemove(ref: string, name: string): Argv {
  return ['storagectl', vm(ref), '--name', text('controller name', name), '--remove'];
}

export interface StorageAttachOptions {
  readonly controller: string;
  readonly port: number;
  readonly device: number;
  readonly type: 'hdd' | 'dvddrive' | 'fdd';
  /** Image path or UUID; `emptydrive` for a drive without medium; `none` to detach. */
  readonly medium: string;
  readonly mtype?: 'normal' | 'writethrough' | 'immutable' | 'shareable' | 'readonly' | 'multiattach';
}

export function storageAttach(ref: string, o: StorageAttachOptions): Argv {
  const args = [
    'storageattach', vm(ref),
    '--storagectl', text('controller name', o.controller),
    '--port', intIn('port', o.port, 0, 255),
    '--device', intIn('device', o.device, 0, 1),
    '--type', o.type,
    '--medium', text('medium', o.medium),
  ];
  if (o.mtype !== undefined) args.push('--mtype', o.mtype);
  return args;
}

// ---------------------------------------------------------------------------------------------------
// Extra data, guest properties, statistics

/** The target of extradata: a VM, or `global` for VirtualBox-wide keys. */
const extraDataTarget = (target: string): string => (target === 'global' ? target : vm(target));

/** Set a key; `value` undefined deletes it. */
export function setExtraData(target: string, key: string, value?: string): Argv {
  return ['setextradata', extraDataTarget(target), text('extradata key', key), ...(value === undefined ? [] : [noNul('extradata value', value)])];
}

export function getExtraData(target: string, key: string): Argv {
  if (key === 'enumerate') bad('use getExtraDataAll for "enumerate"');
  return ['getextradata', extraDataTarget(target), text('extradata key', key)];
}

export function getExtraDataAll(target: string): Argv {
  return ['getextradata', extraDataTarget(target), 'enumerate'];
}

export function guestPropertyGet(ref: string, name: string): Argv {
  return ['guestproperty', 'get', vm(ref), text('guest property name', name)];
}

/**
 * `guestproperty enumerate`: 7.x takes patterns as trailing arguments, older versions as one
 * `--patterns "a|b"` option. Both outputs are read by ./guestproperty.
 */
export function guestPropertyEnumerate(ref: string, o: { readonly patterns?: readonly string[]; readonly vboxMajor: number }): Argv {
  const patterns = (o.patterns ?? []).map((p) => positional('guest property pattern', p));
  if (patterns.length === 0) return ['guestproperty', 'enumerate', vm(ref)];
  return o.vboxMajor >= 7 ? ['guestproperty', 'enumerate', vm(ref), ...patterns] : ['guestproperty', 'enumerate', vm(ref), '--patterns', patterns.join('|')];
}

/** `debugvm statistics` (the VM must be running), optionally limited by a pattern like `/Public/NetAdapter/*`. */
export function debugVmStatistics(ref: string, pattern?: string): Argv {
  return ['debugvm', vm(ref), 'statistics', ...(pattern === undefined ? [] : ['--pattern', text('statistics pattern', pattern)])];
}

// ---------------------------------------------------------------------------------------------------
// Appliances

export function exportVm(ref: string, path: string, o: { readonly manifest?: boolean } = {}): Argv {
  return ['export', vm(ref), '--output', text('output path', path), ...(o.manifest ? ['--manifest'] : [])];
}

export interface ImportOptions {
  /** Only report what would be imported (./importdryrun reads the output). */
  readonly dryRun?: boolean;
  /** Settings for virtual system 0, the only one DCoD imports. */
  readonly vmName?: string;
  readonly cpus?: number;
  readonly memoryMb?: number;
  readonly baseFolder?: string;
  /** Unit numbers (from a dry run) to leave out, e.g. a CD-ROM or a sound card. */
  readonly ignoreUnits?: readonly number[];
}

export function importAppliance(path: string, o: ImportOptions = {}): Argv {
  const args = ['import', positional('appliance path', path)];
  if (o.dryRun) args.push('--dry-run');
  const vsys: string[] = [];
  if (o.vmName !== undefined) vsys.push('--vmname', vmName(o.vmName));
  if (o.cpus !== undefined) vsys.push('--cpus', intIn('CPU count', o.cpus, 1, 64));
  if (o.memoryMb !== undefined) vsys.push('--memory', intIn('memory (MB)', o.memoryMb, 4, 2097152));
  if (o.baseFolder !== undefined) vsys.push('--basefolder', text('base folder', o.baseFolder));
  for (const unit of o.ignoreUnits ?? []) vsys.push('--unit', intIn('unit', unit, 0, 999), '--ignore');
  return vsys.length > 0 ? [...args, '--vsys', '0', ...vsys] : args;
}
