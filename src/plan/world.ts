/**
 * The planner's view of the world: the document set against what the hosts hold. It decides, once and
 * for every per-resource planner alike, where each VM and volume belongs (placement, scheduling), which
 * copies exist, which are DCoD's (tags.ts: anything else is invisible), and what must be left alone
 * (unreachable hosts, VMs in transition). The planners then only turn these decisions into operations.
 */
import type { Diagnostic } from '../diagnostics';
import type { ObservedHost, ObservedVm } from '../hosts/observed';
import type { Datacenter, Image, Vm, Volume } from '../model/document';
import { ownership } from '../model/tags';
import { flattenSnapshots } from '../vbox/snapshot';
import { vniOfIntnet } from '../vbox/commands';
import { ovaImagePath, volumeAt, volumePath } from './host-paths';
import { schedule } from './scheduler';
import { BRIDGED, desiredSpec, type DiffContext, powerClass, SATA_PORTS, VOLUME_CONTROLLER, volumeBay, withoutVolumes, type VmSpec, type VolumeBay } from './vm-spec';

export type OvaImage = Extract<Image, { ova: string }>;
export type TemplateImage = Extract<Image, { template: string }>;

export interface PlanOptions {
  /** Where an OVA image goes on a host before import; default `<machine folder>/dcod-images/<image>.ova`. */
  readonly ovaPathOnHost?: (image: OvaImage, host: ObservedHost) => string | undefined;
  /** The host interface bridged NICs use; default the first interface that is up and has an IPv4 address. */
  readonly bridgeAdapter?: (host: ObservedHost) => string | undefined;
  /** Memory (MB) the scheduler leaves free on each host. */
  readonly reserveMb?: number;
}

/** One of this datacenter's VMs as found on a host. */
export interface Copy {
  readonly host: string;
  readonly vm: ObservedVm;
}

/** A document VM the plan brings to its host. */
export interface VmTarget {
  readonly vm: Vm;
  readonly index: number;
  readonly spec: VmSpec;
  readonly host: string;
  /** The copy already on `host`. */
  readonly here?: ObservedVm;
  /** Without one here: the copy to move from another host. */
  readonly source?: Copy;
  /** Further copies (a move that stopped half-way): deleted. */
  readonly stale: readonly Copy[];
  /** Where its volumes go; undefined until the VM exists (an OVA import on a piix3 VM: see `volumeBay`). */
  readonly bay?: VolumeBay;
  /** Set for a VM made anew: what it is made from. */
  readonly origin?: { readonly kind: 'template'; readonly image: TemplateImage; readonly templateUuid: string } | { readonly kind: 'ova'; readonly image: OvaImage; readonly path: string } | { readonly kind: 'empty' };
}

/** A disk image of one of this datacenter's volumes, as found on a host. */
export interface DiskCopy {
  readonly volume: string;
  readonly host: string;
  readonly path: string;
  readonly capacityMb?: number;
  /** The VM it is attached to, if any. */
  readonly holder?: ObservedVm;
}

/** Where a document volume belongs and how it gets there. */
export interface VolumeFate {
  readonly volume: Volume;
  /** The VM it is attached to, and so the host. */
  readonly vm: string;
  readonly host: string;
  readonly path: string;
  /** Already there. */
  readonly present?: DiskCopy;
  /** Copied from another host. */
  readonly source?: DiskCopy;
  /** Grown to the document's size: inside the VM's own update when it stays attached there, else by itself. */
  readonly grow?: { readonly fromMb: number; readonly by: 'vm' | 'volume' };
}

export interface World {
  readonly doc: Datacenter;
  readonly dc: string;
  readonly hosts: ReadonlyMap<string, ObservedHost>;
  readonly targets: ReadonlyMap<string, VmTarget>;
  /** This datacenter's VMs that the document no longer has: deleted. */
  readonly orphans: readonly Copy[];
  readonly fates: ReadonlyMap<string, VolumeFate>;
  /** Every disk of this datacenter's volumes on a usable host, by volume name. */
  readonly disks: ReadonlyMap<string, readonly DiskCopy[]>;
  /** Volumes a VM should have but can't get now (a diagnostic says why). */
  readonly unavailable: ReadonlySet<string>;
  /** Disks the plan must not touch (held by a VM in transition or not DCoD's). */
  readonly frozenDisks: ReadonlySet<string>;
  readonly diagnostics: readonly Diagnostic[];
  readonly options: PlanOptions;
  bridgeAdapter(host: string): string | undefined;
  bridgeOk(host: string): (adapter: string | undefined) => boolean;
  describeNet(attachment: string, network: string | undefined): string;
  /** How to compare a target's VM with its copy on its host. */
  diffContext(t: VmTarget & { readonly bay: VolumeBay }): DiffContext;
}

