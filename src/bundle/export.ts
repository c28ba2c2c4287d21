/**
 * Exporting a datacenter to a bundle (./manifest): each VM is exported to an OVA on its own host by
 * VirtualBox, streamed down over SSH (constant memory) while being hashed, and removed from the host;
 * each volume's disk is streamed down the same way. Hosts work in parallel, one file at a time each.
 * A file whose recorded checksum still matches what is on disk from an earlier run is not fetched again.
 */
import { untilAborted } from '../concurrency/until-aborted';
import { DcodError, withContext } from '../errors';
import type { HostRunner } from '../hosts/runner';
import { canonicalYaml, loadDocumentFile } from '../model/document-file';
import type { Datacenter } from '../model/document';
import { joinHostPath, volumeAt } from '../plan/host-paths';
import * as cmd from '../vbox/commands';
import { datacenterVms, hostNamed, vboxOn, type HostAccess } from '../snapshot/host-access';
import { archiveTarget } from './archive-target';
import { folderTarget } from './bundle-target';
import { ARCHIVE_EXTENSION, BUNDLE_FORMAT, DOCUMENT, type BundleFile, type BundleManifest, type BundleVm } from './manifest';
import { ProgressMeter, type BundleProgress } from './progress';
import { HostWork } from './host-work';
import { download, removeHostFile } from './remote-files';

export interface ExportOptions {
  readonly onProgress?: (p: BundleProgress) => void;
  readonly signal?: AbortSignal;
}

/** The document without anything that binds it to these hosts: where VMs ran is the importer's choice. */
export function virtualPart(doc: Datacenter): Datacenter {
  return { ...doc, placement: {} };
}

/**
 * The disks of a VM in the order VirtualBox writes them into an OVA: controllers, then ports. The export
 * records a volume's place in this list and the import finds it there again, so both use this one filter.
 */
export function ovaDisks<A extends { readonly medium: string }>(vm: { readonly storageAttachments: readonly A[] }): A[] {
  return vm.storageAttachments.filter((a) => a.medium !== 'emptydrive' && a.medium !== 'none' && !/\.(iso|img|dmg)$/i.test(a.medium));
}

/** A `.dcod` path is a single-file bundle; anything else a bundle folder. */
export const isArchivePath = (out: string): boolean => out.toLowerCase().endsWith(ARCHIVE_EXTENSION);

