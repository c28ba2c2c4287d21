/**
 * Importing a bundle onto any set of hosts: checksums first (a damaged bundle is refused before a host is
 * touched), then placement by free room (./placement) and VNIs kept unless they clash there. Carrying it
 * out uploads each OVA straight to its host over SFTP, imports it as the datacenter's VM, swaps the copy
 * of each volume VirtualBox put inside the VM for the volume's own file at DCoD's volume path, and writes
 * the document with its new placement. Applying that document (the caller does, after showing the plan)
 * recreates switches, routers and DHCP and starts the VMs.
 */
import path from 'node:path';
import { DcodError, withContext } from '../errors';
import type { ObservedHost } from '../hosts/observed';
import type { InventoryHost } from '../inventory/schema';
import { saveDocumentFile, parseDocumentText } from '../model/document-file';
import type { Datacenter } from '../model/document';
import { dcodGroup, EXTRA_DATACENTER, EXTRA_ROLE } from '../model/tags';
import { joinHostPath, volumePath } from '../plan/host-paths';
import { hostNamed, vboxOn, type HostAccess } from '../snapshot/host-access';
import * as cmd from '../vbox/commands';
import { parseShowVmInfo } from '../vbox/showvminfo';
import { ovaDisks } from './export';
import { openBundle, readBundleText, verifyBundle, type BundleSource } from './bundle-source';
import { CPU_OVERCOMMIT, placeVms, remapVnis } from './placement';
import { HostWork } from './host-work';
import { ProgressMeter, type BundleProgress } from './progress';
import { removeHostFile, upload } from './remote-files';

export interface ImportPlan {
  readonly bundle: string;
  readonly datacenter: string;
  readonly placement: Readonly<Record<string, string>>;
  /** VNIs that clashed with ones on the target hosts: old → new. */
  readonly remapped: readonly { readonly switch: string; readonly from: number; readonly to: number }[];
  readonly bytes: number;
}

/** A finished import: its plan, and the document it wrote (for the canvas to open). */
export interface ImportResult extends ImportPlan {
  readonly file: string;
  readonly document: Datacenter;
}

export interface ImportOptions {
  readonly onProgress?: (p: BundleProgress) => void;
  readonly signal?: AbortSignal;
}

const INTNET = /^dcod-vni-(\d+)$/;

/** Every VNI a host's VMs or internal networks already use. */
function vnisInUse(observed: readonly ObservedHost[]): Set<number> {
  const used = new Set<number>();
  for (const h of observed) {
    for (const n of h.internalNetworks) if (INTNET.test(n)) used.add(Number(INTNET.exec(n)![1]));
    for (const vm of h.vms) for (const nic of vm.nics) if (nic.network && INTNET.test(nic.network)) used.add(Number(INTNET.exec(nic.network)![1]));
  }
  return used;
}

async function bundleDocument(src: BundleSource): Promise<Datacenter> {
  const parsed = parseDocumentText(await readBundleText(src, src.manifest.document));
  if (!parsed.document) throw new DcodError('INVALID_DOCUMENT', `the bundle's document is not valid: ${parsed.diagnostics.map((d) => `${d.path}: ${d.message}`).join('; ')}`);
  return parsed.document;
}

