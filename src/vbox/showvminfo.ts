/**
 * `VBoxManage showvminfo <vm> --machinereadable` as a typed VmInfo. Every key not turned into a typed field
 * stays in `raw`, so nothing VirtualBox printed is lost when a version adds keys.
 */
import { DcodError } from '../errors';
import { compact, flag, int } from './fields';
import { parseMachineReadable, type MachineReadable } from './machinereadable';
import { snapshotTreeFromMachineReadable, type SnapshotTree } from './snapshot';

/** VMState values as the machine-readable output spells them (`machineStateToName(…, fShort=true)`). */
export const VM_STATES = [
  'poweroff', 'saved', 'aborted-saved', 'teleported', 'aborted', 'running', 'paused', 'gurumeditation',
  'teleporting', 'livesnapshotting', 'starting', 'stopping', 'saving', 'restoring', 'teleportingpausedvm',
  'teleportingin', 'deletingsnapshotlive', 'deletingsnapshotlivepaused', 'onlinesnapshotting',
  'restoringsnapshot', 'deletingsnapshot', 'settingup', 'snapshotting',
] as const;
export type VmState = (typeof VM_STATES)[number] | 'unknown';

/** `nicN` values. `none` is a disabled adapter; `null` is enabled but "not attached". */
export const NIC_ATTACHMENTS = ['none', 'null', 'nat', 'bridged', 'intnet', 'hostonly', 'hostonlynetwork', 'natnetwork', 'generic', 'cloudnetwork'] as const;
export type NicAttachment = (typeof NIC_ATTACHMENTS)[number] | 'unknown';

/** For each attachment type, the key naming what it is attached to (the `N` is the slot). */
const ATTACHMENT_NAME_KEY: Partial<Record<NicAttachment, string>> = {
  bridged: 'bridgeadapter',
  intnet: 'intnet',
  hostonly: 'hostonlyadapter',
  hostonlynetwork: 'hostonly-network',
  natnetwork: 'nat-network',
  generic: 'genericdrv',
  cloudnetwork: 'cloud-network',
};

export interface PortForward {
  readonly name: string;
  readonly protocol: string;
  readonly hostIp: string;
  readonly hostPort: number;
  readonly guestIp: string;
  readonly guestPort: number;
}

export interface Nic {
  /** 1-based adapter slot, as in `--nic<slot>`. */
  readonly slot: number;
  readonly attachment: NicAttachment;
  /** The `nicN` text when it is not one this code knows. */
  readonly attachmentRaw: string;
  /** What it is attached to: internal network, host interface, host-only network, NAT network or driver. */
  readonly network?: string;
  /** 12 upper-case hex digits, as VirtualBox prints it. */
  readonly mac?: string;
  readonly cableConnected?: boolean;
  /** Emulated hardware, e.g. `82540EM`, `virtio`. */
  readonly nicType?: string;
  /** Reported link speed in kbps; 0 means the default. */
  readonly speedKbps?: number;
  /** For NAT adapters: `natnetN`, "nat" or the NAT subnet. */
  readonly natNet?: string;
  readonly portForwards: readonly PortForward[];
}

export interface StorageController {
  readonly index: number;
  readonly name: string;
  /** e.g. `PIIX4`, `IntelAhci`, `LsiLogic`, `I82078`. */
  readonly type?: string;
  readonly instance?: number;
  readonly portCount?: number;
  readonly maxPortCount?: number;
  readonly bootable?: boolean;
}

export interface StorageAttachment {
  readonly controller: string;
  readonly port: number;
  readonly device: number;
  /** Path of the attached image, or `emptydrive` for a drive without a medium. */
  readonly medium: string;
  readonly imageUuid?: string;
  /** Per-attachment switches such as `nonrotational`, `discard`, `tempeject`, `IsEjected`: name → value. */
  readonly options: Readonly<Record<string, string>>;
}

/** AdditionsFacilityStatus numbers as printed in `GuestAdditionsFacility_<name>=<status>,<ms>`. */
const FACILITY_STATUS: Record<number, string> = {
  0: 'inactive', 1: 'paused', 20: 'preinit', 30: 'init', 50: 'active', 100: 'terminating', 101: 'terminated', 800: 'failed', 999: 'unknown',
};

export interface GuestAdditions {
  readonly guestOsType?: string;
  readonly runLevel?: number;
  /** e.g. `6.0.14 r133895`. */
  readonly version?: string;
  readonly facilities: readonly { readonly name: string; readonly status: string; readonly statusCode: number; readonly changedMs: number }[];
}

