// `VBoxManage snapshot <vm> take|delete|restore|restorecurrent|list|edit …` (VBoxManageSnapshot.cpp).
// Taking a snapshot freezes the current configuration and moves every hard disk of the current
// state onto a new differencing image in the snapshot folder, as VirtualBox does.
import path from 'node:path';
import { argumentError, comFailure, msgError, syntaxError, VBoxError } from '../errors';
import { getopt, type OptDef } from '../getopt';
import { hardwareOf, machineDir, type Hardware, type Machine, type Snapshot } from '../machine';
import { formatSnapshotList } from '../vminfo';
import { findMachine, findSnapshot, PROGRESS_OK, site, type Ctx } from './context';
import { createDiff, deleteMedium } from './medium';

const F = 'VBoxManageSnapshot.cpp';
const FIND = site(F, 344, 'FindMachine(bstrMachine.raw(), pMachine.asOutParam())');
const FIND_SNAP = site(F, 537, 'FindSnapshot(Bstr(a->argv[2]).raw(), pSnapshot.asOutParam())');
const DELETE = site(F, 554, 'DeleteSnapshot(bstrSnapGuid.raw(), pProgress.asOutParam())');
const RESTORE = site(F, 560, 'RestoreSnapshot(pSnapshot, pProgress.asOutParam())');

const TAKE_OPTS: OptDef[] = [
  { name: '--description', id: 'desc', kind: 'string' },
  { name: '-description', id: 'desc', kind: 'string' },
  { name: '-desc', id: 'desc', kind: 'string' },
  { name: '--pause', id: 'pause', kind: 'none' },
  { name: '--live', id: 'live', kind: 'none' },
  { name: '--uniquename', id: 'unique', kind: 'string' },
];

const LIST_OPTS: OptDef[] = [
  { name: '--details', id: 'details', kind: 'none' },
  { name: '--machinereadable', id: 'mr', kind: 'none' },
];

function snapshotFolder(m: Machine): string {
  return path.join(machineDir(m), 'Snapshots');
}

/** Gives the current state fresh differencing images on top of the disks in `hw`. */
function branchDisks(ctx: Ctx, m: Machine): void {
  for (const c of m.storage)
    for (const a of c.attachments) if (a.kind === 'hdd' && a.medium) a.medium = createDiff(ctx.tx, a.medium, snapshotFolder(m), ctx.uuid()).uuid;
}

function currentDisks(hw: Hardware): string[] {
  return hw.storage.flatMap((c) => c.attachments.filter((a) => a.kind === 'hdd' && a.medium).map((a) => a.medium as string));
}

function findParent(root: Snapshot, target: Snapshot): Snapshot | null {
  for (const c of root.children) {
    if (c === target) return root;
    const p = findParent(c, target);
    if (p) return p;
  }
  return null;
}

function uniqueName(m: Machine, name: string, flags: string, now: number): string {
  const f = flags.toLowerCase().split(',');
  if (f.some((x) => !['number', 'timestamp', 'space', 'force'].includes(x))) throw argumentError(`Invalid unique name description '${flags}'`);
  const exists = (n: string) => [...(function* walk(s: Snapshot | null): Generator<string> {
    if (!s) return;
    yield s.name;
    for (const c of s.children) yield* walk(c);
  })(m.snapshots)].includes(n);
  const force = f.includes('force');
  if (!exists(name) && !force) return name;
  const sep = f.includes('space') ? ' ' : '';
  for (let count = f.includes('number') ? (force ? 1 : 2) : 0; count < 500; count++) {
    const suffix = f.includes('number') ? String(count) : new Date(now + count * 1000).toISOString().slice(0, 19) + 'Z';
    const n = `${name}${sep}${suffix}`;
    if (!exists(n)) return n;
  }
  throw new VBoxError(msgError('Failed to generate a unique snapshot name'), 1);
}

function take(ctx: Ctx, m: Machine, args: string[]): void {
  const v = ctx.config.version;
  if (args.length < 1) throw syntaxError(v, 'Missing snapshot name', 1);
  let name = args[0] as string;
  let description = '';
  for (const r of getopt(args.slice(1), TAKE_OPTS)) {
    if (r.type === 'error') throw syntaxError(v, r.message, 1);
    if (r.type === 'arg') throw syntaxError(v, `Invalid parameter '${r.value}'`, 1);
    if (r.id === 'desc') description = String(r.value);
    if (r.id === 'unique') name = uniqueName(m, name, String(r.value), ctx.now());
  }
  const snap: Snapshot = {
    uuid: ctx.uuid(),
    name,
    description,
    timeStamp: ctx.now(),
    online: m.running !== null,
    hardware: hardwareOf(m),
    children: [],
  };
  if (!m.snapshots) m.snapshots = snap;
  else {
    const parent = m.currentSnapshot ? findSnapshot(m, m.currentSnapshot, FIND_SNAP) : m.snapshots;
    parent.children.push(snap);
  }
  m.currentSnapshot = snap.uuid;
  branchDisks(ctx, m);
  ctx.err(PROGRESS_OK);
  ctx.out(`Snapshot taken. UUID: ${snap.uuid}\n`);
}

/** Drops current-state disks no snapshot refers to any more (VirtualBox deletes them on restore). */
function dropCurrentDiffs(ctx: Ctx, m: Machine, keep: Set<string>): void {
  for (const id of currentDisks(m)) {
    const medium = ctx.tx.registry.media.find((x) => x.uuid === id);
    if (medium?.parent && !keep.has(id)) deleteMedium(ctx.tx, id);
  }
}

