/**
 * A VM as the planner compares it: the document's VM resolved to what VirtualBox shows (intnet names,
 * NIC slots, volume names by SATA port, power), the same read from an observed VM, and the differences
 * between the two — each saying whether it needs the VM powered off and whether it is drift (the
 * document did not change it since the last apply, so someone changed the VM by hand).
 */
import type { ObservedVm } from '../hosts/observed';
import type { Datacenter, PowerState, Vm } from '../model/document';
import { NIC_SLOTS, vniIntnetName, type Chipset } from '../vbox/commands';
import type { StorageAttachment, VmState } from '../vbox/showvminfo';
import { volumeAt } from './host-paths';

/**
 * The SATA controller DCoD adds for volumes when a VM has none. A piix3 VM may have only ONE SATA
 * controller, so a VM that already has one (a template's boot disk) gets its volumes there instead,
 * on the ports after the VM's own disks (see `volumeBay`).
 */
export const VOLUME_CONTROLLER = 'dcod-sata';
/** Ports of a SATA controller (`list systemproperties`: "Maximum SATA Port count"). */
export const SATA_PORTS = 30;

/** Extradata holding the spec last applied to the VM (JSON), so the next plan can tell drift from edits. */
export const EXTRA_SPEC = 'dcod/spec';

/** The network a NIC is on: an intnet name (`dcod-vni-10`), or `bridged` to the host's LAN interface. */
export interface SpecNic {
  readonly net: string;
  /** For people: `switch lan` or `bridged`. */
  readonly label: string;
  /** 12 upper-case hex digits; absent when the document leaves it to VirtualBox. */
  readonly mac?: string;
  readonly connected: boolean;
}

export const BRIDGED = 'bridged';

export interface VmSpec {
  readonly cpus: number;
  readonly memoryMb: number;
  readonly chipset: Chipset;
  /** Slot n+1 is nics[n]; slots past the end are disabled. */
  readonly nics: readonly SpecNic[];
  /** Volume names in the order they sit on the VM's volume bay (see `volumeBay`). */
  readonly volumes: readonly string[];
  readonly power: PowerState;
  /** The image it was made from: recorded, so a later change of it can be pointed out (it isn't rebuilt). */
  readonly image?: string;
}

/** Each document's switch → VNI map, made once: desiredSpec runs per VM, several times per plan. */
const vnisOf = new WeakMap<Datacenter, ReadonlyMap<string, number>>();

export function desiredSpec(vm: Vm, doc: Datacenter): VmSpec {
  let vni = vnisOf.get(doc);
  if (!vni) vnisOf.set(doc, (vni = new Map(doc.switches.map((s) => [s.name, s.vni]))));
  return {
    cpus: vm.cpus,
    memoryMb: vm.memoryMb,
    chipset: vm.chipset,
    nics: vm.nics.map((nic) => ({
      ...('switch' in nic ? { net: vniIntnetName(vni.get(nic.switch) ?? 0), label: `switch ${nic.switch}` } : { net: BRIDGED, label: 'bridged' }),
      ...(nic.mac === undefined ? {} : { mac: nic.mac.toUpperCase() }),
      connected: nic.connected ?? true,
    })),
    volumes: vm.volumes,
    power: vm.power,
    ...(vm.image === undefined ? {} : { image: vm.image }),
  };
}

