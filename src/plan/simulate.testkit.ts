/**
 * A pure stand-in for applying a plan: runs each operation's VBoxManage argv (and transfers) against
 * observed hosts and returns what the hosts would then look like. Strict where VirtualBox is strict —
 * modifyvm or storageattach on a running VM, a disk attached to two VMs, closemedium of an attached disk,
 * unregistervm --delete taking the VM's disks with it — so planner tests catch wrong ordering, and
 * `plan(doc, simulateApply(observed, plan(doc, observed)))` being empty checks the planner converges.
 */
import type { ObservedDisk, ObservedHost, ObservedVm } from '../hosts/observed';
import { NIC_SLOTS } from '../vbox/commands';
import type { Nic, StorageAttachment, StorageController, VmState } from '../vbox/showvminfo';
import { levels, type Plan } from './plan';
import { isTransfer } from './transfer';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type SimVm = Mutable<Omit<ObservedVm, 'nics' | 'storageControllers' | 'storageAttachments' | 'extraData'>> & {
  nics: Mutable<Nic>[];
  storageControllers: StorageController[];
  storageAttachments: StorageAttachment[];
  extraData: Record<string, string>;
};
type SimFile = { kind: 'disk'; sizeMb: number; format: string } | { kind: 'ova'; vm?: SimVm };
interface SimHost {
  readonly base: ObservedHost;
  vms: SimVm[];
  /** Registered disks by path. */
  media: Map<string, { uuid: string; sizeMb: number; format: string }>;
  files: Map<string, SimFile>;
}

export class SimulationError extends Error {}

let ids = 0;
const newUuid = () => `5ea1ab1e-0000-4000-8000-${(++ids).toString(16).padStart(12, '0')}`;
const newMac = () => `0800EE${(++ids & 0xffffff).toString(16).toUpperCase().padStart(6, '0')}`;

const RUNNING: readonly VmState[] = ['running', 'paused'];

function clone<T>(x: T): T {
  return structuredClone(x);
}

function toSim(h: ObservedHost): SimHost {
  const media = new Map<string, { uuid: string; sizeMb: number; format: string }>();
  const files = new Map<string, SimFile>();
  for (const d of h.disks ?? []) {
    media.set(d.location, { uuid: d.uuid, sizeMb: d.capacityMb ?? 0, format: d.format ?? 'VDI' });
    files.set(d.location, { kind: 'disk', sizeMb: d.capacityMb ?? 0, format: d.format ?? 'VDI' });
  }
  for (const vm of h.vms) {
    for (const a of vm.storageAttachments) {
      if (!media.has(a.medium)) media.set(a.medium, { uuid: a.imageUuid ?? newUuid(), sizeMb: 0, format: 'VDI' });
      if (!files.has(a.medium)) files.set(a.medium, { kind: 'disk', sizeMb: 0, format: 'VDI' });
    }
  }
  return { base: h, vms: h.vms.map((v) => clone(v) as SimVm), media, files };
}

function fromSim(s: SimHost): ObservedHost {
  const disks: ObservedDisk[] = [...s.media].sort(([a], [b]) => a.localeCompare(b)).map(([location, m]) => ({ uuid: m.uuid, location, capacityMb: m.sizeMb, format: m.format }));
  return { ...s.base, vms: [...s.vms].sort((a, b) => a.name.localeCompare(b.name)) as ObservedVm[], disks };
}

function emptyNics(chipset: 'piix3' | 'ich9'): Mutable<Nic>[] {
  return Array.from({ length: NIC_SLOTS[chipset] }, (_, i) => ({ slot: i + 1, attachment: 'none', attachmentRaw: 'none', mac: newMac(), cableConnected: true, portForwards: [] }));
}

function newVm(name: string, groups: string[]): SimVm {
  return {
    name, uuid: newUuid(), groups: groups.length ? groups : ['/'], state: 'poweroff', memoryMb: 128, cpus: 1, chipset: 'piix3', nics: emptyNics('piix3'),
    storageControllers: [], storageAttachments: [], snapshots: { root: undefined, current: undefined }, guestAdditions: { facilities: [] }, raw: {}, extraData: {}, guestProperties: {},
  };
}

/** Options after the positional ones: `--name x --register` → { name: 'x', register: '' }. */
function options(args: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) throw new SimulationError(`unexpected argument ${a}`);
    const next = args[i + 1];
    if (next === undefined || next.startsWith('--')) out.set(a.slice(2), '');
    else {
      out.set(a.slice(2), next);
      i++;
    }
  }
  return out;
}