/** Reads and verifies the bundle, and decides where everything goes. Touches no host but to read it. */
export async function planImport(
  access: HostAccess,
  bundle: string,
  opts: ImportOptions = {},
): Promise<{ plan: ImportPlan; document: Datacenter; source: BundleSource; inventory: readonly InventoryHost[]; observed: readonly ObservedHost[] }> {
  const source = await openBundle(bundle);
  const manifest = source.manifest;
  const meter = new ProgressMeter('import', (p) => opts.onProgress?.(p));
  meter.expect(manifest.files.reduce((n, f) => n + f.bytes, 0));
  await verifyBundle(source, (n) => meter.add(n, 'verifying'));
  const doc = await bundleDocument(source);
  const [inventory, observed] = await Promise.all([access.inventory(), access.refresh()]);
  const usable = observed.filter((o) => o.reachable && !o.error && o.vbox && o.hostInfo && inventory.some((h) => h.name === o.host));
  if (usable.length === 0) throw new DcodError('HOST_UNREACHABLE', 'no VirtualBox host of the inventory can be read: nothing to import onto');
  const taken = (o: ObservedHost) => o.vms.filter((v) => v.state === 'running').reduce((n, v) => ({ cpus: n.cpus + (v.cpus ?? 1), mem: n.mem + (v.memoryMb ?? 0) }), { cpus: 0, mem: 0 });
  const ovaBytes = new Map(manifest.vms.map((v) => [v.name, manifest.files.find((f) => f.path === v.ova)?.bytes ?? 0]));
  const { placement, unplaced } = placeVms(
    doc.vms.map((vm) => ({ vm, diskMb: Math.ceil((ovaBytes.get(vm.name) ?? 0) / 2 ** 20) * 2 })),
    usable.map((o) => {
      const used = taken(o);
      return { host: o.host, cpus: Math.max((o.hostInfo!.processorCount ?? 1) - Math.ceil(used.cpus / CPU_OVERCOMMIT), 1), memoryMb: o.hostInfo!.memoryAvailableMb ?? (o.hostInfo!.memorySizeMb ?? 0) - used.mem };
    }),
  );
  if (unplaced.length) throw new DcodError('INVALID_STATE', `the bundle does not fit on these hosts:\n${unplaced.map((u) => `  VM ${u.vm}: ${u.reason}`).join('\n')}`);
  // Said with the plan, before anything is uploaded: an import never takes over a VM that is already there,
  // nor makes a second copy of a datacenter these hosts hold already (on whichever host its VMs are).
  const present = observed.flatMap((o) => o.vms.filter((v) => v.extraData[EXTRA_DATACENTER] === doc.metadata.name).map((v) => `${v.name} on ${o.host}`));
  if (present.length) {
    throw new DcodError('INVALID_STATE', `datacenter ${doc.metadata.name} is on these hosts already (${present.join(', ')}): destroy it there first, or import the bundle onto other hosts`);
  }
  const names = new Set(observed.flatMap((o) => o.vms.map((v) => `${o.host}/${v.name}`)));
  const clash = Object.entries(placement).filter(([vm, host]) => names.has(`${host}/${vm}`));
  if (clash.length) throw new DcodError('INVALID_STATE', `these hosts already have VMs named like the bundle's: ${clash.map(([vm, h]) => `${vm} on ${h}`).join(', ')}`);
  const remap = remapVnis(doc.switches.map((s) => s.vni), vnisInUse(usable));
  const plan: ImportPlan = {
    bundle: path.resolve(bundle),
    datacenter: doc.metadata.name,
    placement,
    remapped: doc.switches.filter((s) => remap.has(s.vni)).map((s) => ({ switch: s.name, from: s.vni, to: remap.get(s.vni)! })),
    bytes: manifest.files.reduce((n, f) => n + f.bytes, 0),
  };
  meter.report('verifying');
  return { plan, document: doc, source, inventory, observed };
}

/**
 * Carries an import plan out: VMs imported on their hosts (hosts in parallel), volumes put in place,
 * the document written to `documentFile` with its placement and VNIs. Resolves that file.
 */