/** The spec recorded on the VM by the last apply, if it reads as one. */
export function recordedSpec(vm: ObservedVm): Partial<VmSpec> | undefined {
  const text = vm.extraData[EXTRA_SPEC];
  if (text === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null ? (v as Partial<VmSpec>) : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------
// Power states

/** States where the VM's process runs: `controlvm poweroff` stops it. */
const RUNNING_STATES: ReadonlySet<VmState> = new Set(['running', 'paused', 'gurumeditation']);
/** Not running, but settings are locked until the saved state is discarded. */
const SAVED_STATES: ReadonlySet<VmState> = new Set(['saved', 'aborted-saved']);
const OFF_STATES: ReadonlySet<VmState> = new Set(['poweroff', 'aborted', 'teleported']);

export type PowerClass = 'running' | 'saved' | 'off' | 'busy';

/** `busy`: in a transition (starting, saving, snapshotting…) the planner must wait out. */
export function powerClass(state: VmState): PowerClass {
  if (RUNNING_STATES.has(state)) return 'running';
  if (SAVED_STATES.has(state)) return 'saved';
  if (OFF_STATES.has(state)) return 'off';
  return 'busy';
}

/** The power change the document asks for, if any (a saved VM counts as stopped). */
export function powerChange(desired: VmSpec, vm: ObservedVm): Change | undefined {
  const pc = powerClass(vm.state);
  const drift = recordedSpec(vm)?.power === desired.power;
  if (desired.power === 'running' && pc !== 'running' && pc !== 'busy') return { area: 'hardware', text: `${vm.state} → running`, offline: false, drift };
  if (desired.power === 'stopped' && pc === 'running') return { area: 'hardware', text: `${vm.state} → stopped`, offline: false, drift };
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// Differences

export interface ObservedNicView {
  readonly slot: number;
  readonly attachment: string;
  readonly network?: string;
  readonly mac?: string;
  readonly connected: boolean;
}

export function observedNic(vm: ObservedVm, slot: number): ObservedNicView {
  const n = vm.nics.find((x) => x.slot === slot);
  if (!n) return { slot, attachment: 'none', connected: true };
  return { slot, attachment: n.attachment, ...(n.network === undefined ? {} : { network: n.network }), ...(n.mac === undefined ? {} : { mac: n.mac.toUpperCase() }), connected: n.cableConnected ?? true };
}

/** Where a VM's volumes sit: volume i on `controller` port `firstPort + i`; `add`: the controller is to be added. */
export interface VolumeBay {
  readonly controller: string;
  readonly firstPort: number;
  readonly add: boolean;
}

type Storage = Pick<ObservedVm, 'storageControllers' | 'storageAttachments'>;

/**
 * The volume bay of a VM with these controllers (the VM itself, or the template it is cloned from): DCoD's
 * own controller if it has one; else the VM's SATA controller, after the last port its own disks use;
 * else DCoD's controller, added.
 */
export function volumeBay(vm: Storage, datacenter: string): VolumeBay {
  if (vm.storageControllers.some((c) => c.name === VOLUME_CONTROLLER)) return { controller: VOLUME_CONTROLLER, firstPort: 0, add: false };
  const sata = vm.storageControllers.filter((c) => c.type === 'IntelAhci').sort((a, b) => a.name.localeCompare(b.name))[0];
  if (!sata) return { controller: VOLUME_CONTROLLER, firstPort: 0, add: true };
  const own = vm.storageAttachments.filter((a) => a.controller === sata.name && volumeAt(a.medium, datacenter) === undefined);
  return { controller: sata.name, firstPort: Math.max(-1, ...own.map((a) => a.port)) + 1, add: false };
}

/** The same VM's storage with DCoD's controller and volumes taken away (as a move exports it). */
export function withoutVolumes(vm: Storage, datacenter: string): Storage {
  return {
    storageControllers: vm.storageControllers.filter((c) => c.name !== VOLUME_CONTROLLER),
    storageAttachments: vm.storageAttachments.filter((a) => !isVolumeAttachment(a, datacenter)),
  };
}

/** One of this datacenter's volumes (on any controller), or anything on DCoD's own controller. */
export function isVolumeAttachment(a: StorageAttachment, datacenter: string): boolean {
  return a.controller === VOLUME_CONTROLLER || volumeAt(a.medium, datacenter) !== undefined;
}

export interface VolumePosition {
  readonly controller: string;
  readonly port: number;
  readonly device: number;
}

const positionKey = (p: VolumePosition) => `${p.controller}\0${p.port}\0${p.device}`;

export interface NicChange {
  readonly slot: number;
  readonly desired?: SpecNic;
  readonly observed: ObservedNicView;
  /** Attachment or network differs (a running VM can re-attach live). */
  readonly rewire: boolean;
  /** Cable differs (a running VM can plug or unplug live). */
  readonly cable: boolean;
  /** Needs the VM off: a NIC added or removed, or a MAC changed. */
  readonly offline: boolean;
}

export interface Change {
  /** What the change touches: the VM's hardware settings, a NIC, or which volume sits on which port. */
  readonly area: 'hardware' | 'nic' | 'volume';
  readonly text: string;
  readonly offline: boolean;
  readonly drift: boolean;
}

export interface VmDiff {
  readonly cpus?: number;
  readonly memoryMb?: number;
  readonly chipset?: Chipset;
  readonly nics: readonly NicChange[];
  /** Positions to empty, then volumes to attach. */
  readonly detach: readonly (VolumePosition & { readonly what: string; readonly medium: string })[];
  readonly attach: readonly (VolumePosition & { readonly volume: string })[];
  readonly changes: readonly Change[];
}

export interface DiffContext {
  readonly datacenter: string;
  /** Whether a bridged NIC on this host interface is on the LAN (any live LAN interface will do). */
  readonly bridgeOk: (adapter: string | undefined) => boolean;
  /** `switch lan` for `dcod-vni-10`, for messages. */
  readonly describeNet: (attachment: string, network: string | undefined) => string;
  /** Volumes to leave off the comparison (not available on this host; a diagnostic says why). */
  readonly unavailable?: ReadonlySet<string>;
  /** Where the VM's volumes go (`volumeBay` of the VM). */
  readonly bay: VolumeBay;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export function nicMatches(d: SpecNic, o: ObservedNicView, bridgeOk: DiffContext['bridgeOk']): { attachment: boolean; cable: boolean; mac: boolean } {
  const attachment = d.net === BRIDGED ? o.attachment === 'bridged' && bridgeOk(o.network) : o.attachment === 'intnet' && o.network === d.net;
  return { attachment, cable: o.connected === d.connected, mac: d.mac === undefined || o.mac === d.mac };
}

export function diffVm(desired: VmSpec, vm: ObservedVm, ctx: DiffContext): VmDiff {
  const recorded = recordedSpec(vm);
  const changes: Change[] = [];
  // Drift: the document says today what it said at the last apply, yet the VM differs.
  const change = (area: Change['area'], text: string, offline: boolean, unchangedSinceApply: boolean) => changes.push({ area, text, offline, drift: unchangedSinceApply });
  const out: { -readonly [K in keyof VmDiff]: VmDiff[K] } = { nics: [], detach: [], attach: [], changes };

  if (vm.cpus !== desired.cpus) {
    out.cpus = desired.cpus;
    change('hardware', `cpus ${vm.cpus ?? '?'} → ${desired.cpus}`, true, recorded?.cpus === desired.cpus);
  }
  if (vm.memoryMb !== desired.memoryMb) {
    out.memoryMb = desired.memoryMb;
    change('hardware', `memory ${vm.memoryMb ?? '?'} → ${desired.memoryMb} MB`, true, recorded?.memoryMb === desired.memoryMb);
  }
  if (vm.chipset !== desired.chipset) {
    out.chipset = desired.chipset;
    change('hardware', `chipset ${vm.chipset ?? '?'} → ${desired.chipset}`, true, recorded?.chipset === desired.chipset);
  }

  const nics: NicChange[] = [];
  const lastObserved = Math.max(0, ...vm.nics.map((n) => n.slot));
  const slots = Math.max(desired.nics.length, lastObserved);
  for (let slot = 1; slot <= slots; slot++) {
    const d = desired.nics[slot - 1];
    const o = observedNic(vm, slot);
    const driftNic = recorded !== undefined && same(recorded.nics?.[slot - 1], d);
    const was = o.attachment === 'none' ? 'off' : ctx.describeNet(o.attachment, o.network);
    if (d === undefined) {
      if (o.attachment === 'none') continue;
      nics.push({ slot, observed: o, rewire: true, cable: false, offline: true });
      change('nic', `nic${slot} ${was} removed`, true, driftNic);
      continue;
    }
    if (o.attachment === 'none') {
      nics.push({ slot, desired: d, observed: o, rewire: true, cable: true, offline: true });
      change('nic', `nic${slot} added (${d.label})`, true, driftNic);
      continue;
    }
    const m = nicMatches(d, o, ctx.bridgeOk);
    if (m.attachment && m.cable && m.mac) continue;
    nics.push({ slot, desired: d, observed: o, rewire: !m.attachment, cable: !m.cable, offline: !m.mac });
    if (!m.attachment) change('nic', `nic${slot} ${was} → ${d.label}`, false, driftNic);
    if (!m.cable) change('nic', `nic${slot} cable ${d.connected ? 'plugged in' : 'unplugged'}`, false, driftNic);
    if (!m.mac) change('nic', `nic${slot} MAC ${o.mac ?? '?'} → ${d.mac}`, true, driftNic);
  }
  out.nics = nics;

  const have = new Map<string, VolumePosition & { what: string; medium: string }>();
  for (const a of vm.storageAttachments) {
    if (isVolumeAttachment(a, ctx.datacenter)) have.set(positionKey(a), { controller: a.controller, port: a.port, device: a.device, medium: a.medium, what: volumeAt(a.medium, ctx.datacenter)?.name ?? a.medium });
  }
  const want = new Map<string, VolumePosition & { volume: string }>();
  desired.volumes.forEach((volume, i) => {
    const at = { controller: ctx.bay.controller, port: ctx.bay.firstPort + i, device: 0 };
    if (!ctx.unavailable?.has(volume)) want.set(positionKey(at), { ...at, volume });
  });
  const driftVol = recorded !== undefined && same(recorded.volumes, desired.volumes);
  const detach: (VolumePosition & { what: string; medium: string })[] = [];
  const attach: (VolumePosition & { volume: string })[] = [];
  for (const key of [...new Set([...have.keys(), ...want.keys()])].sort()) {
    const h = have.get(key);
    const w = want.get(key);
    if (h?.what === w?.volume) continue;
    if (h) detach.push(h);
    if (w) attach.push(w);
    const where = `${(h ?? w)!.controller} port ${(h ?? w)!.port}`;
    change('volume', !h ? `volume ${w!.volume} attached at ${where}` : !w ? `volume ${h.what} detached from ${where}` : `${where}: volume ${h.what} → ${w.volume}`, true, driftVol);
  }
  out.detach = detach;
  out.attach = attach;
  return out;
}

/** How a VM's NIC count, slots and chipset fit: every slot past the document's NICs is disabled on create. */
export function slotsToDisable(desired: VmSpec): number[] {
  const out: number[] = [];
  for (let slot = desired.nics.length + 1; slot <= NIC_SLOTS[desired.chipset]; slot++) out.push(slot);
  return out;
}
