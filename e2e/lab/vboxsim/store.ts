// The simulator's VBoxSVC: per-host state on disk, one JSON file per VM plus a registry (machine
// order, media, global extra data). Every command runs inside one exclusive lock, the way VBoxSVC
// serialises API calls, so concurrent VBoxManage invocations never lose each other's changes.
import fs from 'node:fs';
import path from 'node:path';
import type { Machine } from './machine';

export type MediumFormat = 'VDI' | 'VMDK' | 'VHD' | 'RAW';
export type MediumDevice = 'HardDisk' | 'DVD' | 'Floppy';

export interface Medium {
  uuid: string;
  location: string;
  format: MediumFormat;
  device: MediumDevice;
  /** Bytes. */
  logicalSize: number;
  parent: string | null;
}

export interface Registry {
  /** Registered machines in registration order (what `list vms` shows). */
  machines: string[];
  media: Medium[];
  extradata: Record<string, string>;
}

const EMPTY: Registry = { machines: [], media: [], extradata: {} };
const LOCK_TIMEOUT_MS = 120_000;

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function writeAtomic(file: string, data: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** One locked session over the state: reads are cached, writes land on disk at commit. */
export class Tx {
  readonly registry: Registry;
  private readonly machines = new Map<string, Machine>();
  private readonly dirty = new Set<string>();
  private readonly deleted = new Set<string>();
  private registryDirty = false;

  constructor(private readonly dir: string) {
    this.registry = readJson<Registry>(path.join(dir, 'registry.json')) ?? structuredClone(EMPTY);
  }

  private machineFile(uuid: string): string {
    return path.join(this.dir, 'machines', `${uuid}.json`);
  }

  /** A registered machine by UUID (throws if the registry and the files disagree: a bug). */
  machine(uuid: string): Machine {
    let m = this.machines.get(uuid);
    if (!m) {
      m = readJson<Machine>(this.machineFile(uuid));
      if (!m) throw new Error(`vboxsim: machine file for ${uuid} is missing`);
      this.machines.set(uuid, m);
    }
    return m;
  }

  allMachines(): Machine[] {
    return this.registry.machines.map((u) => this.machine(u));
  }

  /** Marks a machine changed (and adds it if new). */
  save(m: Machine): void {
    this.machines.set(m.uuid, m);
    this.dirty.add(m.uuid);
    this.deleted.delete(m.uuid);
  }

  remove(uuid: string): void {
    this.machines.delete(uuid);
    this.dirty.delete(uuid);
    this.deleted.add(uuid);
    this.registry.machines = this.registry.machines.filter((u) => u !== uuid);
    this.touchRegistry();
  }

  touchRegistry(): void {
    this.registryDirty = true;
  }

  commit(): void {
    fs.mkdirSync(path.join(this.dir, 'machines'), { recursive: true });
    for (const uuid of this.dirty) {
      const m = this.machines.get(uuid);
      if (m) writeAtomic(this.machineFile(uuid), JSON.stringify(m));
    }
    for (const uuid of this.deleted) fs.rmSync(this.machineFile(uuid), { force: true });
    if (this.registryDirty) writeAtomic(path.join(this.dir, 'registry.json'), JSON.stringify(this.registry));
    this.dirty.clear();
    this.deleted.clear();
    this.registryDirty = false;
  }
}

/**
 * Removes a dead holder's lock, and only that one. WARNING: a plain delete raced: a holder that released
 * the lock and exited between our read and our check looked dead, and the delete then took the lock of
 * the process that had just acquired it — two commands inside the lock at once (seen as `ip` "File
 * exists" when VMs started side by side). So the file is renamed aside (atomic: one taker wins), checked
 * to be the one read, and put back if it is a live holder's.
 */
export function takeOverStaleLock(lock: string, seen: string): void {
  const aside = `${lock}.${process.pid}.stale`;
  try {
    fs.renameSync(lock, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if (fs.readFileSync(aside, 'utf8') !== seen) {
    try {
      fs.linkSync(aside, lock);
    } catch {
      // Someone holds a newer lock already: theirs stands.
    }
  }
  fs.rmSync(aside, { force: true });
}

/**
 * Runs `fn` holding the state lock. Changes are committed even when `fn` throws: VirtualBox keeps
 * whatever the API calls before the failing one already did (e.g. createvm that failed to register).
 */
export function withState<T>(stateDir: string, fn: (tx: Tx) => T): T {
  fs.mkdirSync(stateDir, { recursive: true });
  const lock = path.join(stateDir, 'lock');
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  for (;;) {
    try {
      const fd = fs.openSync(lock, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // WARNING: read it without creating it. (Reading with flag 'a+' re-created a lock its holder had
      // just released, as an empty file no process owned: every VBoxManage then waited out the timeout.)
      let text: string;
      try {
        text = fs.readFileSync(lock, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // released meanwhile: try again now
        throw err;
      }
      const owner = Number(text);
      // A holder that died (killed VBoxManage) must not wedge the host: take its lock over. An empty file
      // is a holder between creating it and writing its pid.
      if (owner > 0 && !pidAlive(owner)) takeOverStaleLock(lock, text);
      else if (Date.now() > deadline) throw new Error(`vboxsim: state lock ${lock} held by pid ${owner}`, { cause: e });
      else sleep(5);
    }
  }
  const tx = new Tx(stateDir);
  try {
    return fn(tx);
  } finally {
    tx.commit();
    fs.rmSync(lock, { force: true });
  }
}
