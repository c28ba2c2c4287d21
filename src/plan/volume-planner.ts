/**
 * Operations for volume disks: create where the VM that uses a volume lives, grow, carry to another host
 * when that VM moves, and delete copies nobody needs (volumes gone from the document, stale copies of a
 * moved one). Attaching and detaching belong to the VM's own chain (./vm-planner); a disk is only ever
 * copied or deleted after the VM holding it has let go of it.
 */
import type { Diagnostic } from '../diagnostics';
import * as cmd from '../vbox/commands';
import { hostOperation, opId } from './operation';
import type { Operation } from './plan';
import type { TransferOperation } from './transfer';
import type { VmPlan } from './vm-planner';
import { diskKey, type DiskCopy, type World } from './world';

export function planVolumes(world: World, vms: Pick<VmPlan, 'detaches'>): { operations: Operation[]; diagnostics: Diagnostic[] } {
  const operations: Operation[] = [];
  const diagnostics: Diagnostic[] = [];
  const format = (f: 'vdi' | 'vmdk') => (f === 'vdi' ? 'VDI' : 'VMDK');

  /** The detach a copy waits for: none if no VM holds it; undefined if one holds it and won't let go. */
  const released = (copy: DiskCopy): { dep?: string } | undefined => {
    if (world.frozenDisks.has(diskKey(copy.host, copy.path))) return undefined;
    if (!copy.holder) return {};
    const dep = vms.detaches.get(diskKey(copy.host, copy.path));
    return dep === undefined ? undefined : { dep };
  };
  const stuck = (copy: DiskCopy, what: string) =>
    diagnostics.push({ severity: 'warning', path: `(volume ${copy.volume})`, message: `volume ${copy.volume} on ${copy.host} can't be ${what}: ${copy.holder?.name ?? 'a VM'} holds it and is left alone this time`, fix: 'plan again once that VM can be changed' });

  const fates = [...world.fates.values()].sort((a, b) => a.volume.name.localeCompare(b.volume.name));
  for (const fate of fates) {
    const v = fate.volume;
    const growOp = (deps: (string | undefined)[]) =>
      hostOperation({ kind: 'volume', name: v.name, step: 'grow', host: fate.host, action: 'update', summary: `grow volume ${v.name} on ${fate.host} to ${v.sizeMb} MB`, reason: `size ${fate.grow!.fromMb} → ${v.sizeMb} MB`, commands: [['VBoxManage', ...cmd.resizeDisk(fate.path, v.sizeMb)]], dependsOn: deps, before: { sizeMb: fate.grow!.fromMb }, after: { sizeMb: v.sizeMb } });
    if (fate.present) {
      if (fate.grow?.by !== 'volume') continue;
      const r = released(fate.present);
      if (r) operations.push(growOp([r.dep]));
      else stuck(fate.present, 'grown');
      continue;
    }
    if (fate.source) {
      const r = released(fate.source);
      if (!r) {
        stuck(fate.source, `moved to ${fate.host}`);
        continue;
      }
      const transfer: TransferOperation = {
        ...hostOperation({ kind: 'volume', name: v.name, step: 'transfer', host: fate.host, action: 'replace', summary: `copy volume ${v.name} from ${fate.source.host} to ${fate.host}`, reason: `VM ${fate.vm} is on ${fate.host}`, commands: [], dependsOn: [r.dep] }),
        transfer: { from: { host: fate.source.host, path: fate.source.path }, to: { host: fate.host, path: fate.path }, removeSource: false },
      };
      operations.push(transfer);
      if (fate.grow?.by === 'volume') operations.push(growOp([transfer.id]));
      continue;
    }
    operations.push(
      hostOperation({
        kind: 'volume', name: v.name, step: 'create', host: fate.host, action: 'create',
        summary: `create volume ${v.name} on ${fate.host} (${v.sizeMb} MB ${v.format})`, reason: `VM ${fate.vm} uses it`,
        commands: [['VBoxManage', ...cmd.createDisk({ path: fate.path, sizeMb: v.sizeMb, format: format(v.format) })]],
        after: { host: fate.host, path: fate.path, sizeMb: v.sizeMb, format: v.format },
      }),
    );
  }

  // Copies to delete: those of volumes gone from the document, and the leftovers of placed ones once
  // the copy in its place exists (a move's source only after the copy landed).
  const inDoc = new Set(world.doc.volumes.map((v) => v.name));
  for (const [name, copies] of [...world.disks].sort(([a], [b]) => a.localeCompare(b))) {
    const fate = world.fates.get(name);
    if (inDoc.has(name) && !fate) continue; // not attached anywhere: kept where it is
    const seenHosts = new Set<string>();
    for (const copy of copies) {
      if (fate && copy === fate.present) continue;
      if (seenHosts.has(copy.host)) {
        diagnostics.push({ severity: 'warning', path: `(volume ${name})`, message: `${copy.host} has more than one disk for volume ${name}; ${copy.path} is left alone`, fix: 'remove the extra file by hand' });
        continue;
      }
      seenHosts.add(copy.host);
      if (fate && copy.host === fate.host) continue; // another file of it where it belongs: the warning above or the fate's own
      const r = released(copy);
      if (!r) {
        stuck(copy, 'deleted');
        continue;
      }
      const after = fate?.source ? opId('volume', name, 'transfer', fate.host) : undefined;
      if (fate?.source && !operations.some((o) => o.id === after)) continue; // its move is blocked: keep the source
      operations.push(
        hostOperation({
          kind: 'volume', name, step: 'delete', host: copy.host, action: 'delete',
          summary: `delete volume ${name} from ${copy.host}`, reason: fate ? `it is now on ${fate.host}` : 'not in the document',
          commands: [['VBoxManage', ...cmd.closeMedium('disk', copy.path, { deleteFile: true })]],
          dependsOn: [r.dep, after],
          before: { host: copy.host, path: copy.path, ...(copy.capacityMb === undefined ? {} : { sizeMb: copy.capacityMb }) },
        }),
      );
    }
  }
  return { operations, diagnostics };
}