export async function runImport(access: HostAccess, bundle: string, documentFile: string, opts: ImportOptions = {}): Promise<ImportResult> {
  // The hosts as the plan read them: the plan (placement, clashes) is what this import carries out.
  const { plan, document, source, inventory, observed } = await planImport(access, bundle, opts);
  const manifest = source.manifest;
  const dc = plan.datacenter;
  const meter = new ProgressMeter('import', (p) => opts.onProgress?.(p));
  meter.expect(manifest.files.filter((f) => f.path !== manifest.document).reduce((n, f) => n + f.bytes, 0));
  const byHost = new Map<string, string[]>();
  for (const [vm, host] of Object.entries(plan.placement)) byHost.set(host, [...(byHost.get(host) ?? []), vm]);
  // The user's cancel, or the first host to fail: either stops every host at its next upload chunk or VM.
  // A VirtualBox import under way is let finish: one cut off would leave a half-registered VM behind.
  const stop = new HostWork(opts.signal, () => new DcodError('BAD_REQUEST', 'import cancelled', { retryable: true }));
  const signal = stop.signal;

  /** One host's VMs, one after another; `working` is told which, for the failure's context. */
  const importOnHost = async (hostName: string, vms: string[], working: (vm: string) => void): Promise<void> => {
    const host = hostNamed(inventory, hostName);
    const runner = await access.runnerFor(host);
    const folder = observed.find((o) => o.host === hostName)?.machineFolder;
    if (!folder) throw new DcodError('INVALID_STATE', `host ${hostName} did not say where its VMs are kept`);
    for (const name of vms.sort()) {
      if (signal.aborted) return;
      working(name);
      const entry = manifest.vms.find((v) => v.name === name)!;
      const remote = joinHostPath(folder, `dcod-import-${dc}-${name}.ova`);
      await upload(runner, await source.locate(entry.ova), remote, { onBytes: (n) => meter.add(n, 'uploading', entry.ova), signal });
      meter.report('importing', name);
      try {
        await vboxOn(access, host, cmd.importAppliance(remote, { vmName: name }), `importing VM ${name}`);
      } finally {
        await removeHostFile(runner, remote, { timeoutMs: 30_000 }).catch(() => undefined);
      }
      for (const c of [cmd.modifyVm(name, { groups: [dcodGroup(dc)] }), cmd.setExtraData(name, EXTRA_DATACENTER, dc), cmd.setExtraData(name, EXTRA_ROLE, 'vm')]) await vboxOn(access, host, c, `tagging VM ${name}`);
      if (entry.volumeDisks.length === 0) continue;
      // VirtualBox carried each volume inside the OVA as one of the VM's own disks: put the volume's own
      // file (from the bundle) at DCoD's volume path in that disk's place, and drop the copy.
      const info = parseShowVmInfo(await vboxOn(access, host, cmd.showVmInfo(name), `reading VM ${name}`));
      const disks = ovaDisks(info);
      for (const vd of entry.volumeDisks) {
        const copy = disks[vd.index];
        const vol = document.volumes.find((v) => v.name === vd.volume);
        const file = manifest.volumes.find((v) => v.name === vd.volume);
        if (!copy || !vol || !file) throw new DcodError('FILE_ERROR', `the bundle says disk ${vd.index} of VM ${name} is volume ${vd.volume}, but it is not there`);
        // The port is the cross-check that this is the disk the export saw: swapping any other would put the
        // volume in place of a system disk.
        if (copy.port !== vd.port) {
          throw new DcodError('FILE_ERROR', `the bundle says volume ${vd.volume} is disk ${vd.index} of VM ${name}, on port ${vd.port}, but VirtualBox imported that disk on port ${copy.port}: the OVA and the manifest disagree; export the datacenter again`);
        }
        const target = volumePath(folder, dc, vol);
        await upload(runner, await source.locate(file.file), target, { onBytes: (n) => meter.add(n, 'uploading', file.file), signal });
        await vboxOn(access, host, cmd.storageAttach(name, { controller: copy.controller, port: copy.port, device: copy.device, type: 'hdd', medium: 'none' }), `detaching the copy of volume ${vol.name}`);
        await vboxOn(access, host, cmd.closeMedium('disk', copy.medium, { deleteFile: true }), `deleting the copy of volume ${vol.name}`);
        await vboxOn(access, host, cmd.storageAttach(name, { controller: copy.controller, port: copy.port, device: copy.device, type: 'hdd', medium: target }), `attaching volume ${vol.name}`);
      }
    }
  };

  await stop.all(byHost, async ([hostName, vms]) => {
    let name = '';
    await importOnHost(hostName, vms, (n) => (name = n)).catch((err: unknown) => {
      throw withContext(name ? `importing VM ${name} on ${hostName}` : `importing onto ${hostName}`, err);
    });
  });

  const remap = new Map(plan.remapped.map((r) => [r.from, r.to]));
  const out: Datacenter = { ...document, placement: plan.placement, switches: document.switches.map((s) => ({ ...s, vni: remap.get(s.vni) ?? s.vni })) };
  await saveDocumentFile(documentFile, out);
  meter.report('done');
  return { ...plan, file: path.resolve(documentFile), document: out };
}
