// `VBoxManage unregistervm <vm> [--delete|--delete-all]` (VBoxManageMisc.cpp handleUnregisterVM).
// Unregister detaches the hard disks; --delete then removes them, the settings and the machine
// folder's VirtualBox files; without it the disks are only closed (their files stay).
import fs from 'node:fs';
import path from 'node:path';
import { comFailure, syntaxError } from '../errors';
import { getopt, type OptDef } from '../getopt';
import { allSnapshots, machineDir, type Machine } from '../machine';
import type { Tx } from '../store';
import { findMachine, PROGRESS_OK, site, type Ctx } from './context';

const OPTS: OptDef[] = [
  { name: '--delete', id: 'delete', kind: 'none' },
  { name: '-delete', id: 'delete', kind: 'none' },
  { name: '--delete-all', id: 'deleteAll', kind: 'none' },
];

const F = 'VBoxManageMisc.cpp';
const FIND = site(F, 229, 'FindMachine(Bstr(VMName).raw(), machine.asOutParam())');
const UNREGISTER = site(
  F,
  233,
  'Unregister(fDeleteAll ? CleanupMode_DetachAllReturnHardDisksAndVMRemovable :CleanupMode_DetachAllReturnHardDisksOnly, ComSafeArrayAsOutParam(aMedia))',
);

/** Every hard disk the machine or any of its snapshots uses, children before parents. */
export function machineDisks(tx: Tx, m: Machine): string[] {
  const ids = new Set<string>();
  const configs = [m, ...[...allSnapshots(m.snapshots)].map((s) => s.snap.hardware)];
  for (const c of configs) for (const ctl of c.storage) for (const a of ctl.attachments) if (a.kind === 'hdd' && a.medium) ids.add(a.medium);
  // Include the whole chain up to the base, then order leaves first so deletion never orphans a child.
  const byId = new Map(tx.registry.media.map((x) => [x.uuid, x]));
  for (const id of [...ids]) for (let p = byId.get(id)?.parent; p; p = byId.get(p)?.parent) ids.add(p);
  const depth = (id: string) => {
    let d = 0;
    for (let p = byId.get(id)?.parent; p; p = byId.get(p)?.parent) d++;
    return d;
  };
  return [...ids].filter((id) => byId.has(id)).sort((a, b) => depth(b) - depth(a));
}

/** Closes media no other registered machine uses; deletes their files when asked. */
export function releaseDisks(tx: Tx, m: Machine, deleteFiles: boolean): void {
  const others = tx.allMachines().filter((x) => x.uuid !== m.uuid);
  const inUse = new Set(others.flatMap((o) => machineDisks(tx, o)));
  for (const id of machineDisks(tx, m)) {
    if (inUse.has(id)) continue;
    const medium = tx.registry.media.find((x) => x.uuid === id);
    if (!medium) continue;
    if (deleteFiles) fs.rmSync(medium.location, { force: true });
    tx.registry.media = tx.registry.media.filter((x) => x.uuid !== id);
  }
  tx.touchRegistry();
}

export function unregistervm(args: string[], ctx: Ctx): void {
  let vm: string | undefined;
  let del = false;
  for (const r of getopt(args, OPTS)) {
    if (r.type === 'error') throw syntaxError(ctx.config.version, r.message);
    if (r.type === 'arg') {
      if (vm !== undefined) throw syntaxError(ctx.config.version, `Invalid parameter '${r.value}'`);
      vm = r.value;
    } else del = true;
  }
  if (!vm) throw syntaxError(ctx.config.version, 'VM name required');
  const m = findMachine(ctx, vm, FIND);
  if (m.running) {
    throw comFailure(
      {
        text: `Cannot unregister the machine '${m.name}' while it is locked`,
        code: 'VBOX_E_INVALID_OBJECT_STATE',
        component: 'MachineWrap',
        iface: 'IMachine',
        callee: 'nsISupports',
      },
      UNREGISTER,
    );
  }
  releaseDisks(ctx.tx, m, del);
  ctx.tx.remove(m.uuid);
  if (!del) return;
  // DeleteConfig: the settings file (and its backups), NVRAM, logs, snapshot folder, then the folder if empty.
  const dir = machineDir(m);
  for (const f of [m.cfgFile, `${m.cfgFile}-prev`, path.join(dir, `${m.name}.nvram`)]) fs.rmSync(f, { force: true });
  for (const d of ['Logs', 'Snapshots']) fs.rmSync(path.join(dir, d), { recursive: true, force: true });
  try {
    fs.rmdirSync(dir);
  } catch {
    // Not empty: VirtualBox leaves foreign files and the folder alone.
  }
  ctx.err(PROGRESS_OK);
}
