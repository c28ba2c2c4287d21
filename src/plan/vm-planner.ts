/**
 * Operations for the datacenter's VMs: create (linked clone of a template, OVA import, or empty VM), then
 * tag, configure, attach volumes and start; update in place (live NIC re-wiring on a running VM, or
 * stop → modify → start for what needs it powered off); move to another host (export, copy, import,
 * delete the old one); delete what the document no longer has. Each VM's operations form a chain on its
 * host; the last one records the applied spec on the VM (EXTRA_SPEC), so the next plan tells drift apart.
 */
import type { Diagnostic } from '../diagnostics';
import type { ObservedVm } from '../hosts/observed';
import { dcodGroup, EXTRA_DATACENTER, EXTRA_ROLE } from '../model/tags';
import { vmNicMac } from '../overlay/names';
import * as cmd from '../vbox/commands';
import type { Chipset, NicAttachmentSpec, NicSettings } from '../vbox/commands';
import { flattenSnapshots } from '../vbox/snapshot';
import { movingVmPath, removeFileCommand } from './host-paths';
import { hostOperation, opId, type OperationInput, type Step } from './operation';
import type { Action, Command, Operation } from './plan';
import type { Transfer, TransferOperation } from './transfer';
import { BRIDGED, diffVm, EXTRA_SPEC, isVolumeAttachment, observedNic, powerChange, powerClass, recordedSpec, SATA_PORTS, slotsToDisable, VOLUME_CONTROLLER, type Change, type SpecNic, type VmSpec, type VolumeBay, type VolumePosition } from './vm-spec';
import { baseMedium, diskKey, type Copy, type VmTarget, type World } from './world';

export interface VmPlan {
  readonly operations: readonly Operation[];
  readonly diagnostics: readonly Diagnostic[];
  /** The operation that detaches each disk (by diskKey) from the VM holding it. */
  readonly detaches: ReadonlyMap<string, string>;
}

/** Operations of one VM on one host, each depending on the one before. */
class Chain {
  readonly ops: { input: OperationInput; extraDeps: (string | undefined)[]; transfer?: Transfer }[] = [];
  constructor(
    readonly name: string,
    readonly host: string,
  ) {}

  add(step: Step, action: Action, summary: string, reason: string, commands: Command[], o: { deps?: (string | undefined)[]; before?: unknown; after?: unknown; transfer?: Transfer } = {}): string {
    const previous = this.ops.at(-1);
    const input: OperationInput = {
      kind: 'vm', name: this.name, step, host: this.host, action, summary, reason, commands,
      dependsOn: previous ? [opId('vm', this.name, previous.input.step, this.host)] : [],
      ...(o.before === undefined ? {} : { before: o.before }),
      ...(o.after === undefined ? {} : { after: o.after }),
    };
    this.ops.push({ input, extraDeps: o.deps ?? [], ...(o.transfer ? { transfer: o.transfer } : {}) });
    return opId('vm', this.name, step, this.host);
  }

  /** Appends commands to the last operation (the spec record goes there). */
  appendToLast(commands: Command[]): void {
    const last = this.ops.at(-1);
    if (last) last.input = { ...last.input, commands: [...last.input.commands, ...commands] };
  }

