/**
 * Exporting a datacenter to a bundle (./manifest): each VM is exported to an OVA on its own host by
 * VirtualBox, streamed down over SFTP (constant memory) while being hashed, and removed from the host;
 * each volume's disk is streamed down the same way. Hosts work in parallel, one file at a time each.
 * A file whose recorded checksum still matches what is on disk from an earlier run is not fetched again.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { DcodError } from '../errors';
import type { ObservedVm } from '../hosts/observed';
import { writeFileAtomic } from '../fsx/atomic';
import { canonicalYaml, loadDocumentFile } from '../model/document-file';
import type { Datacenter } from '../model/document';
import { ownership } from '../model/tags';
import { joinHostPath, volumeAt } from '../plan/host-paths';
import * as cmd from '../vbox/commands';
import { hostNamed, vboxOn, type HostAccess } from '../snapshot/host-access';
import { BUNDLE_FORMAT, DOCUMENT, PROGRESS, writeManifest, type BundleFile, type BundleManifest, type BundleVm } from './manifest';
import { ProgressMeter, type BundleProgress } from './progress';
import { download, hashFile } from './remote-files';

export interface ExportOptions {
  readonly onProgress?: (p: BundleProgress) => void;
  readonly signal?: AbortSignal;
}

/** The document without anything that binds it to these hosts: where VMs ran is the importer's choice. */
export function virtualPart(doc: Datacenter): Datacenter {
  return { ...doc, placement: {} };
}

/** The disks of a VM in the order VirtualBox writes them into an OVA: controllers, then ports. */
export function ovaDisks(vm: Pick<ObservedVm, 'storageAttachments'>): { medium: string; port: number }[] {
  return vm.storageAttachments.filter((a) => a.medium !== 'emptydrive' && a.medium !== 'none' && !/\.(iso|img|dmg)$/i.test(a.medium)).map((a) => ({ medium: a.medium, port: a.port }));
}

async function readProgress(dir: string): Promise<Map<string, BundleFile>> {
  const text = await readFile(path.join(dir, PROGRESS), 'utf8').catch(() => '[]');
  try {
    return new Map((JSON.parse(text) as BundleFile[]).map((f) => [f.path, f]));
  } catch {
    return new Map();
  }
}

export async function exportBundle(access: HostAccess, file: string, outDir: string, opts: ExportOptions = {}): Promise<BundleManifest> {
  const loaded = await loadDocumentFile(file);
  const doc = loaded.document;
  const dc = doc.metadata.name;
  const meter = new ProgressMeter('export', (p) => opts.onProgress?.(p));
  meter.report('reading');
  const [inventory, observed] = await Promise.all([access.inventory(), access.refresh()]);
  const where = new Map<string, { host: string; vm: ObservedVm }>();
  for (const h of observed) for (const vm of h.vms) if (ownership(vm, dc) === 'vm') where.set(vm.name, { host: h.host, vm });
  const missing = doc.vms.filter((v) => !where.has(v.name)).map((v) => v.name);
  if (missing.length) throw new DcodError('INVALID_STATE', `can't export ${dc}: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} on no host; apply the document first`);
  const volumeHost = new Map<string, { host: string; path: string }>();
  for (const h of observed) for (const d of h.disks ?? []) {
    const v = volumeAt(d.location, dc);
    if (v && !d.parentUuid) volumeHost.set(v.name, { host: h.host, path: d.location });
  }
  const lost = doc.volumes.filter((v) => !volumeHost.has(v.name)).map((v) => v.name);
  if (lost.length) throw new DcodError('INVALID_STATE', `can't export ${dc}: volume${lost.length === 1 ? '' : 's'} ${lost.join(', ')} ${lost.length === 1 ? 'is' : 'are'} on no host; apply the document first`);

  const done = await readProgress(outDir);
  const files: BundleFile[] = [];
  const record = async (f: BundleFile) => {
    files.push(f);
    done.set(f.path, f);
    await writeFileAtomic(path.join(outDir, PROGRESS), JSON.stringify([...done.values()]));
  };
  /** Whether an earlier run left this file whole: its size and SHA-256 are what that run recorded. */
  const intact = async (rel: string): Promise<boolean> => {
    const f = done.get(rel);
    if (!f) return false;
    const got = await hashFile(path.join(outDir, rel)).catch(() => undefined);
    if (got?.sha256 !== f.sha256) return false;
    files.push(f);
    meter.expect(f.bytes);
    meter.add(f.bytes, 'downloading', rel);
    return true;
  };

  const docText = canonicalYaml(virtualPart(doc));
  await writeFileAtomic(path.join(outDir, DOCUMENT), docText);
  const docHash = await hashFile(path.join(outDir, DOCUMENT));
  files.push({ path: DOCUMENT, ...docHash });

  const vms: BundleVm[] = [];
  const jobs = new Map<string, (() => Promise<void>)[]>();
  const queue = (host: string, job: () => Promise<void>) => jobs.set(host, [...(jobs.get(host) ?? []), job]);
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
    queue(host, async () => {
      if (await intact(rel)) return;
      const h = hostNamed(inventory, host);
      const folder = observed.find((o) => o.host === host)?.machineFolder;
      if (!folder) throw new DcodError('INVALID_STATE', `host ${host} did not say where its VMs are kept`);
      const remote = joinHostPath(folder, `dcod-export-${dc}-${v.name}.ova`);
      meter.report('exporting', v.name);
      const runner = await access.runnerFor(h);
      await runner.run(['rm', '-f', '--', remote]);
      await vboxOn(access, h, cmd.exportVm(vm.uuid, remote), `exporting VM ${v.name}`);
      try {
        const size = Number((await runner.run(['stat', '-c', '%s', '--', remote])).stdout.trim());
        if (Number.isFinite(size)) meter.expect(size);
        const got = await download(runner, remote, path.join(outDir, rel), { onBytes: (n) => meter.add(n, 'downloading', rel), ...(opts.signal ? { signal: opts.signal } : {}) });
        await record({ path: rel, ...got });
      } finally {
        await runner.run(['rm', '-f', '--', remote]).catch(() => undefined);
      }
    });
  }
  const volumes: BundleManifest['volumes'] = [];
  for (const vol of doc.volumes) {
    const src = volumeHost.get(vol.name)!;
    const rel = `volumes/${vol.name}.${vol.format}`;
    volumes.push({ name: vol.name, file: rel });
    queue(src.host, async () => {
      if (await intact(rel)) return;
      const runner = await access.runnerFor(hostNamed(inventory, src.host));
      const size = Number((await runner.run(['stat', '-c', '%s', '--', src.path])).stdout.trim());
      if (Number.isFinite(size)) meter.expect(size);
      const got = await download(runner, src.path, path.join(outDir, rel), { onBytes: (n) => meter.add(n, 'downloading', rel), ...(opts.signal ? { signal: opts.signal } : {}) });
      await record({ path: rel, ...got });
    });
  }
  await Promise.all(
    [...jobs.values()].map(async (list) => {
      for (const job of list) {
        if (opts.signal?.aborted) throw new DcodError('BAD_REQUEST', 'export cancelled: run it again to resume', { retryable: true });
        await job();
      }
    }),
  );
  const manifest: BundleManifest = { format: BUNDLE_FORMAT, datacenter: dc, createdAt: new Date().toISOString(), document: DOCUMENT, vms, volumes, files: files.sort((a, b) => a.path.localeCompare(b.path)) };
  await writeManifest(outDir, manifest);
  await rm(path.join(outDir, PROGRESS), { force: true });
  meter.report('done');
  return manifest;
}