export const diskKey = (host: string, path: string): string => `${host}\0${path}`;

/**
 * The base image under an attached medium. Once a snapshot is taken the VM's current state no longer
 * writes to the volume itself but to a differencing image on top of it: that attachment still holds the
 * volume (VirtualBox won't close it), so it counts as attaching the base.
 */
export function baseMedium(h: Pick<ObservedHost, 'disks'>, medium: string): string {
  const disks = h.disks ?? [];
  const byUuid = new Map(disks.map((d) => [d.uuid, d]));
  let disk = disks.find((d) => d.location === medium || d.uuid === medium);
  for (let hops = 0; disk?.parentUuid !== undefined && hops < disks.length; hops++) disk = byUuid.get(disk.parentUuid);
  // Not listed, or a parent missing from the list: the attachment is all we know.
  return disk && disk.parentUuid === undefined ? disk.location : medium;
}

const usable = (h: ObservedHost): boolean => h.reachable && h.vbox !== null && h.error === undefined;

function defaultBridgeAdapter(h: ObservedHost): string | undefined {
  const ifs = [...h.bridgedInterfaces].sort((a, b) => a.name.localeCompare(b.name));
  return (ifs.find((i) => i.status === 'Up' && i.ipv4) ?? ifs.find((i) => i.status === 'Up') ?? ifs[0])?.name;
}