  build(): Operation[] {
    return this.ops.map(({ input, extraDeps, transfer }) => {
      const op = hostOperation({ ...input, dependsOn: [...(input.dependsOn ?? []), ...extraDeps] });
      return transfer ? { ...op, transfer } : op;
    });
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function describeSpec(spec: VmSpec): string {
  return [plural(spec.cpus, 'CPU'), `${spec.memoryMb} MB`, plural(spec.nics.length, 'NIC'), ...(spec.volumes.length ? [plural(spec.volumes.length, 'volume')] : [])].join(', ');
}

function reasonOf(changes: readonly { text: string; drift: boolean }[]): string {
  return changes.map((c) => (c.drift ? `drift: ${c.text}` : c.text)).join('; ');
}

export function planVms(world: World): VmPlan {
  const chains: Chain[] = [];
  const uploads = new Map<string, Operation>();
  const detaches = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  /** Attach operations whose dependencies on other VMs' detaches are known only once every chain is built. */
  const lateDeps: { chain: Chain; index: number; needs: { volume: string; key: string }[] }[] = [];
  const dc = world.dc;

  // resolveWorld keeps VMs with bridged NICs off hosts that have nothing to bridge to, so the adapter is there.
  const attachment = (host: string, nic: SpecNic): NicAttachmentSpec => (nic.net === BRIDGED ? { type: 'bridged', adapter: world.bridgeAdapter(host) ?? '' } : { type: 'intnet', network: nic.net });
  const nicSettings = (host: string, slot: number, nic: SpecNic | undefined): NicSettings =>
    nic === undefined ? { slot, attachment: { type: 'none' } } : { slot, attachment: attachment(host, nic), ...(nic.mac === undefined ? {} : { mac: nic.mac }), cableConnected: nic.connected };
  /**
   * A switch NIC that gets made now and whose MAC the document leaves open takes the one the overlay
   * derives: the overlay planner counts on it, so the proxies' forwarding is right in the same apply.
   * An existing NIC keeps the MAC it has (`known`); the overlay reads that one from the host.
   */
  const madeNic = (vm: string, slot: number, nic: SpecNic, known?: string): SpecNic =>
    nic.mac !== undefined || nic.net === BRIDGED || known !== undefined ? nic : { ...nic, mac: vmNicMac(dc, vm, slot) };
  const specRecord = (ref: string, spec: VmSpec): Command[] => [['VBoxManage', ...cmd.setExtraData(ref, EXTRA_SPEC, JSON.stringify(spec))]];
  const fullConfig = (ref: string, host: string, spec: VmSpec): Command[] => [
    [
      'VBoxManage',
      ...cmd.modifyVm(ref, {
        cpus: spec.cpus,
        memoryMb: spec.memoryMb,
        chipset: spec.chipset,
        nics: [...spec.nics.map((n, i) => nicSettings(host, i + 1, madeNic(ref, i + 1, n))), ...slotsToDisable(spec).map((slot) => nicSettings(host, slot, undefined))],
      }),
    ],
  ];
  const tags = (ref: string): Command[] => [
    ['VBoxManage', ...cmd.setExtraData(ref, EXTRA_DATACENTER, dc)],
    ['VBoxManage', ...cmd.setExtraData(ref, EXTRA_ROLE, 'vm')],
  ];

  /** Stops a running VM, or drops a saved VM's state, so it can be reconfigured; nothing for a VM that is off. */
  const powerOff = (chain: Chain, vm: ObservedVm, reason: string): void => {
    const pc = powerClass(vm.state);
    if (pc === 'running') chain.add('stop', 'stop', `stop VM ${vm.name} on ${chain.host}`, reason, [['VBoxManage', ...cmd.controlVm(vm.uuid, 'poweroff')]], { before: { state: vm.state }, after: { state: 'poweroff' } });
    if (pc === 'saved') chain.add('stop', 'stop', `discard the saved state of VM ${vm.name} on ${chain.host}`, reason, [['VBoxManage', ...cmd.discardState(vm.uuid)]], { before: { state: vm.state }, after: { state: 'poweroff' } });
  };

  /**
   * Detach every volume of a VM that is leaving this host or going away (and, for a move, DCoD's
   * controller). Its snapshots go first, newest first: each holds a differencing image of every volume
   * attached when it was taken, which would keep the volume from being deleted ("it has child media") or
   * take it along with the VM. Deleting them merges their data into the volumes; they would go with the VM
   * anyway.
   */
  const detachAll = (chain: Chain, vm: ObservedVm, reason: string, removeController: boolean): void => {
    const attached = vm.storageAttachments.filter((a) => isVolumeAttachment(a, dc)).sort((a, b) => a.controller.localeCompare(b.controller) || a.port - b.port || a.device - b.device);
    const hasController = vm.storageControllers.some((c) => c.name === VOLUME_CONTROLLER);
    if (attached.length === 0 && !(removeController && hasController)) return;
    const snapshots = attached.length === 0 ? [] : flattenSnapshots(vm.snapshots).reverse();
    const commands: Command[] = [
      ...snapshots.map((s): Command => ['VBoxManage', ...cmd.snapshotDelete(vm.uuid, s.uuid)]),
      ...attached.map((a): Command => ['VBoxManage', ...cmd.storageAttach(vm.uuid, { controller: a.controller, port: a.port, device: a.device, type: 'hdd', medium: 'none' })]),
    ];
    if (removeController && hasController) commands.push(['VBoxManage', ...cmd.storageCtlRemove(vm.uuid, VOLUME_CONTROLLER)]);
    const first = snapshots.length ? `delete ${plural(snapshots.length, 'snapshot')} of VM ${vm.name} and ` : '';
    const id = chain.add('detach', 'update', `${first}detach ${plural(attached.length, 'volume')} from VM ${vm.name} on ${chain.host}`, reason, commands);
    for (const a of attached) detaches.set(diskKey(chain.host, baseMedium(world.hosts.get(chain.host)!, a.medium)), id);
  };

  const removal = (copy: Copy, reason: string): Chain => {
    const chain = new Chain(copy.vm.name, copy.host);
    powerOff(chain, copy.vm, reason);
    detachAll(chain, copy.vm, 'keep its volumes: deleting the VM would delete them', false);
    chain.add('delete', 'delete', `delete VM ${copy.vm.name} from ${copy.host}`, reason, [['VBoxManage', ...cmd.unregisterVmAndDelete(copy.vm.uuid)]], { before: observedView(copy.vm) });
    return chain;
  };

  /** Volumes attached on `host` after the VM is made or changed, with what they wait for. */
  const attachVolumes = (chain: Chain, ref: string, t: VmTarget, bay: VolumeBay, attach: readonly (VolumePosition & { volume: string })[], reason: string): void => {
    const ready = attach.filter((a) => world.fates.has(a.volume));
    if (ready.length === 0) return;
    const commands: Command[] = [];
    if (bay.add) commands.push(['VBoxManage', ...cmd.storageCtlAdd(ref, { name: VOLUME_CONTROLLER, bus: 'sata', controller: 'IntelAhci', portCount: SATA_PORTS, bootable: false })]);
    const deps: string[] = [];
    const needs: { volume: string; key: string }[] = [];
    for (const a of ready) {
      const fate = world.fates.get(a.volume)!;
      commands.push(['VBoxManage', ...cmd.storageAttach(ref, { controller: a.controller, port: a.port, device: a.device, type: 'hdd', medium: fate.path })]);
      if (!fate.present && !fate.source) deps.push(opId('volume', a.volume, 'create', t.host));
      if (fate.source) deps.push(opId('volume', a.volume, 'transfer', t.host));
      if (fate.grow?.by === 'volume') deps.push(opId('volume', a.volume, 'grow', t.host));
      if (fate.present?.holder && fate.present.holder.uuid !== t.here?.uuid) needs.push({ volume: a.volume, key: diskKey(t.host, fate.present.path) });
    }
    chain.add('attach', 'update', `attach ${ready.map((a) => `volume ${a.volume} (${a.controller} port ${a.port})`).join(', ')} to VM ${t.vm.name} on ${t.host}`, reason, commands, { deps });
    if (needs.length) lateDeps.push({ chain, index: chain.ops.length - 1, needs });
  };

  const createNew = (t: VmTarget, source?: { from: Copy; exported: string }): Chain => {
    const chain = new Chain(t.vm.name, t.host);
    const ref = t.vm.name;
    const groups = [dcodGroup(dc)];
    const h = world.hosts.get(t.host)!;
    let make: Command[];
    let how: string;
    const deps: string[] = [];
    if (source) {
      const path = movingVmPath(h.machineFolder!, dc, t.vm.name);
      const transferId = opId('vm', t.vm.name, 'transfer', t.host);
      const transfer: Transfer = { from: { host: source.from.host, path: movingVmPath(world.hosts.get(source.from.host)!.machineFolder!, dc, t.vm.name) }, to: { host: t.host, path }, removeSource: true };
      chain.add('transfer', 'replace', `copy VM ${t.vm.name} from ${source.from.host} to ${t.host}`, `placement: ${source.from.host} → ${t.host}`, [], { deps: [source.exported], transfer });
      // The copied OVA has served once imported: it would otherwise stay in the host's machine folder for good.
      make = [['VBoxManage', ...cmd.importAppliance(path, { vmName: ref })], ['VBoxManage', ...cmd.modifyVm(ref, { groups })], removeFileCommand(path)];
      how = `moved from ${source.from.host}`;
      deps.push(transferId);
    } else if (t.origin?.kind === 'template') {
      make = [['VBoxManage', ...cmd.cloneVm(t.origin.templateUuid, { name: ref, snapshot: t.origin.image.snapshot, linked: true, groups })]];
      how = `linked clone of ${t.origin.image.name}`;
    } else if (t.origin?.kind === 'ova') {
      const image = t.origin.image;
      const upload = opId('image', image.name, 'upload', t.host);
      if (!uploads.has(upload)) {
        const op = hostOperation({ kind: 'image', name: image.name, step: 'upload', host: t.host, action: 'create', summary: `upload image ${image.name} to ${t.host}`, reason: `VM ${t.vm.name} is made from it`, commands: [] });
        const withTransfer: TransferOperation = { ...op, transfer: { from: { path: image.ova }, to: { host: t.host, path: t.origin.path }, removeSource: false } };
        uploads.set(upload, withTransfer);
      }
      make = [['VBoxManage', ...cmd.importAppliance(t.origin.path, { vmName: ref })], ['VBoxManage', ...cmd.modifyVm(ref, { groups })]];
      how = `imported from ${image.name}`;
      deps.push(upload);
    } else {
      make = [['VBoxManage', ...cmd.createVm({ name: ref, groups })]];
      how = 'empty';
    }
    chain.add('create', 'create', `create VM ${t.vm.name} on ${t.host} (${how}, ${describeSpec(t.spec)})`, source ? `placement: ${source.from.host} → ${t.host}` : 'not on any host yet', [...make, ...tags(ref), ...fullConfig(ref, t.host, t.spec)], {
      deps,
      after: { host: t.host, ...t.spec },
    });
    const bay = t.bay;
    if (bay) attachVolumes(chain, ref, t, bay, t.spec.volumes.map((volume, i) => ({ controller: bay.controller, port: bay.firstPort + i, device: 0, volume })).filter((a) => !world.unavailable.has(a.volume)), 'volumes in the document');
    if (t.spec.power === 'running') chain.add('start', 'start', `start VM ${t.vm.name} on ${t.host}`, 'power: running', [['VBoxManage', ...cmd.startVm(ref)]]);
    chain.appendToLast(specRecord(ref, t.spec));
    return chain;
  };

  const move = (t: VmTarget, from: Copy): Chain[] => {
    const old = new Chain(t.vm.name, from.host);
    const reason = `placement: ${from.host} → ${t.host}`;
    powerOff(old, from.vm, reason);
    detachAll(old, from.vm, 'volumes move on their own', true);
    const folder = world.hosts.get(from.host)!.machineFolder!;
    const exported = old.add('export', 'replace', `export VM ${t.vm.name} on ${from.host} for its move to ${t.host}`, reason, [['VBoxManage', ...cmd.exportVm(from.vm.uuid, movingVmPath(folder, dc, t.vm.name))]]);
    const made = createNew(t, { from, exported });
    old.add('delete', 'delete', `delete VM ${t.vm.name} from ${from.host}`, `moved to ${t.host}`, [['VBoxManage', ...cmd.unregisterVmAndDelete(from.vm.uuid)]], { deps: [opId('vm', t.vm.name, 'create', t.host)], before: observedView(from.vm) });
    return [old, made];
  };

  const update = (t: VmTarget & { readonly bay: VolumeBay }, vm: ObservedVm): Chain => {
    const chain = new Chain(t.vm.name, t.host);
    const made = recordedSpec(vm);
    if (made && made.image !== t.spec.image) {
      diagnostics.push({ severity: 'warning', path: `vms[${t.index}].image`, message: `VM ${t.vm.name} was made ${made.image ? `from image ${made.image}` : 'empty'}; a changed image does not rebuild an existing VM`, fix: 'to rebuild it, remove the VM, apply, then add it back' });
    }
    const ref = vm.uuid;
    const diff = diffVm(t.spec, vm, world.diffContext(t));
    const growing = [...world.fates.values()].filter((f) => f.vm === t.vm.name && f.grow?.by === 'vm');
    const changes: Change[] = [...diff.changes, ...growing.map((f) => ({ area: 'hardware' as const, text: `volume ${f.volume.name} ${f.grow!.fromMb} → ${f.volume.sizeMb} MB`, offline: true, drift: false }))];
    const pc = powerClass(vm.state);
    const offline = changes.some((c) => c.offline);
    const nicWork = diff.nics.length > 0;
    const wantRunning = t.spec.power === 'running';
    // A saved VM that is to run and only needs re-wiring keeps its state: resumed, then re-wired live.
    const resumeFirst = pc === 'saved' && !offline && nicWork && wantRunning;
    const discard = pc === 'saved' && !resumeFirst && (offline || nicWork);
    const stop = pc === 'running' && (offline || !wantRunning);
    const off = pc === 'off' || stop || discard;
    const power = powerChange(t.spec, vm);
    const start = (why: string) => chain.add('start', 'start', `start VM ${vm.name} on ${t.host}`, why, [['VBoxManage', ...cmd.startVm(ref)]], { before: { state: vm.state }, after: { state: 'running' } });

    if (stop || discard) powerOff(chain, vm, !wantRunning && power ? reasonOf([power]) : `to change: ${reasonOf(changes.filter((c) => c.offline))}`);
    if (diff.detach.length > 0) {
      const commands: Command[] = diff.detach.map((d) => ['VBoxManage', ...cmd.storageAttach(ref, { controller: d.controller, port: d.port, device: d.device, type: 'hdd', medium: 'none' })]);
      const id = chain.add('detach', 'update', `detach ${diff.detach.map((d) => `${d.what} (${d.controller} port ${d.port})`).join(', ')} from VM ${vm.name} on ${t.host}`, reasonOf(changes.filter((c) => c.area === 'volume')), commands);
      for (const d of diff.detach) detaches.set(diskKey(t.host, baseMedium(world.hosts.get(t.host)!, d.medium)), id);
    }
    const configChanges = changes.filter((c) => c.area !== 'volume');
    if (off && (diff.cpus !== undefined || diff.memoryMb !== undefined || diff.chipset !== undefined || nicWork || growing.length > 0)) {
      const chipsetNow: Chipset = vm.chipset === 'ich9' ? 'ich9' : 'piix3';
      const target = diff.chipset ?? chipsetNow;
      const commands: Command[] = [];
      // Slots a smaller chipset doesn't have are disabled before the switch, while they still exist.
      const beyond = diff.nics.filter((n) => n.slot > cmd.NIC_SLOTS[target]);
      if (beyond.length) commands.push(['VBoxManage', ...cmd.modifyVm(ref, { nics: beyond.map((n) => nicSettings(t.host, n.slot, undefined)) }, { chipset: chipsetNow })]);
      const nics = diff.nics
        .filter((n) => n.slot <= cmd.NIC_SLOTS[target])
        .map((n) => nicSettings(t.host, n.slot, n.desired && n.observed.attachment === 'none' ? madeNic(t.vm.name, n.slot, n.desired, n.observed.mac) : n.desired));
      const settings = { ...(diff.cpus === undefined ? {} : { cpus: diff.cpus }), ...(diff.memoryMb === undefined ? {} : { memoryMb: diff.memoryMb }), ...(diff.chipset === undefined ? {} : { chipset: diff.chipset }), ...(nics.length ? { nics } : {}) };
      if (Object.keys(settings).length) commands.push(['VBoxManage', ...cmd.modifyVm(ref, settings, { chipset: chipsetNow })]);
      for (const f of growing) commands.push(['VBoxManage', ...cmd.resizeDisk(f.path, f.volume.sizeMb)]);
      chain.add('update', 'update', `update VM ${vm.name} on ${t.host}: ${configChanges.map((c) => c.text).join('; ')}`, reasonOf(configChanges), commands, { before: observedView(vm), after: { host: t.host, ...t.spec } });
    } else if (!off && nicWork) {
      if (resumeFirst) start(reasonOf(power ? [power] : []));
      const chipset: Chipset = vm.chipset === 'ich9' ? 'ich9' : 'piix3';
      const commands: Command[] = [];
      for (const n of diff.nics) {
        if (n.rewire && n.desired) commands.push(['VBoxManage', ...cmd.controlVmNic(ref, n.slot, attachment(t.host, n.desired), chipset)]);
        if (n.cable && n.desired) commands.push(['VBoxManage', ...cmd.controlVmLinkState(ref, n.slot, n.desired.connected, chipset)]);
      }
      chain.add('rewire', 'update', `rewire VM ${vm.name} on ${t.host} while it runs: ${configChanges.map((c) => c.text).join('; ')}`, reasonOf(configChanges), commands, {
        before: diff.nics.map((n) => n.observed),
        after: diff.nics.map((n) => ({ slot: n.slot, ...n.desired })),
      });
    }
    attachVolumes(chain, ref, t, t.bay, diff.attach, reasonOf(changes.filter((c) => c.area === 'volume')));
    if (wantRunning && !resumeFirst && (stop || pc !== 'running')) start(stop || !power ? 'start again after the change' : reasonOf([power]));
    chain.appendToLast(specRecord(ref, t.spec));
    return chain;
  };

  for (const t of [...world.targets.values()].sort((a, b) => a.vm.name.localeCompare(b.vm.name))) {
    if (t.here && t.bay) chains.push(update({ ...t, bay: t.bay }, t.here));
    else if (t.source) chains.push(...move(t, t.source));
    else chains.push(createNew(t));
    for (const copy of t.stale) chains.push(removal(copy, `a copy left on ${copy.host}: ${t.vm.name} belongs on ${t.host}`));
  }
  for (const copy of world.orphans) chains.push(removal(copy, 'not in the document'));

  for (const { chain, index, needs } of lateDeps) {
    const entry = chain.ops[index]!;
    for (const need of needs) {
      const detach = detaches.get(need.key);
      if (detach !== undefined) entry.extraDeps.push(detach);
      else diagnostics.push({ severity: 'error', path: `(volume ${need.volume})`, message: `volume ${need.volume} is attached to a VM the plan leaves alone, so it can't be attached to ${chain.name}`, fix: 'plan again once that VM can be changed' });
    }
  }
  return { operations: [...uploads.values(), ...chains.flatMap((c) => c.build())], diagnostics, detaches };
}

/** A VM as observed, for the review panel's "before". */
export function observedView(vm: ObservedVm): unknown {
  return {
    state: vm.state,
    cpus: vm.cpus,
    memoryMb: vm.memoryMb,
    chipset: vm.chipset,
    nics: vm.nics.filter((n) => n.attachment !== 'none').map((n) => observedNic(vm, n.slot)),
    volumes: vm.storageAttachments.filter((a) => isVolumeAttachment(a, vm.extraData[EXTRA_DATACENTER] ?? '')).map((a) => ({ controller: a.controller, port: a.port, medium: a.medium })),
  };
}
