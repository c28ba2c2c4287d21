/**
 * What the snapshot and export e2e tests share: running the real `dcod` CLI with a test's own inventory
 * (optionally inside another lab's laptop), and the datacenter they build — 2 switches with DHCP, a router
 * between them, 5 VMs on 3 hosts, one volume.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { DatacenterInput } from '../src/model/document';

const pexec = promisify(execFile);
export const ROOT = path.resolve(import.meta.dirname, '..');

export interface CliResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

/** `dcod --inventory <dir>/inventory.yaml --known-hosts <dir>/known_hosts …`, in `netns` when given. */
export async function dcodIn(dir: string, args: readonly string[], opts: { netns?: string } = {}): Promise<CliResult> {
  const cli = [process.execPath, path.join(ROOT, 'bin/dcod.mjs'), '--inventory', path.join(dir, 'inventory.yaml'), '--known-hosts', path.join(dir, 'known_hosts'), ...args];
  const [file, ...argv] = opts.netns ? ['nsenter', `--net=/run/netns/${opts.netns}`, '--', ...cli] : cli;
  try {
    const { stdout, stderr } = await pexec(file!, argv, { cwd: ROOT, maxBuffer: 64 << 20, timeout: 600_000 });
    return { stdout, stderr, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: typeof e.code === 'number' ? e.code : 1 };
  }
}

export const FIXTURE_HOSTS = ['h1', 'h2', 'h3'] as const;

export function fiveVmDocument(name: string, vniBase: number): DatacenterInput {
  const vms = [
    { name: 'web1', nics: [{ switch: 'front' }], volumes: ['data'] },
    { name: 'web2', nics: [{ switch: 'front' }] },
    { name: 'app1', nics: [{ switch: 'front' }, { switch: 'back' }] },
    { name: 'db1', nics: [{ switch: 'back' }] },
    { name: 'db2', nics: [{ switch: 'back' }] },
  ].map((v) => ({ ...v, memoryMb: 64 }));
  return {
    apiVersion: 'dcod.dev/v1',
    kind: 'Datacenter',
    metadata: { name },
    switches: [
      { name: 'front', vni: vniBase + 1, subnet: '10.91.1.0/24', dhcp: true },
      { name: 'back', vni: vniBase + 2, subnet: '10.91.2.0/24', dhcp: true },
    ],
    routers: [{ name: 'gw', interfaces: [{ switch: 'front', address: '10.91.1.1' }, { switch: 'back', address: '10.91.2.1' }] }],
    vms,
    volumes: [{ name: 'data', sizeMb: 16 }],
    placement: { web1: 'h1', web2: 'h2', app1: 'h1', db1: 'h2', db2: 'h3' },
  };
}
