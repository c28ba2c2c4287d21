/**
 * The running lab, for e2e tests: they run inside its laptop namespace (`npm test` puts them there) and
 * reach its hosts over the lab LAN with the real OpenSSH client. The lab is `$DCOD_LAB`, or `dcod`.
 */
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { DcodError } from '../../src/errors';
import { labStatus, readLabInfo, type LabHost, type LabInfo } from '../lab/lab';
import { netnsPath } from '../lab/netns';
import { DEFAULT_LAB, labPaths } from '../lab/plan';
import { run, type RunResult } from '../lab/run';

export type { LabHost, LabInfo } from '../lab/lab';
export type { RunResult } from '../lab/run';

export function currentLabName(): string {
  return process.env.DCOD_LAB ?? DEFAULT_LAB;
}

/** lab.json of the current lab; throws if the lab is not up. */
export function currentLab(): LabInfo {
  const name = currentLabName();
  const info = readLabInfo(name);
  if (!info) throw new DcodError('INVALID_STATE', `lab ${name} is not up: run the e2e tests with \`npm test\`, which brings it up`);
  return info;
}

export interface SshOptions {
  /** Written to the remote command's stdin. */
  readonly input?: string;
  readonly timeoutMs?: number;
  readonly lab?: LabInfo;
}

function findHost(lab: LabInfo, host: string | LabHost): LabHost {
  if (typeof host !== 'string') return host;
  const found = lab.hosts.find((h) => h.name === host || h.address === host);
  if (!found) throw new DcodError('NOT_FOUND', `lab ${lab.name} has no host ${host} (it has ${lab.hosts.map((h) => h.name).join(', ')})`);
  return found;
}

/** The OpenSSH client's argv for one command on a lab host, with the lab key and its pinned host keys. */
export function sshArgv(lab: LabInfo, host: string | LabHost, command: string): string[] {
  const h = findHost(lab, host);
  return [
    'ssh',
    '-F', '/dev/null',
    '-i', lab.keyPath,
    '-o', `UserKnownHostsFile=${labPaths(lab.dir).knownHosts}`,
    '-o', 'StrictHostKeyChecking=yes',
    '-o', 'BatchMode=yes',
    '-o', 'ConnectTimeout=5',
    '-o', 'LogLevel=ERROR',
    '-p', String(h.port),
    `${lab.user}@${h.address}`,
    '--',
    command,
  ];
}

/** Runs `command` on a lab host (by name, address or entry) over real SSH; resolves whatever it exits with. */
export function sshHost(host: string | LabHost, command: string, opts: SshOptions = {}): Promise<RunResult> {
  const lab = opts.lab ?? currentLab();
  return run(sshArgv(lab, host, command), { allowFailure: true, input: opts.input, timeoutMs: opts.timeoutMs ?? 60_000 });
}

/** Runs argv inside a namespace with `ip netns exec`; resolves whatever it exits with. */
export function inNetns(netns: string, argv: readonly string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return run(['ip', 'netns', 'exec', netns, ...argv], { allowFailure: true, input: opts.input, timeoutMs: opts.timeoutMs ?? 60_000 });
}

/**
 * The command lines of the processes in one namespace. `ps` inside a namespace would list the whole
 * machine (the pid namespace is shared), and other labs run alongside: asserting on it mixes them up.
 */
export async function processesIn(netns: string): Promise<{ readonly pid: number; readonly args: string }[]> {
  const pids = (await run(['ip', 'netns', 'pids', netns], { allowFailure: true })).stdout.split('\n').filter(Boolean);
  const found = await Promise.all(pids.map(async (pid) => ({ pid: Number(pid), args: (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replaceAll('\0', ' ').trim() })));
  return found.filter((p) => p.args !== ''); // gone meanwhile
}

/** Whether this process's network namespace is the lab's laptop. */
export function isInLaptop(lab: LabInfo): boolean {
  try {
    return statSync('/proc/self/ns/net').ino === statSync(netnsPath(lab.laptop.netns)).ino;
  } catch {
    return false;
  }
}

/** Throws, saying what to do, unless the lab is up and this process runs in its laptop. */
export function assertInsideLab(): LabInfo {
  const name = currentLabName();
  const how = 'run the e2e tests with `npm test`, which brings the lab up and starts vitest inside its laptop';
  const status = labStatus(name);
  if (!status.info || !status.up) {
    throw new DcodError('INVALID_STATE', `lab ${name} is not up (${status.problems.join('; ')}): ${how}`);
  }
  if (!isInLaptop(status.info)) {
    throw new DcodError('INVALID_STATE', `this process is not inside ${status.info.laptop.netns}, so the lab's hosts are unreachable: ${how}`);
  }
  return status.info;
}