export interface VmInfo {
  readonly name: string;
  readonly uuid: string;
  readonly osType?: string;
  readonly groups: readonly string[];
  readonly description?: string;
  readonly state: VmState;
  readonly stateRaw?: string;
  /** VMStateChangeTime, milliseconds since the epoch (VirtualBox prints UTC). */
  readonly stateChangedMs?: number;
  readonly stateFile?: string;
  readonly sessionName?: string;
  readonly configFile?: string;
  readonly snapshotFolder?: string;
  readonly logFolder?: string;
  readonly memoryMb?: number;
  readonly vramMb?: number;
  readonly cpus?: number;
  readonly chipset?: string;
  readonly firmware?: string;
  readonly encryption?: string;
  readonly nics: readonly Nic[];
  readonly storageControllers: readonly StorageController[];
  readonly storageAttachments: readonly StorageAttachment[];
  readonly snapshots: SnapshotTree;
  readonly guestAdditions: GuestAdditions;
  /** Every key not read into a field above, in print order. */
  readonly raw: ReadonlyMap<string, string>;
}

/** Reads keys from machine-readable output and remembers which were used, so the rest can go to `raw`. */
class KeyReader {
  private readonly used = new Set<string>();
  constructor(readonly mr: MachineReadable) {}

  get = (key: string): string | undefined => {
    this.used.add(key);
    return this.mr.values.get(key);
  };

  int(key: string): number | undefined {
    return int(this.get(key));
  }

  flag(key: string): boolean | undefined {
    return flag(this.get(key));
  }

  unread(): Map<string, string> {
    const raw = new Map<string, string>();
    for (const e of this.mr.entries) if (!this.used.has(e.key)) raw.set(e.key, e.value);
    return raw;
  }
}

const NIC_KEY = /^nic(\d+)$/;
const FORWARDING_KEY = /^Forwarding\(\d+\)$/;

function readNics(r: KeyReader): Nic[] {
  const nics: Nic[] = [];
  const forwards = new Map<number, PortForward[]>();
  let lastSlot: number | undefined;
  for (const entry of r.mr.entries) {
    const m = NIC_KEY.exec(entry.key);
    if (m) {
      lastSlot = Number(m[1]);
      continue;
    }
    // VirtualBox prints a NAT adapter's rules right after that adapter's lines.
    if (FORWARDING_KEY.test(entry.key) && lastSlot !== undefined) {
      r.get(entry.key);
      const rule = parsePortForward(entry.value);
      if (rule) forwards.set(lastSlot, [...(forwards.get(lastSlot) ?? []), rule]);
    }
  }
  for (const entry of r.mr.entries) {
    const m = NIC_KEY.exec(entry.key);
    if (!m) continue;
    const slot = Number(m[1]);
    const raw = r.get(entry.key)!;
    const attachment: NicAttachment = (NIC_ATTACHMENTS as readonly string[]).includes(raw) ? (raw as NicAttachment) : 'unknown';
    const nameKey = ATTACHMENT_NAME_KEY[attachment];
    const speed = r.int(`nicspeed${slot}`);
    nics.push(
      compact({
        slot,
        attachment,
        attachmentRaw: raw,
        network: nameKey === undefined ? undefined : r.get(`${nameKey}${slot}`),
        mac: r.get(`macaddress${slot}`),
        cableConnected: r.flag(`cableconnected${slot}`),
        nicType: r.get(`nictype${slot}`),
        speedKbps: speed,
        natNet: r.get(`natnet${slot}`),
        portForwards: forwards.get(slot) ?? [],
      }),
    );
  }
  return nics;
}

/** `name,proto,hostip,hostport,guestip,guestport`, e.g. `ssh,tcp,127.0.0.1,2222,,22`. */
export function parsePortForward(text: string): PortForward | undefined {
  const parts = text.split(',');
  if (parts.length !== 6) return undefined;
  const [name, protocol, hostIp, hostPort, guestIp, guestPort] = parts as [string, string, string, string, string, string];
  return { name, protocol, hostIp, hostPort: Number(hostPort), guestIp, guestPort: Number(guestPort) };
}

const CONTROLLER_KEY = /^storagecontrollername(\d+)$/;

