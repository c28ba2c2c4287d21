/**
 * The lab's namespaces and the processes in them, found by name and by namespace identity alone, so that
 * `down` works after a crash with no state file. Reading /proc directly is what `ip netns pids` does, done
 * once for all namespaces instead of once per namespace.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { DcodError } from '../../src/errors';
import { netnsDelScript } from './ip-batch';
import { netnsPrefix } from './plan';
import { run } from './run';

const NETNS_DIR = '/run/netns';

export function netnsPath(netns: string): string {
  return `${NETNS_DIR}/${netns}`;
}

function readdirSafe(): string[] {
  try {
    return readdirSync(NETNS_DIR);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** Every namespace of lab `lab`, the simulator's guests included. */
export function labNamespaces(lab: string): string[] {
  return readdirSafe()
    .filter((n) => n.startsWith(netnsPrefix(lab)))
    .sort();
}

/** A namespace's identity (device and inode of its nsfs file), or null if the file or process is gone. */
function nsIdentity(file: string): string | null {
  try {
    const st = statSync(file);
    return `${st.dev}:${st.ino}`;
  } catch {
    return null;
  }
}

function pids(): number[] {
  return readdirSync('/proc')
    .filter((e) => /^[0-9]+$/.test(e))
    .map(Number);
}

function parentOf(pid: number): number | null {
  try {
    // The command name (field 2) may hold spaces and parentheses; fields after the last ')' are plain.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(ppid) ? ppid : null;
  } catch {
    return null;
  }
}

/** This process and its ancestors: `down` run from inside the lab's laptop must not kill its own caller. */
function ownLineage(): Set<number> {
  const lineage = new Set<number>();
  for (let pid: number | null = process.pid; pid !== null && pid > 1 && !lineage.has(pid); pid = parentOf(pid)) lineage.add(pid);
  return lineage;
}

/** Live processes whose network namespace is one of `namespaces` (zombies have none, so they don't count). */
export function pidsInNamespaces(namespaces: readonly string[]): number[] {
  const wanted = new Set(namespaces.map((n) => nsIdentity(netnsPath(n))).filter((id): id is string => id !== null));
  if (wanted.size === 0) return [];
  const spare = ownLineage();
  return pids().filter((pid) => !spare.has(pid) && wanted.has(nsIdentity(`/proc/${pid}/ns/net`) ?? ''));
}

export function readPidFile(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Whether `pid` is a live `comm` process in namespace `netns`: a pid file alone can be stale or reused. */
export function isRunningIn(pid: number | null, netns: string, comm: string): boolean {
  if (pid === null) return false;
  try {
    if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== comm) return false;
  } catch {
    return false;
  }
  const ns = nsIdentity(netnsPath(netns));
  return ns !== null && nsIdentity(`/proc/${pid}/ns/net`) === ns;
}

function signal(pidList: readonly number[], sig: NodeJS.Signals): void {
  for (const pid of pidList) {
    try {
      process.kill(pid, sig);
    } catch {
      // Already gone.
    }
  }
}

/** Set in the environment of a lab daemon whose command line cannot name the lab's folder (avahi-daemon). */
export const LAB_DIR_ENV = 'DCOD_LAB_DIR';

/** Whether a daemon was started for the lab in `dir`: its command line names a file there, or its environment says so. */
function isLabDaemon(pid: number, dir: string): boolean {
  if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`${dir}/`)) return true;
  return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`${LAB_DIR_ENV}=${dir}`);
}

/**
 * The lab's daemons (sshd, dnsmasq, avahi-daemon, started for `dir`) that run in none of `namespaces`:
 * a namespace deleted by hand under a running daemon leaves it orphaned, and only its command line or
 * environment still says whose it is.
 */
export function orphanDaemons(dir: string, namespaces: readonly string[]): number[] {
  const homes = new Set(namespaces.map((n) => nsIdentity(netnsPath(n))));
  return pids().filter((pid) => {
    try {
      if (!['sshd', 'dnsmasq', 'avahi-daemon'].includes(readFileSync(`/proc/${pid}/comm`, 'utf8').trim())) return false;
      if (!isLabDaemon(pid, dir)) return false;
    } catch {
      return false;
    }
    return !homes.has(nsIdentity(`/proc/${pid}/ns/net`));
  });
}

/**
 * Ends the processes `find` returns: SIGTERM, then SIGKILL for whatever is left after a grace period.
 * Finds again between rounds because a dying sshd session or simulator can have started children.
 */
export async function endProcesses(find: () => number[], graceMs = 1500): Promise<void> {
  for (const sig of ['SIGTERM', 'SIGKILL', 'SIGKILL'] as const) {
    let left = find();
    if (left.length === 0) return;
    signal(left, sig);
    for (const deadline = Date.now() + graceMs; left.length > 0 && Date.now() < deadline; left = find()) {
      await sleep(20);
    }
    if (left.length === 0) return;
  }
  throw new DcodError('INVALID_STATE', `processes ${find().join(', ')} survived SIGKILL`);
}

/** Kills the namespaces' processes, then deletes the namespaces with one `ip -batch`. */
export async function removeNamespaces(namespaces: readonly string[]): Promise<void> {
  if (namespaces.length === 0) return;
  await endProcesses(() => pidsInNamespaces(namespaces));
  // Only the ones still there: the simulator may have deleted a guest of its own meanwhile.
  const present = new Set(readdirSafe());
  const left = namespaces.filter((n) => present.has(n));
  if (left.length > 0) await run(['ip', '-force', '-batch', '-'], { input: netnsDelScript(left) });
}
