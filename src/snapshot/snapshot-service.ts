/**
 * Datacenter snapshots: every VM of the datacenter snapshotted in parallel (live where running) under one
 * name, with the document version they belong to. A take that fails on any VM deletes the snapshots it
 * did make, so a datacenter snapshot is all there or not there at all. A restore puts each VM back to its
 * snapshot and the document back to its text; planning that document afterwards brings the overlay (and
 * any VM deleted since, which no VirtualBox snapshot can bring back) in line.
 */
import { readFile } from 'node:fs/promises';
import { DcodError, toDcodError, type ErrorInfo } from '../errors';
import { writeFileAtomic } from '../fsx/atomic';
import { loadDocumentFile, parseDocumentText } from '../model/document-file';
import { Name } from '../model/document';
import * as cmd from '../vbox/commands';
import { parseSnapshotTaken } from '../vbox/results';
import { datacenterVms, hostNamed, vboxOn, type HostAccess } from './host-access';
import { listRecords, readRecord, recordExists, removeRecord, saveRecord, vboxSnapshotName, type SnapshotRecord, type SnapshotSummary, type SnapshotVm } from './record';

export type { SnapshotRecord, SnapshotSummary } from './record';

/** One VM's part in a take, restore or delete. */
export interface VmOutcome {
  readonly vm: string;
  readonly host: string;
  readonly ok: boolean;
  readonly error?: ErrorInfo;
}

export interface RestoreResult {
  readonly snapshot: SnapshotSummary;
  readonly file: string;
  readonly vms: readonly VmOutcome[];
  /** VMs gone since the snapshot: the document has them again, the next apply recreates them empty. */
  readonly recreate: readonly string[];
}

const RUNNING_STATES = new Set(['running', 'paused', 'stuck', 'teleporting', 'livesnapshotting', 'starting']);

function defaultName(now: Date): string {
  return `snap-${now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-')}`;
}

/** Runs `work` on every item at once; never throws, each outcome says how it went. */
async function eachVm<T extends { vm: string; host: string }>(items: readonly T[], work: (item: T) => Promise<void>): Promise<VmOutcome[]> {
  return Promise.all(
    items.map(async (item) => {
      try {
        await work(item);
        return { vm: item.vm, host: item.host, ok: true };
      } catch (err) {
        return { vm: item.vm, host: item.host, ok: false, error: toDcodError(err).toInfo() };
      }
    }),
  );
}

export function describeFailures(outcomes: readonly VmOutcome[]): string {
  return outcomes
    .filter((o) => !o.ok)
    .map((o) => `  VM ${o.vm} on ${o.host}: ${[...(o.error?.context ?? []), o.error?.message ?? ''].join(': ')}`)
    .join('\n');
}

export class SnapshotService {
  constructor(private readonly access: HostAccess) {}

  /** Snapshots every VM of the document that exists on a host. All or nothing. */
  async take(file: string, name?: string, now = new Date()): Promise<SnapshotSummary> {
    const loaded = await loadDocumentFile(file);
    // The file's own text, so a restore gives back exactly what the person wrote (comments, order).
    const text = await readFile(loaded.file, 'utf8');
    if (parseDocumentText(text).version !== loaded.version) throw new DcodError('INVALID_STATE', `${loaded.file} changed while being read: try again`);
    const dc = loaded.document.metadata.name;
    const snapName = Name.parse(name ?? defaultName(now));
    if (await recordExists(loaded.file, dc, snapName)) throw new DcodError('BAD_REQUEST', `datacenter ${dc} already has a snapshot ${snapName}: pick another name or delete it first`);
    const [inventory, observed] = await Promise.all([this.access.inventory(), this.access.refresh()]);
    const unreadable = observed.filter((o) => !o.reachable || o.error);
    if (unreadable.length) throw new DcodError('HOST_UNREACHABLE', `can't snapshot ${dc} while ${unreadable.map((o) => o.host).join(', ')} can't be read: every VM or none`);
    const found = datacenterVms(observed, dc);
    const targets = loaded.document.vms.flatMap((v) => {
      const f = found.get(v.name);
      return f ? [{ vm: v.name, host: f.host, uuid: f.vm.uuid, running: RUNNING_STATES.has(f.vm.state) }] : [];
    });
    const taken = new Map<string, string>();
    const description = `DCoD snapshot ${snapName} of datacenter ${dc} (document ${loaded.version.slice(0, 12)})`;
    const outcomes = await eachVm(targets, async (t) => {
      const out = await vboxOn(this.access, hostNamed(inventory, t.host), cmd.snapshotTake(t.uuid, vboxSnapshotName(snapName), { description, live: t.running }), `snapshotting VM ${t.vm}`);
      taken.set(t.vm, parseSnapshotTaken(out).uuid);
    });
    if (outcomes.some((o) => !o.ok)) {
      const undo = await eachVm(
        targets.filter((t) => taken.has(t.vm)),
        (t) => vboxOn(this.access, hostNamed(inventory, t.host), cmd.snapshotDelete(t.uuid, taken.get(t.vm)!), `deleting the partial snapshot of VM ${t.vm}`).then(() => undefined),
      );
      const left = undo.filter((o) => !o.ok);
      throw new DcodError(
        outcomes.find((o) => !o.ok)?.error?.code ?? 'COMMAND_FAILED',
        `snapshot ${snapName} of ${dc} failed, so the ${taken.size} VM snapshot${taken.size === 1 ? '' : 's'} made were deleted again:\n${describeFailures(outcomes)}` +
          (left.length ? `\nand these could not be deleted (remove snapshot ${vboxSnapshotName(snapName)} by hand):\n${describeFailures(left)}` : ''),
      );
    }
    const vms: SnapshotVm[] = targets.map((t) => ({ vm: t.vm, host: t.host, uuid: t.uuid, snapshot: taken.get(t.vm)!, running: t.running }));
    const record: SnapshotRecord = { name: snapName, datacenter: dc, takenAt: now.toISOString(), docVersion: loaded.version, document: text, vms };
    await saveRecord(loaded.file, record);
    return summary(record);
  }