export async function exportBundle(access: HostAccess, file: string, out: string, opts: ExportOptions = {}): Promise<BundleManifest> {
  const loaded = await loadDocumentFile(file);
  const doc = loaded.document;
  const dc = doc.metadata.name;
  const meter = new ProgressMeter('export', (p) => opts.onProgress?.(p));
  // The user's cancel, or the first job to fail: either stops every host's work at its next step or chunk.
  const cancelled = () => new DcodError('BAD_REQUEST', 'export cancelled: run it again to resume', { retryable: true });
  const stop = new HostWork(opts.signal, cancelled);
  stop.check();
  meter.report('reading');
  const [inventory, observed] = await untilAborted(Promise.all([access.inventory(), access.refresh()]), stop.signal, cancelled);
  const where = datacenterVms(observed, dc);
  const missing = doc.vms.filter((v) => !where.has(v.name)).map((v) => v.name);
  const volumeHost = new Map<string, { host: string; path: string }>();
  for (const h of observed) for (const d of h.disks ?? []) {
    const v = volumeAt(d.location, dc);
    if (v && !d.parentUuid) volumeHost.set(v.name, { host: h.host, path: d.location });
  }
  const lost = doc.volumes.filter((v) => !volumeHost.has(v.name)).map((v) => v.name);
  // What a host that could not be read holds is unknown, not absent: its failure is the reason.
  const unread = observed.find((h) => h.error);
  if ((missing.length || lost.length) && unread?.error) {
    const e = unread.error;
    throw new DcodError(e.code, e.message, { retryable: e.retryable, context: [`export of ${dc}`, `reading ${unread.host}`, ...e.context] });
  }
  if (missing.length) throw new DcodError('INVALID_STATE', `can't export ${dc}: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} on no host; apply the document first`);
  if (lost.length) throw new DcodError('INVALID_STATE', `can't export ${dc}: volume${lost.length === 1 ? '' : 's'} ${lost.join(', ')} ${lost.length === 1 ? 'is' : 'are'} on no host; apply the document first`);

  const target = isArchivePath(out) ? await archiveTarget(out) : await folderTarget(out);
  const files: BundleFile[] = [];
  /** Whether an earlier run left this file whole; then it counts as downloaded. */
  const intact = async (rel: string): Promise<boolean> => {
    const f = await target.intact(rel);
    if (!f) return false;
    files.push(f);
    meter.expect(f.bytes);
    meter.skip(f.bytes, 'downloading', rel);
    return true;
  };
  /** Streams a host file into the bundle as `rel`. */
  const fetch = async (runner: HostRunner, remote: string, rel: string) => {
    const got = await download(
      runner,
      remote,
      (bytes) => {
        meter.expect(bytes);
        return target.land(rel, bytes);
      },
      { onBytes: (n) => meter.add(n, 'downloading', rel), signal: stop.signal },
    );
    files.push({ path: rel, ...got });
  };

  try {
    files.push(await target.put(DOCUMENT, canonicalYaml(virtualPart(doc))));

    const vms: BundleVm[] = [];
    const jobs = new Map<string, (() => Promise<void>)[]>();
    /** Each host's jobs run one after another; whatever fails says which job and host it was. */
    const queue = (host: string, what: string, job: () => Promise<void>) =>
      jobs.set(host, [
        ...(jobs.get(host) ?? []),
        () =>
          job().catch((err: unknown) => {
            throw withContext(`${what} on ${host}`, err);
          }),
      ]);
    for (const v of doc.vms) {
      const { host, vm } = where.get(v.name)!;
      const rel = `vms/${v.name}.ova`;
      const disks = ovaDisks(vm);
      vms.push({
        name: v.name,
        ova: rel,
        volumeDisks: disks.flatMap((d, index) => {
          const vol = volumeAt(d.medium, dc);
          return vol ? [{ index, volume: vol.name, port: d.port }] : [];
        }),
      });
      queue(host, `exporting VM ${v.name}`, async () => {
        if (await intact(rel)) return;
        const h = hostNamed(inventory, host);
        const folder = observed.find((o) => o.host === host)?.machineFolder;
        if (!folder) throw new DcodError('INVALID_STATE', `host ${host} did not say where its VMs are kept`);
        const remote = joinHostPath(folder, `dcod-export-${dc}-${v.name}.ova`);
        meter.report('exporting', v.name);
        const runner = await access.runnerFor(h);
        await removeHostFile(runner, remote, { signal: stop.signal });
        await vboxOn(access, h, cmd.exportVm(vm.uuid, remote), 'VBoxManage export', { signal: stop.signal });
        try {
          await fetch(runner, remote, rel);
        } finally {
          // Bounded: after a cut link the host may never answer, and the failure must not wait for it.
          await removeHostFile(runner, remote, { timeoutMs: 30_000 }).catch(() => undefined);
        }
      });
    }
    const volumes: BundleManifest['volumes'] = [];
    for (const vol of doc.volumes) {
      const src = volumeHost.get(vol.name)!;
      const rel = `volumes/${vol.name}.${vol.format}`;
      volumes.push({ name: vol.name, file: rel });
      queue(src.host, `downloading volume ${vol.name}`, async () => {
        if (await intact(rel)) return;
        await fetch(await access.runnerFor(hostNamed(inventory, src.host)), src.path, rel);
      });
    }
    await stop.all(jobs.values(), async (list) => {
      for (const job of list) {
        if (stop.signal.aborted) return;
        await job();
      }
    });
    const manifest: BundleManifest = { format: BUNDLE_FORMAT, datacenter: dc, createdAt: new Date().toISOString(), document: DOCUMENT, vms, volumes, files: files.sort((a, b) => a.path.localeCompare(b.path)) };
    await target.finish(manifest);
    meter.report('done');
    return manifest;
  } finally {
    await target.close();
  }
}
