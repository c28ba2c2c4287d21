/**
 * A VM as the planner compares it: the document's VM resolved to what VirtualBox shows (intnet names,
 * NIC slots, volume names by SATA port, power), the same read from an observed VM, and the differences
 * between the two — each saying whether it needs the VM powered off and whether it is drift (the
 * document did not change it since the last apply, so someone changed the VM by hand).
 */
import type { ObservedVm } from '../hosts/observed';
import type { Datacenter, PowerState, Vm } from '../model/document';
import { NIC_SLOTS, vniIntnetName, type Chipset } from '../vbox/commands';
import type { VmState } from '../vbox/showvminfo';
import { volumeAt } from './host-paths';

/** The SATA controller DCoD attaches volumes to, one per VM, volume i on port i. */
export const VOLUME_CONTROLLER = 'dcod-sata';

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
  /** Volume names by port of VOLUME_CONTROLLER. */
  readonly volumes: readonly string[];
  readonly power: PowerState;
}

export function desiredSpec(vm: Vm, doc: Datacenter): VmSpec {
  const vni = new Map(doc.switches.map((s) => [s.name, s.vni]));
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

/** Volume name (or, for a disk that isn't one of ours, its path) on each port of VOLUME_CONTROLLER. */
export function observedVolumes(vm: ObservedVm, datacenter: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const a of vm.storageAttachments) {
    if (a.controller !== VOLUME_CONTROLLER || a.device !== 0 || a.medium === 'emptydrive') continue;
    out.set(a.port, volumeAt(a.medium, datacenter)?.name ?? a.medium);
  }
  return out;
}

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
  /** Ports to empty, then volumes to attach. */
  readonly detach: readonly { readonly port: number; readonly what: string }[];
  readonly attach: readonly { readonly port: number; readonly volume: string }[];
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

  const have = observedVolumes(vm, ctx.datacenter);
  const want = new Map<number, string>();
  desired.volumes.forEach((v, port) => {
    if (!ctx.unavailable?.has(v)) want.set(port, v);
  });
  const ports = [...new Set([...have.keys(), ...want.keys()])].sort((a, b) => a - b);
  const detach: { port: number; what: string }[] = [];
  const attach: { port: number; volume: string }[] = [];
  for (const port of ports) {
    const h = have.get(port);
    const w = want.get(port);
    if (h === w) continue;
    const driftVol = recorded !== undefined && same(recorded.volumes?.[port], desired.volumes[port]);
    if (h !== undefined) detach.push({ port, what: h });
    if (w !== undefined) attach.push({ port, volume: w });
    change('volume', h === undefined ? `volume ${w} attached at port ${port}` : w === undefined ? `volume ${h} detached from port ${port}` : `port ${port}: volume ${h} → ${w}`, true, driftVol);
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