  async list(file: string): Promise<SnapshotSummary[]> {
    const loaded = await loadDocumentFile(file);
    return (await listRecords(loaded.file, loaded.document.metadata.name)).map(summary);
  }

  /**
   * Puts every VM that still exists back to its snapshot (powered off first; started again if it was
   * running), then the document. VMs that failed are reported; the document is restored only when none
   * did, so a retry starts from the same place.
   */
  async restore(file: string, name: string): Promise<RestoreResult> {
    const loaded = await loadDocumentFile(file);
    const record = await readRecord(loaded.file, loaded.document.metadata.name, name);
    const [inventory, observed] = await Promise.all([this.access.inventory(), this.access.refresh()]);
    const now = new Map(observed.flatMap((h) => h.vms.map((vm) => [`${h.host}/${vm.uuid}`, vm] as const)));
    const present = record.vms.filter((v) => now.has(`${v.host}/${v.uuid}`));
    const outcomes = await eachVm(present, async (v) => {
      const host = hostNamed(inventory, v.host);
      const state = now.get(`${v.host}/${v.uuid}`)!.state;
      if (RUNNING_STATES.has(state)) await vboxOn(this.access, host, cmd.controlVm(v.uuid, 'poweroff'), `powering VM ${v.vm} off`);
      else if (state === 'saved') await vboxOn(this.access, host, cmd.discardState(v.uuid), `discarding the saved state of VM ${v.vm}`);
      await vboxOn(this.access, host, cmd.snapshotRestore(v.uuid, v.snapshot), `restoring VM ${v.vm}`);
      if (v.running) await vboxOn(this.access, host, cmd.startVm(v.uuid), `starting VM ${v.vm}`);
    });
    if (outcomes.some((o) => !o.ok)) {
      throw new DcodError(outcomes.find((o) => !o.ok)?.error?.code ?? 'COMMAND_FAILED', `restoring snapshot ${name} failed on some VMs (the document was left as it is):\n${describeFailures(outcomes)}`);
    }
    await writeFileAtomic(loaded.file, record.document);
    return { snapshot: summary(record), file: loaded.file, vms: outcomes, recreate: record.vms.filter((v) => !now.has(`${v.host}/${v.uuid}`)).map((v) => v.vm) };
  }

  /** Deletes the VirtualBox snapshots (of VMs that still exist) and then the record. */
  async remove(file: string, name: string): Promise<readonly VmOutcome[]> {
    const loaded = await loadDocumentFile(file);
    const record = await readRecord(loaded.file, loaded.document.metadata.name, name);
    const [inventory, observed] = await Promise.all([this.access.inventory(), this.access.refresh()]);
    const exists = new Set(observed.flatMap((h) => h.vms.map((vm) => `${h.host}/${vm.uuid}`)));
    const outcomes = await eachVm(record.vms.filter((v) => exists.has(`${v.host}/${v.uuid}`)), (v) =>
      vboxOn(this.access, hostNamed(inventory, v.host), cmd.snapshotDelete(v.uuid, v.snapshot), `deleting the snapshot of VM ${v.vm}`).then(() => undefined),
    );
    if (outcomes.some((o) => !o.ok)) throw new DcodError(outcomes.find((o) => !o.ok)?.error?.code ?? 'COMMAND_FAILED', `deleting snapshot ${name} failed on some VMs (its record is kept, so it can be retried):\n${describeFailures(outcomes)}`);
    await removeRecord(loaded.file, record.datacenter, name);
    return outcomes;
  }
}

function summary(r: SnapshotRecord): SnapshotSummary {
  const { document: _document, ...rest } = r;
  return rest;
}