class Host {
  constructor(readonly s: SimHost) {}

  vm(ref: string): SimVm {
    const found = this.s.vms.filter((v) => v.uuid === ref || v.name === ref);
    if (found.length !== 1) throw new SimulationError(`${found.length ? 'ambiguous' : 'no'} VM ${ref} on ${this.s.base.host}`);
    return found[0]!;
  }

  off(vm: SimVm, what: string): void {
    if (vm.state !== 'poweroff' && vm.state !== 'aborted') throw new SimulationError(`${what}: VM ${vm.name} is ${vm.state}`);
  }

  addVm(vm: SimVm): void {
    if (this.s.vms.some((v) => v.name === vm.name)) throw new SimulationError(`a VM named ${vm.name} already exists on ${this.s.base.host}`);
    this.s.vms.push(vm);
  }

  holder(path: string): SimVm | undefined {
    return this.s.vms.find((v) => v.storageAttachments.some((a) => a.medium === path));
  }

  run(argv: readonly string[]): void {
    // Removing a copied OVA: files outside VirtualBox's registry are not modelled.
    if (argv[0] === 'rm' || argv[0] === 'cmd') return;
    if (argv[0] !== 'VBoxManage') throw new SimulationError(`not a VBoxManage command: ${argv.join(' ')}`);
    const [verb = '', ...rest] = argv.slice(1);
    switch (verb) {
      case 'createvm': {
        const o = options(rest);
        this.addVm(newVm(o.get('name')!, o.get('groups')?.split(',') ?? []));
        return;
      }
      case 'clonevm': {
        const [src = '', ...more] = rest;
        const o = options(more);
        const from = this.vm(src);
        const snap = o.get('snapshot');
        if (o.get('options') === 'link' && (snap === undefined || from.snapshots.root?.name !== snap)) throw new SimulationError(`no snapshot ${snap} of ${from.name}`);
        const vm = newVm(o.get('name')!, o.get('groups')?.split(',') ?? []);
        Object.assign(vm, { cpus: from.cpus, memoryMb: from.memoryMb, chipset: from.chipset, nics: from.nics.map((n) => ({ ...n, mac: newMac() })), storageControllers: clone(from.storageControllers) });
        // A linked clone gets a differencing image of each of the template's disks, on the same ports.
        vm.storageAttachments = from.storageAttachments.map((a) => {
          const medium = `${this.s.base.machineFolder}/${vm.name}/Snapshots/{${newUuid()}}.vdi`;
          this.s.files.set(medium, { kind: 'disk', sizeMb: 0, format: 'VDI' });
          this.s.media.set(medium, { uuid: newUuid(), sizeMb: 0, format: 'VDI' });
          return { ...a, medium };
        });
        this.addVm(vm);
        return;
      }
      case 'import': {
        const [path = '', ...more] = rest;
        const o = options(more);
        const file = this.s.files.get(path);
        if (file?.kind !== 'ova') throw new SimulationError(`no OVA ${path} on ${this.s.base.host}`);
        const vm = file.vm ? { ...clone(file.vm), uuid: newUuid(), name: o.get('vmname')!, groups: ['/'], state: 'poweroff' as VmState } : newVm(o.get('vmname')!, []);
        vm.nics = vm.nics.map((n) => ({ ...n, mac: newMac() }));
        // Disks travel inside the OVA and land beside the imported VM.
        vm.storageAttachments = vm.storageAttachments.map((a) => {
          const medium = `${this.s.base.machineFolder}/${vm.name}/${a.medium.split('/').at(-1)}`;
          this.s.media.set(medium, { uuid: newUuid(), sizeMb: 0, format: 'VMDK' });
          this.s.files.set(medium, { kind: 'disk', sizeMb: 0, format: 'VMDK' });
          return { ...a, medium };
        });
        this.addVm(vm);
        return;
      }
      case 'modifyvm': {
        const [ref = '', ...more] = rest;
        const vm = this.vm(ref);
        this.off(vm, 'modifyvm');
        const o = options(more);
        const chipset = (o.get('chipset') ?? vm.chipset) as 'piix3' | 'ich9';
        if (chipset !== vm.chipset) {
          const nics = emptyNics(chipset);
          for (const n of vm.nics) if (n.slot <= NIC_SLOTS[chipset]) nics[n.slot - 1] = n;
          vm.nics = nics;
          vm.chipset = chipset;
        }
        for (const [k, v] of o) {
          if (k === 'memory') vm.memoryMb = Number(v);
          else if (k === 'cpus') vm.cpus = Number(v);
          else if (k === 'groups') vm.groups = v.split(',');
          else if (k === 'chipset') continue;
          else {
            const m = /^(nic|intnet|bridgeadapter|macaddress|cableconnected)(\d+)$/.exec(k);
            if (!m) throw new SimulationError(`modifyvm option --${k} not simulated`);
            const nic = vm.nics[Number(m[2]) - 1];
            if (!nic) throw new SimulationError(`VM ${vm.name} (${vm.chipset}) has no NIC ${m[2]}`);
            if (m[1] === 'nic') Object.assign(nic, { attachment: v, attachmentRaw: v, network: undefined });
            else if (m[1] === 'intnet' || m[1] === 'bridgeadapter') nic.network = v;
            else if (m[1] === 'macaddress') nic.mac = v;
            else nic.cableConnected = v === 'on';
          }
        }
        return;
      }
      case 'setextradata': {
        const [ref = '', key = '', value] = rest;
        const vm = this.vm(ref);
        if (value === undefined) delete vm.extraData[key];
        else vm.extraData[key] = value;
        return;
      }
      case 'storagectl': {
        const [ref = '', ...more] = rest;
        const vm = this.vm(ref);
        this.off(vm, 'storagectl');
        const o = options(more);
        const name = o.get('name')!;
        if (o.has('remove')) {
          if (!vm.storageControllers.some((c) => c.name === name)) throw new SimulationError(`no controller ${name}`);
          if (vm.storageAttachments.some((a) => a.controller === name)) throw new SimulationError(`controller ${name} still has disks`);
          vm.storageControllers = vm.storageControllers.filter((c) => c.name !== name);
          return;
        }
        if (vm.storageControllers.some((c) => c.name === name)) throw new SimulationError(`controller ${name} already exists on ${vm.name}`);
        if (o.get('add') === 'sata' && vm.chipset === 'piix3' && vm.storageControllers.some((c) => c.type === 'IntelAhci')) throw new SimulationError(`a piix3 VM has one SATA controller at most (${vm.name})`);
        vm.storageControllers.push({ index: vm.storageControllers.length, name, type: 'IntelAhci', portCount: Number(o.get('portcount') ?? 30) });
        return;
      }
      case 'storageattach': {
        const [ref = '', ...more] = rest;
        const vm = this.vm(ref);
        this.off(vm, 'storageattach');
        const o = options(more);
        const controller = o.get('storagectl')!;
        if (!vm.storageControllers.some((c) => c.name === controller)) throw new SimulationError(`no controller ${controller} on ${vm.name}`);
        const port = Number(o.get('port'));
        const device = Number(o.get('device'));
        const medium = o.get('medium')!;
        vm.storageAttachments = vm.storageAttachments.filter((a) => !(a.controller === controller && a.port === port && a.device === device));
        if (medium === 'none') return;
        const file = this.s.files.get(medium);
        if (file?.kind !== 'disk') throw new SimulationError(`no disk ${medium} on ${this.s.base.host}`);
        const other = this.holder(medium);
        if (other) throw new SimulationError(`disk ${medium} is already attached to ${other.name}`);
        if (!this.s.media.has(medium)) this.s.media.set(medium, { uuid: newUuid(), sizeMb: file.sizeMb, format: file.format });
        vm.storageAttachments.push({ controller, port, device, medium, options: {} });
        return;
      }
      case 'createmedium': {
        const o = options(rest.slice(1));
        const path = o.get('filename')!;
        if (this.s.files.has(path)) throw new SimulationError(`${path} exists`);
        const disk = { sizeMb: Number(o.get('size')), format: o.get('format') ?? 'VDI' };
        this.s.files.set(path, { kind: 'disk', ...disk });
        this.s.media.set(path, { uuid: newUuid(), ...disk });
        return;
      }
      case 'closemedium': {
        const [, path = '', flag] = rest;
        if (!this.s.media.has(path)) throw new SimulationError(`disk ${path} is not registered`);
        const by = this.holder(path);
        if (by) throw new SimulationError(`disk ${path} is attached to ${by.name}`);
        this.s.media.delete(path);
        if (flag === '--delete') this.s.files.delete(path);
        return;
      }
      case 'modifymedium': {
        const [, path = '', , size = ''] = rest;
        // Like storageattach, modifymedium opens (registers) a disk file given by path.
        const file = this.s.files.get(path);
        if (!this.s.media.has(path) && file?.kind === 'disk') this.s.media.set(path, { uuid: newUuid(), sizeMb: file.sizeMb, format: file.format });
        const m = this.s.media.get(path);
        if (!m) throw new SimulationError(`no disk ${path} on ${this.s.base.host}`);
        const by = this.holder(path);
        if (by && RUNNING.includes(by.state)) throw new SimulationError(`disk ${path} is in use by running ${by.name}`);
        if (Number(size) < m.sizeMb) throw new SimulationError(`disk ${path} can't shrink`);
        m.sizeMb = Number(size);
        this.s.files.set(path, { kind: 'disk', sizeMb: m.sizeMb, format: m.format });
        return;
      }
      case 'startvm': {
        const vm = this.vm(rest[0]!);
        if (RUNNING.includes(vm.state)) throw new SimulationError(`VM ${vm.name} is already running`);
        vm.state = 'running';
        return;
      }
      case 'controlvm': {
        const [ref = '', action = '', ...more] = rest;
        const vm = this.vm(ref);
        if (!RUNNING.includes(vm.state)) throw new SimulationError(`controlvm ${action}: VM ${vm.name} is not running`);
        if (action === 'poweroff') {
          vm.state = 'poweroff';
          return;
        }
        const m = /^(nic|setlinkstate)(\d+)$/.exec(action);
        const nic = m ? vm.nics[Number(m[2]) - 1] : undefined;
        if (!m || !nic || nic.attachment === 'none') throw new SimulationError(`controlvm ${action} on ${vm.name} not possible`);
        if (m[1] === 'nic') Object.assign(nic, { attachment: more[0], attachmentRaw: more[0], network: more[1] });
        else nic.cableConnected = more[0] === 'on';
        return;
      }
      case 'discardstate': {
        const vm = this.vm(rest[0]!);
        if (vm.state !== 'saved' && vm.state !== 'aborted-saved') throw new SimulationError(`VM ${vm.name} has no saved state`);
        vm.state = 'poweroff';
        return;
      }
      case 'unregistervm': {
        const vm = this.vm(rest[0]!);
        if (RUNNING.includes(vm.state)) throw new SimulationError(`unregistervm: VM ${vm.name} is running`);
        // WARNING, as VirtualBox does: --delete takes the VM's disks with it.
        for (const a of vm.storageAttachments) {
          this.s.media.delete(a.medium);
          this.s.files.delete(a.medium);
        }
        this.s.vms = this.s.vms.filter((v) => v !== vm);
        return;
      }
      case 'export': {
        const [ref = '', , path = ''] = rest;
        const vm = this.vm(ref);
        this.off(vm, 'export');
        if (this.s.files.has(path)) throw new SimulationError(`${path} exists`);
        this.s.files.set(path, { kind: 'ova', vm: clone(vm) });
        return;
      }
      default:
        throw new SimulationError(`VBoxManage ${verb} not simulated`);
    }
  }
}