export function resolveWorld(doc: Datacenter, observed: readonly ObservedHost[], options: PlanOptions = {}): World {
  const dc = doc.metadata.name;
  const diagnostics: Diagnostic[] = [];
  const hosts = new Map([...observed].sort((a, b) => a.host.localeCompare(b.host)).map((h) => [h.host, h]));
  const usableHosts = [...hosts.values()].filter(usable);
  for (const h of hosts.values()) {
    if (!h.reachable || (h.error !== undefined && h.vbox === null)) {
      diagnostics.push({ severity: 'warning', path: `(host ${h.host})`, message: `${h.host} could not be read${h.error ? ` (${h.error.message})` : ''}: DCoD's VMs there are left as they are, and any of them not found elsewhere may be created again on another host`, fix: 'bring the host back and plan again' });
    }
  }

  // This datacenter's VMs on usable hosts; names of everything else, which the plan must not reuse.
  const copies = new Map<string, Copy[]>();
  const foreign = new Map<string, Set<string>>();
  for (const h of usableHosts) {
    const names = new Set<string>();
    for (const vm of h.vms) {
      if (ownership(vm, dc) === 'vm') copies.set(vm.name, [...(copies.get(vm.name) ?? []), { host: h.host, vm }]);
      else names.add(vm.name);
    }
    foreign.set(h.host, names);
  }

  const chosenAdapter = new Map(usableHosts.map((h) => [h.host, (options.bridgeAdapter ?? defaultBridgeAdapter)(h)]));
  const images = new Map(doc.images.map((i) => [i.name, i]));
  const templateOn = (image: TemplateImage, h: ObservedHost): ObservedVm | undefined =>
    h.vms.find((v) => v.name === image.template && flattenSnapshots(v.snapshots).some((s) => s.name === image.snapshot || s.uuid === image.snapshot));
  const ovaPath = (image: OvaImage, h: ObservedHost): string | undefined => (options.ovaPathOnHost ? options.ovaPathOnHost(image, h) : h.machineFolder === undefined ? undefined : ovaImagePath(h.machineFolder, image.name));

  /** Why a new copy of the VM can't be made on the host (the scheduler's filter, and a check on fixed placement). */
  const cannotCreate = (vm: Vm, h: ObservedHost): string | undefined => {
    if (foreign.get(h.host)?.has(vm.name)) return `already has a VM named ${vm.name} that isn't this datacenter's`;
    if (vm.nics.some((n) => 'bridged' in n) && chosenAdapter.get(h.host) === undefined) return 'has no interface to bridge to';
    if (vm.volumes.length > 0 && h.machineFolder === undefined) return 'did not say its default machine folder, where volumes go';
    const image = vm.image === undefined ? undefined : images.get(vm.image);
    if (image && 'template' in image && !templateOn(image, h)) return `has no template VM ${image.template} with snapshot ${image.snapshot}`;
    if (image && 'ova' in image && ovaPath(image, h) === undefined) return `has no folder to upload ${image.ova} to`;
    return undefined;
  };

  // Placement: the document's where it names a usable host; where the VM already is; else scheduled.
  const fixed = new Map<string, string>();
  const existing = new Map<string, string>();
  const skip = new Set<string>();
  doc.vms.forEach((vm) => {
    const want = doc.placement[vm.name];
    if (want !== undefined) {
      const h = hosts.get(want);
      if (!h || !usable(h)) {
        skip.add(vm.name);
        diagnostics.push({ severity: 'error', path: `placement.${vm.name}`, message: `VM ${vm.name} is placed on ${want}, which ${!h ? 'was not observed' : h.reachable ? 'has no usable VirtualBox' : 'is unreachable'}: it is left as it is`, fix: 'bring the host back, or place the VM elsewhere' });
        return;
      }
      fixed.set(vm.name, want);
      return;
    }
    const mine = copies.get(vm.name) ?? [];
    const stay = [...mine].sort((a, b) => Number(powerClass(b.vm.state) === 'running') - Number(powerClass(a.vm.state) === 'running') || a.host.localeCompare(b.host))[0];
    if (stay) existing.set(vm.name, stay.host);
  });
  const scheduled = schedule({ doc, hosts: usableHosts, fixed, existing, skip, canHost: cannotCreate, ...(options.reserveMb === undefined ? {} : { reserveMb: options.reserveMb }) });
  diagnostics.push(...scheduled.diagnostics);

  const targets = new Map<string, VmTarget>();
  const busy = (c: Copy) => powerClass(c.vm.state) === 'busy';
  const warnBusy = (c: Copy) =>
    diagnostics.push({ severity: 'warning', path: `(host ${c.host})`, message: `VM ${c.vm.name} on ${c.host} is ${c.vm.state}: it is left alone this time`, fix: 'plan again once it has settled' });
  doc.vms.forEach((vm, index) => {
    const host = scheduled.placement.get(vm.name);
    if (host === undefined || skip.has(vm.name)) return;
    const mine = copies.get(vm.name) ?? [];
    const here = mine.find((c) => c.host === host)?.vm;
    const others = mine.filter((c) => c.host !== host).sort((a, b) => Number(powerClass(b.vm.state) === 'running') - Number(powerClass(a.vm.state) === 'running') || a.host.localeCompare(b.host));
    const frozen = mine.filter(busy);
    if (frozen.length > 0) {
      frozen.forEach(warnBusy);
      return;
    }
    const spec = desiredSpec(vm, doc);
    if (spec.nics.some((n) => n.net === BRIDGED) && chosenAdapter.get(host) === undefined) {
      diagnostics.push({ severity: 'error', path: `vms[${index}].nics`, message: `VM ${vm.name} has a bridged NIC, but ${host} has no network interface to bridge to: it is left as it is`, fix: 'check the host, or place the VM elsewhere' });
      return;
    }
    if (here) {
      targets.set(vm.name, { vm, index, spec, host, here, stale: others, bay: volumeBay(here, dc) });
      return;
    }
    const h = hosts.get(host)!;
    const [source, ...stale] = others;
    const why = source ? (foreign.get(host)?.has(vm.name) ? `already has a VM named ${vm.name} that isn't this datacenter's` : h.machineFolder === undefined || hosts.get(source.host)?.machineFolder === undefined ? 'has no known machine folder to move the VM through' : undefined) : cannotCreate(vm, h);
    if (why !== undefined) {
      diagnostics.push({ severity: 'error', path: doc.placement[vm.name] === undefined ? `vms[${index}]` : `placement.${vm.name}`, message: `VM ${vm.name} can't be ${source ? 'moved' : 'created'} on ${host}: it ${why}`, fix: source ? 'place it elsewhere' : 'fix the host, or place the VM elsewhere' });
      return;
    }
    if (source) {
      targets.set(vm.name, { vm, index, spec, host, source, stale, bay: volumeBay(withoutVolumes(source.vm, dc), dc) });
      return;
    }
    const image = vm.image === undefined ? undefined : images.get(vm.image);
    const template = image && 'template' in image ? templateOn(image, h) : undefined;
    const origin: VmTarget['origin'] =
      image && 'template' in image ? { kind: 'template', image, templateUuid: template!.uuid } : image && 'ova' in image ? { kind: 'ova', image, path: ovaPath(image, h)! } : { kind: 'empty' };
    // What an OVA holds is seen only once imported; on ich9 a controller of our own fits whatever it has.
    const bay = template ? volumeBay(template, dc) : origin.kind === 'empty' || vm.chipset === 'ich9' ? { controller: VOLUME_CONTROLLER, firstPort: 0, add: true } : undefined;
    if (!bay && vm.volumes.length > 0) {
      diagnostics.push({ severity: 'warning', path: `vms[${index}].volumes`, message: `VM ${vm.name} gets its volumes from the next plan: which disk controller they can go on is known once ${image!.name} is imported`, fix: 'apply again after this plan, or set chipset: ich9' });
    }
    targets.set(vm.name, { vm, index, spec, host, stale, origin, ...(bay ? { bay } : {}) });
  });

  const inDoc = new Set(doc.vms.map((v) => v.name));
  const orphans: Copy[] = [];
  for (const [name, list] of [...copies].sort(([a], [b]) => a.localeCompare(b))) {
    if (inDoc.has(name)) continue;
    for (const c of list) {
      if (busy(c)) warnBusy(c);
      else orphans.push(c);
    }
  }

  // A disk held by a VM the plan leaves alone stays where it is, whatever the document says of it.
  const leftAlone = (vm: ObservedVm) => ownership(vm, dc) !== 'vm' || powerClass(vm.state) === 'busy' || (inDoc.has(vm.name) && !targets.has(vm.name));
  const volumes = resolveVolumes(doc, usableHosts, targets, leftAlone, diagnostics);
  const bridgeOk = (host: string) => {
    const h = hosts.get(host);
    const chosen = chosenAdapter.get(host);
    return (adapter: string | undefined) => adapter !== undefined && (adapter === chosen || (h?.bridgedInterfaces.some((i) => i.name === adapter && i.status === 'Up') ?? false));
  };
  const describeNet = (attachment: string, network: string | undefined) => {
    if (attachment === 'intnet') {
      const vni = network === undefined ? undefined : vniOfIntnet(network);
      const sw = doc.switches.find((s) => s.vni === vni);
      return sw ? `switch ${sw.name}` : `intnet ${network ?? '?'}`;
    }
    if (attachment === 'bridged') return BRIDGED;
    if (attachment === 'null') return 'not attached';
    return attachment;
  };
  return {
    doc,
    dc,
    hosts,
    targets,
    orphans,
    ...volumes,
    diagnostics,
    options,
    bridgeAdapter: (host) => chosenAdapter.get(host),
    bridgeOk,
    describeNet,
    diffContext: (t) => ({ datacenter: dc, bridgeOk: bridgeOk(t.host), describeNet, unavailable: volumes.unavailable, bay: t.bay }),
  };
}