function snapshotDisks(m: Machine): Set<string> {
  const ids = new Set<string>();
  const walk = (s: Snapshot) => {
    for (const d of currentDisks(s.hardware)) ids.add(d);
    s.children.forEach(walk);
  };
  if (m.snapshots) walk(m.snapshots);
  return ids;
}

function restore(ctx: Ctx, m: Machine, snap: Snapshot): void {
  if (m.running) {
    throw comFailure(
      {
        text: `Cannot delete the current state of the running machine (machine state: ${m.state === 'paused' ? 'Paused' : 'Running'})`,
        code: 'VBOX_E_INVALID_VM_STATE',
        component: 'SessionMachine',
        iface: 'IMachine',
        callee: 'nsISupports',
      },
      RESTORE,
    );
  }
  dropCurrentDiffs(ctx, m, snapshotDisks(m));
  Object.assign(m, structuredClone(snap.hardware));
  m.currentSnapshot = snap.uuid;
  m.state = 'poweroff';
  m.stateFile = '';
  m.stateChangeTime = snap.timeStamp;
  branchDisks(ctx, m);
  ctx.err(PROGRESS_OK);
}

function remove(ctx: Ctx, m: Machine, snap: Snapshot): void {
  const fail = (text: string) =>
    comFailure({ text, code: 'VBOX_E_INVALID_OBJECT_STATE', component: 'SessionMachine', iface: 'IMachine', callee: 'nsISupports' }, DELETE);
  if (snap.children.length > 1)
    throw fail(
      `Snapshot '${snap.name}' of the machine '${m.name}' cannot be deleted, because it has ${snap.children.length} child snapshots, which is more than the one snapshot allowed for deletion`,
    );
  if (snap.children.length === 1 && m.currentSnapshot === snap.uuid)
    throw fail(`Snapshot '${snap.name}' of the machine '${m.name}' cannot be deleted, because it is the current snapshot and has one child snapshot`);
  const root = m.snapshots as Snapshot;
  const parent = root === snap ? null : findParent(root, snap);
  if (!parent) m.snapshots = snap.children[0] ?? null;
  else parent.children.splice(parent.children.indexOf(snap), 1, ...snap.children);
  if (m.currentSnapshot === snap.uuid) m.currentSnapshot = parent?.uuid ?? null;
  // Merge: each differencing image that lived on top of the snapshot's disks is folded into it,
  // and whoever used the image now uses the snapshot's disk.
  const users = [m as Hardware, ...[...(function* all(s: Snapshot | null): Generator<Hardware> {
    if (!s) return;
    yield s.hardware;
    for (const c of s.children) yield* all(c);
  })(m.snapshots)]];
  for (const base of currentDisks(snap.hardware)) {
    const children = ctx.tx.registry.media.filter((x) => x.parent === base);
    if (children.length !== 1) continue;
    const child = children[0] as (typeof children)[number];
    for (const hw of users) for (const c of hw.storage) for (const a of c.attachments) if (a.medium === child.uuid) a.medium = base;
    for (const x of ctx.tx.registry.media) if (x.parent === child.uuid) x.parent = base;
    deleteMedium(ctx.tx, child.uuid);
  }
  // A differencing image only the deleted snapshot used (a leaf branch) has nothing to merge into.
  const used = new Set(users.flatMap(currentDisks));
  for (const id of currentDisks(snap.hardware)) {
    const medium = ctx.tx.registry.media.find((x) => x.uuid === id);
    if (medium?.parent && !used.has(id) && !ctx.tx.registry.media.some((x) => x.parent === id)) deleteMedium(ctx.tx, id);
  }
  ctx.err(PROGRESS_OK);
}

export function snapshot(args: string[], ctx: Ctx): void {
  const v = ctx.config.version;
  if (args.length < 2) throw syntaxError(v, 'Not enough parameters');
  const [vm, sub, ...rest] = args as [string, string, ...string[]];
  const m = findMachine(ctx, vm, FIND);
  if (sub === 'take') take(ctx, m, rest);
  else if (sub === 'delete' || sub === 'restore' || sub === 'restorecurrent') {
    let snap: Snapshot;
    if (sub === 'restorecurrent') {
      if (rest.length > 0) throw syntaxError(v, 'Too many arguments', 1);
      if (!m.currentSnapshot) {
        ctx.out('This machine does not have any snapshots\n');
        throw new VBoxError('', 1);
      }
      snap = findSnapshot(m, m.currentSnapshot, FIND_SNAP);
    } else {
      if (rest.length !== 1) throw syntaxError(v, 'Expecting snapshot name only', 1);
      snap = findSnapshot(m, rest[0] as string, FIND_SNAP);
    }
    ctx.out(`${sub === 'delete' ? 'Deleting' : 'Restoring'} snapshot '${snap.name}' (${snap.uuid})\n`);
    if (sub === 'delete') remove(ctx, m, snap);
    else restore(ctx, m, snap);
  } else if (sub === 'list') {
    let details: 'machinereadable' | 'standard' = 'standard';
    for (const r of getopt(rest, LIST_OPTS)) {
      if (r.type === 'error') throw syntaxError(v, r.message);
      if (r.type === 'arg') throw syntaxError(v, `Invalid parameter '${r.value}'`);
      if (r.id === 'mr') details = 'machinereadable';
    }
    if (!m.snapshots) {
      ctx.out('This machine does not have any snapshots\n');
      throw new VBoxError('', 1);
    }
    ctx.out(formatSnapshotList(m, details));
    return;
  } else throw syntaxError(v, `Invalid parameter '${sub}'`, 1);
  ctx.tx.save(m);
}