function readStorage(r: KeyReader): { controllers: StorageController[]; attachments: StorageAttachment[] } {
  const controllers: StorageController[] = [];
  for (const entry of r.mr.entries) {
    const m = CONTROLLER_KEY.exec(entry.key);
    if (!m) continue;
    const i = m[1]!;
    controllers.push(
      compact({
        index: Number(i),
        name: r.get(entry.key)!,
        type: r.get(`storagecontrollertype${i}`),
        instance: r.int(`storagecontrollerinstance${i}`),
        portCount: r.int(`storagecontrollerportcount${i}`),
        maxPortCount: r.int(`storagecontrollermaxportcount${i}`),
        bootable: r.flag(`storagecontrollerbootable${i}`),
      }),
    );
  }
  // Longest name first, so a controller called "SATA-2" is not read as "SATA" port 2.
  const names = controllers.map((c) => c.name).sort((a, b) => b.length - a.length);
  const attachments = new Map<string, { controller: string; port: number; device: number; medium?: string; imageUuid?: string; options: Record<string, string> }>();
  for (const entry of r.mr.entries) {
    const controller = names.find((n) => entry.key.startsWith(`${n}-`));
    if (controller === undefined) continue;
    const m = /^(?:([A-Za-z-]+?)-)?(\d+)-(\d+)$/.exec(entry.key.slice(controller.length + 1));
    if (!m) continue; // e.g. 5.1's port-less "IDE-IsEjected": stays in raw
    r.get(entry.key);
    const id = `${controller}\0${m[2]}\0${m[3]}`;
    const a = attachments.get(id) ?? { controller, port: Number(m[2]), device: Number(m[3]), options: {} };
    attachments.set(id, a);
    const option = m[1];
    if (option === undefined) a.medium = entry.value;
    else if (option === 'ImageUUID') a.imageUuid = entry.value;
    else a.options[option] = entry.value;
  }
  const attached = [...attachments.values()].filter((a): a is typeof a & { medium: string } => a.medium !== undefined && a.medium !== 'none');
  return { controllers, attachments: attached.map((a) => compact({ ...a })) };
}

const FACILITY_KEY = /^GuestAdditionsFacility_(.+)$/;

function readGuestAdditions(r: KeyReader): GuestAdditions {
  const facilities: GuestAdditions['facilities'][number][] = [];
  for (const entry of r.mr.entries) {
    const m = FACILITY_KEY.exec(entry.key);
    if (!m) continue;
    const [status, changed] = r.get(entry.key)!.split(',');
    const statusCode = Number(status);
    facilities.push({ name: m[1]!, statusCode, status: FACILITY_STATUS[statusCode] ?? 'unknown', changedMs: Number(changed) });
  }
  return compact({
    guestOsType: r.get('GuestOSType'),
    runLevel: r.int('GuestAdditionsRunLevel'),
    version: r.get('GuestAdditionsVersion'),
    facilities,
  });
}

/** `2019-02-09T21:00:33.575000000` (UTC, nanoseconds) → epoch milliseconds. */
function parseVBoxTime(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = Date.parse(`${text.slice(0, 23)}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Typed view of parsed machine-readable output; name and UUID are required, everything else optional. */
export function vmInfoFromMachineReadable(mr: MachineReadable): VmInfo {
  const r = new KeyReader(mr);
  const name = r.get('name');
  const uuid = r.get('UUID');
  if (name === undefined || uuid === undefined) {
    throw new DcodError('VBOX_ERROR', `showvminfo output has no ${name === undefined ? 'name' : 'UUID'} line`, { context: ['reading showvminfo --machinereadable'] });
  }
  const stateRaw = r.get('VMState');
  const groups = r.get('groups');
  const storage = readStorage(r);
  // Read in this order so `raw` keeps only what no reader claimed.
  const info = compact({
    name,
    uuid,
    osType: r.get('ostype'),
    groups: groups === undefined || groups === '' ? [] : groups.split(','),
    description: r.get('description'),
    state: stateRaw === undefined ? 'unknown' : (VM_STATES as readonly string[]).includes(stateRaw) ? (stateRaw as VmState) : 'unknown',
    stateRaw,
    stateChangedMs: parseVBoxTime(r.get('VMStateChangeTime')),
    stateFile: r.get('VMStateFile'),
    sessionName: r.get('SessionName'),
    configFile: r.get('CfgFile'),
    snapshotFolder: r.get('SnapFldr'),
    logFolder: r.get('LogFldr'),
    memoryMb: r.int('memory'),
    vramMb: r.int('vram'),
    cpus: r.int('cpus'),
    chipset: r.get('chipset'),
    firmware: r.get('firmware'),
    // 7.0.0 printed the human "Encryption:" line by mistake; 7.x prints encryption="…".
    encryption: r.get('encryption') ?? r.get('Encryption'),
    nics: readNics(r),
    storageControllers: storage.controllers,
    storageAttachments: storage.attachments,
    snapshots: snapshotTreeFromMachineReadable(mr, r.get),
    guestAdditions: readGuestAdditions(r),
  });
  return { ...info, raw: r.unread() };
}

export function parseShowVmInfo(text: string): VmInfo {
  return vmInfoFromMachineReadable(parseMachineReadable(text));
}

/** The NICs alone, for output that lacks the name/UUID lines (filtered or partial captures). */
export function nicsFromMachineReadable(mr: MachineReadable): Nic[] {
  return readNics(new KeyReader(mr));
}

/** Guest Additions state alone, for the same reason. */
export function guestAdditionsFromMachineReadable(mr: MachineReadable): GuestAdditions {
  return readGuestAdditions(new KeyReader(mr));
}