/** The hosts after `plan` ran to the end (throws SimulationError where VirtualBox would fail). */
export function simulateApply(observed: readonly ObservedHost[], plan: Plan): ObservedHost[] {
  const hosts = new Map(observed.map((h) => [h.host, new Host(toSim(h))]));
  const done = new Set<string>();
  const get = (name: string) => {
    const h = hosts.get(name);
    if (!h) throw new SimulationError(`no host ${name}`);
    return h;
  };
  for (const op of levels(plan).flat()) {
    for (const dep of op.dependsOn) if (!done.has(dep)) throw new SimulationError(`${op.id} runs before ${dep}`);
    if (op.target.kind !== 'host') throw new SimulationError(`${op.id}: proxy targets are not simulated`);
    if (isTransfer(op)) {
      const t = op.transfer;
      const from = t.from.host === undefined ? ({ kind: 'ova' } as SimFile) : get(t.from.host).s.files.get(t.from.path);
      if (!from) throw new SimulationError(`${op.id}: no file ${t.from.path} on ${t.from.host}`);
      get(t.to.host ?? op.target.host).s.files.set(t.to.path, clone(from));
      if (t.removeSource && t.from.host !== undefined) get(t.from.host).s.files.delete(t.from.path);
    }
    const h = get(op.target.host);
    for (const argv of op.commands) {
      try {
        h.run(argv);
      } catch (err) {
        throw new SimulationError(`${op.id}: ${argv.join(' ')}: ${(err as Error).message}`);
      }
    }
    done.add(op.id);
  }
  return [...hosts.values()].map((h) => fromSim(h.s));
}
