/**
 * The real `dcod` CLI for e2e tests, run as a separate process with its own inventory and known_hosts in
 * a test's temp folder, exactly as a person would run it.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

const pexec = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
/**
 * A CLI call that runs longer is killed and reported as failed (code -1), so a hung command fails its test
 * instead of stalling the run; a cleanup hook that ignores the result then still ends within its timeout.
 */
const CLI_TIMEOUT_MS = 170_000;

export interface CliResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

function argv(dir: string, args: readonly string[]): string[] {
  return [path.join(ROOT, 'bin/dcod.mjs'), '--inventory', path.join(dir, 'inventory.yaml'), '--known-hosts', path.join(dir, 'known_hosts'), ...args];
}

/** A `dcod` bound to the config in `dir`; resolves whatever it exits with. */
export function dcodIn(dir: () => string): (...args: string[]) => Promise<CliResult> {
  return async (...args) => {
    try {
      const { stdout, stderr } = await pexec(process.execPath, argv(dir(), args), { cwd: ROOT, maxBuffer: 64 << 20, timeout: CLI_TIMEOUT_MS, killSignal: 'SIGKILL' });
      return { stdout, stderr, code: 0 };
    } catch (err) {
      const e = err as { stdout: string; stderr: string; code: number | null; killed?: boolean };
      if (e.killed) return { stdout: e.stdout, stderr: `${e.stderr}\n(killed: dcod ${args.join(' ')} ran over ${CLI_TIMEOUT_MS} ms)`, code: -1 };
      return { stdout: e.stdout, stderr: e.stderr, code: e.code ?? -1 };
    }
  };
}

/** The same, started and left running, for a test that acts while it works (and may kill it). */
export function spawnDcod(dir: string, args: readonly string[]): ChildProcess {
  return spawn(process.execPath, argv(dir, args), { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
}