// ---------------------------------------------------------------------------------------------------
// Volumes

function resolveVolumes(doc: Datacenter, usableHosts: readonly ObservedHost[], targets: ReadonlyMap<string, VmTarget>, leftAlone: (vm: ObservedVm) => boolean, diagnostics: Diagnostic[]) {
  const dc = doc.metadata.name;
  // Every disk of ours on each host: registered ones (list hdds), and any a VM has attached.
  const disks = new Map<string, DiskCopy[]>();
  const frozenDisks = new Set<string>();
  for (const h of usableHosts) {
    const holders = new Map<string, ObservedVm>();
    for (const vm of h.vms) for (const a of vm.storageAttachments) holders.set(baseMedium(h, a.medium), vm);
    const seen = new Map<string, number | undefined>();
    for (const d of h.disks ?? []) if (d.parentUuid === undefined) seen.set(d.location, d.capacityMb);
    for (const vm of h.vms) {
      for (const a of vm.storageAttachments) {
        const base = baseMedium(h, a.medium);
        if (volumeAt(base, dc) && !seen.has(base)) seen.set(base, undefined);
      }
    }
    for (const [path, capacityMb] of [...seen].sort(([a], [b]) => a.localeCompare(b))) {
      const v = volumeAt(path, dc);
      if (!v) continue;
      const holder = holders.get(path);
      const copy: DiskCopy = { volume: v.name, host: h.host, path, ...(capacityMb === undefined ? {} : { capacityMb }), ...(holder ? { holder } : {}) };
      disks.set(v.name, [...(disks.get(v.name) ?? []), copy]);
      if (holder && leftAlone(holder)) {
        frozenDisks.add(diskKey(h.host, path));
        if (ownership(holder, dc) !== 'vm') diagnostics.push({ severity: 'warning', path: `(host ${h.host})`, message: `volume file ${path} is attached to ${holder.name}, which isn't this datacenter's: it is left alone`, fix: `detach it from ${holder.name}` });
      }
    }
  }

  const fates = new Map<string, VolumeFate>();
  const unavailable = new Set<string>();
  const hostOf = new Map(usableHosts.map((h) => [h.host, h]));
  doc.volumes.forEach((volume, i) => {
    const user = doc.vms.find((vm) => vm.volumes.includes(volume.name));
    const target = user && targets.get(user.name);
    if (!target) return; // attached to no VM, or its VM is left alone: so is the volume
    const position = user.volumes.indexOf(volume.name);
    if (!target.bay || target.bay.firstPort + position >= SATA_PORTS) {
      unavailable.add(volume.name);
      if (target.bay) diagnostics.push({ severity: 'error', path: `vms[${target.index}].volumes[${position}]`, message: `VM ${user.name}'s disk controller ${target.bay.controller} has no port left for volume ${volume.name} (ports ${target.bay.firstPort}–${SATA_PORTS - 1} are for volumes)`, fix: 'attach fewer volumes' });
      return;
    }
    const copiesOf = disks.get(volume.name) ?? [];
    const present = copiesOf.find((c) => c.host === target.host);
    const source = present ? undefined : copiesOf[0];
    const folder = hostOf.get(target.host)?.machineFolder;
    if (!present && folder === undefined) {
      unavailable.add(volume.name);
      diagnostics.push({ severity: 'error', path: `volumes[${i}]`, message: `volume ${volume.name} can't be put on ${target.host}: the host did not say its default machine folder`, fix: 'refresh the host, or place the VM elsewhere' });
      return;
    }
    if ([present, source].some((c) => c && frozenDisks.has(diskKey(c.host, c.path)))) {
      unavailable.add(volume.name);
      return;
    }
    const path = present?.path ?? volumePath(folder!, doc.metadata.name, volume);
    if (present && volumeAt(present.path, dc)?.format !== volume.format) {
      diagnostics.push({ severity: 'warning', path: `volumes[${i}].format`, message: `volume ${volume.name} on ${target.host} is a ${volumeAt(present.path, dc)?.format} file; DCoD doesn't convert disks`, fix: 'set format to match, or use a new volume' });
    }
    const size = (present ?? source)?.capacityMb;
    if (size !== undefined && size > volume.sizeMb) {
      diagnostics.push({ severity: 'warning', path: `volumes[${i}].sizeMb`, message: `volume ${volume.name} is ${size} MB; VirtualBox can't shrink it to ${volume.sizeMb} MB`, fix: `set sizeMb to ${size} or more, or use a new volume` });
    }
    const growsInVm = present?.holder !== undefined && present.holder.uuid === target.here?.uuid;
    const grow = size !== undefined && size < volume.sizeMb ? { fromMb: size, by: growsInVm ? ('vm' as const) : ('volume' as const) } : undefined;
    fates.set(volume.name, { volume, vm: target.vm.name, host: target.host, path, ...(present ? { present } : {}), ...(source ? { source } : {}), ...(grow ? { grow } : {}) });
  });
  return { disks, fates, unavailable, frozenDisks };
}
