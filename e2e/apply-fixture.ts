/**
 * The document the apply e2e tests and bench/apply build: 3 hosts, 12 empty VMs (4 per host), 4 switches
 * (each VM has NICs on two of them), 4 volumes (on the first 4 VMs).
 */
import { execFileSync } from 'node:child_process';
import { expect } from 'vitest';
import type { DatacenterInput } from '../src/model/document';
import type { CliResult } from './support/cli';
import { currentLab, sshHost } from './support/lab';

export const APPLY_HOSTS = ['h1', 'h2', 'h3'] as const;

export function threeHostDocument(name: string): DatacenterInput {
  const vms = Array.from({ length: 12 }, (_, i) => ({
    name: `vm${i + 1}`,
    memoryMb: 128,
    nics: [{ switch: `sw${(i % 4) + 1}` }, { switch: `sw${((i + 1) % 4) + 1}` }],
    ...(i < 4 ? { volumes: [`vol${i + 1}`] } : {}),
  }));
  return {
    apiVersion: 'dcod.dev/v1',
    kind: 'Datacenter',
    metadata: { name },
    switches: [1, 2, 3, 4].map((n) => ({ name: `sw${n}`, vni: 5000 + n })),
    vms,
    volumes: [1, 2, 3, 4].map((n) => ({ name: `vol${n}`, sizeMb: 64 })),
    placement: Object.fromEntries(vms.map((v, i) => [v.name, APPLY_HOSTS[i % APPLY_HOSTS.length]!])),
  };
}

/**
 * Removes from a lab host whatever datacenter `dc` left there — VMs in its VirtualBox group (a VM cut off
 * half-made by a killed apply has the group but not yet its tags, so `destroy` can't see it) and the
 * files an apply writes (volume folder, moved VMs' exports, VirtualBox's group folder).
 */
export async function removeLeftovers(host: string, dc: string): Promise<void> {
  const script = [
    'for u in $(VBoxManage list vms | sed -n "s/.*{\\(.*\\)}$/\\1/p"); do',
    `  if VBoxManage showvminfo "$u" --machinereadable | grep -q '^groups="/dcod/${dc}"'; then`,
    '    VBoxManage controlvm "$u" poweroff >/dev/null 2>&1; VBoxManage unregistervm "$u" --delete >/dev/null 2>&1',
    '  fi',
    'done',
    `cd "$HOME/VirtualBox VMs" 2>/dev/null && rm -rf dcod-${dc} dcod-${dc}-*.ova dcod/${dc}`,
    'true',
  ].join('\n');
  const r = await sshHost(host, 'sh -s', { input: script });
  if (r.code !== 0) throw new Error(`cleaning ${host} failed: ${r.stderr}`);
}

/** Adds lab hosts to a `dcod`'s inventory by the lab's key. */
export async function addLabHosts(dcod: (...args: string[]) => Promise<CliResult>, names: readonly string[]): Promise<void> {
  const lab = currentLab();
  for (const name of names) {
    const h = lab.hosts.find((x) => x.name === name)!;
    const r = await dcod('hosts', 'add', h.name, h.address, '--user', lab.user, '--key', lab.keyPath);
    expect(r.code, r.stderr).toBe(0);
  }
}

/** Names in `VBoxManage list vms|runningvms` on a lab host. */
export async function vboxList(host: string, what: 'vms' | 'runningvms'): Promise<string[]> {
  const r = await sshHost(host, `VBoxManage list ${what}`);
  expect(r.code, r.stderr).toBe(0);
  return [...r.stdout.matchAll(/^"(.*)" \{[0-9a-f-]+\}$/gm)].map((m) => m[1]!).sort();
}

/** Running guests of a lab host: the simulator's network namespaces `<lab>-<host>-<id>`. */
export function guestNamespaces(host: string): string[] {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter((n) => n.startsWith(`${currentLab().name}-${host}-`));
}
