/**
 * Faults injected into a running lab host, each with its undo: the host's sshd killed (with its sessions),
 * its LAN link cut, a share of its SSH packets dropped, its VBoxManage made to fail or to hang, or one of its running
 * VMs killed (an overlay proxy among them when the datacenter has one). Everything acts on the lab's own
 * namespaces and processes only.
 *
 * Delay (netem) is not offered: the CI kernel has no sch_netem. Loss is done with nftables instead.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { restartSshd } from '../lab/lab';
import type { LabHost, LabInfo } from './lab';

export const FAULT_KINDS = ['sshd-kill', 'link-down', 'packet-loss', 'vboxmanage-fails', 'vboxmanage-hangs', 'vm-killed'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** The kinds a suite draws from: `DCOD_FAULT_KINDS=vm-killed,link-down` narrows `all` (to replay or study one); a kind not in `all` is refused. */
export function faultKindsFromEnv<K extends FaultKind>(all: readonly K[]): K[] {
  const named = process.env.DCOD_FAULT_KINDS?.split(',').map((k) => k.trim());
  if (!named) return [...all];
  const unknown = named.filter((k) => !(all as readonly string[]).includes(k));
  if (unknown.length) throw new Error(`DCOD_FAULT_KINDS: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not one of ${all.join(', ')}`);
  return named as K[];
}

export interface Fault {
  readonly kind: FaultKind;
  readonly host: string;
  /** Undoes it; safe to call twice. */
  clear(): Promise<void>;
}

function sh(argv: readonly string[]): string {
  return execFileSync(argv[0]!, argv.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function labHost(lab: LabInfo, name: string): LabHost {
  const h = lab.hosts.find((x) => x.name === name);
  if (!h) throw new Error(`lab ${lab.name} has no host ${name}`);
  return h;
}

const sshdPid = (lab: LabInfo, host: string): number => Number(readFileSync(path.join(lab.dir, 'hosts', host, 'sshd.pid'), 'utf8').trim());

/** The host's sshd and every session of it, killed as a crash would end them; cleared by starting it again. */
function killSshd(lab: LabInfo, host: string): Fault {
  const h = labHost(lab, host);
  const pids = sh(['ip', 'netns', 'pids', h.netns]).split('\n').filter(Boolean);
  const sshd = pids.filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'sshd';
    } catch {
      return false;
    }
  });
  for (const pid of sshd) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return {
    kind: 'sshd-kill',
    host,
    clear: () => restartSshd(lab, host),
  };
}

/** The host's cable pulled: its LAN NIC down. */
function linkDown(lab: LabInfo, host: string): Fault {
  const h = labHost(lab, host);
  sh(['ip', '-n', h.netns, 'link', 'set', 'eno1', 'down']);
  return { kind: 'link-down', host, clear: async () => void sh(['ip', '-n', h.netns, 'link', 'set', 'eno1', 'up']) };
}

const NFT_TABLE = 'dcodfault';

/** `percent` of the packets reaching the host's sshd dropped. */
function packetLoss(lab: LabInfo, host: string, percent: number): Fault {
  const h = labHost(lab, host);
  execFileSync('ip', ['netns', 'exec', h.netns, 'nft', '-f', '-'], {
    input: `table inet ${NFT_TABLE} {\n chain in {\n  type filter hook input priority 0;\n  tcp dport 22 numgen random mod 100 < ${percent} drop\n }\n}\n`,
  });
  return {
    kind: 'packet-loss',
    host,
    clear: async () => {
      execFileSync('ip', ['netns', 'exec', h.netns, 'nft', 'delete', 'table', 'inet', NFT_TABLE], { stdio: 'ignore' });
    },
  };
}

/**
 * The host's VBoxManage replaced, for that host only, by `script`: a bind mount in the mount namespace of
 * that host's sshd (the lab gives each a private one), which every session it starts inherits. Other
 * hosts share the wrapper file and are untouched. Cleared by unmounting (`undo` runs first).
 */
function replaceVBoxManage(lab: LabInfo, host: string, kind: FaultKind, script: string, undo: () => Promise<void> = async () => undefined): Fault {
  const replacement = path.join(lab.dir, 'hosts', host, `VBoxManage.${kind}`);
  writeFileSync(replacement, script, { mode: 0o755 });
  const mnt = `--mount=/proc/${sshdPid(lab, host)}/ns/mnt`;
  const target = path.join(lab.dir, 'bin', 'VBoxManage');
  sh(['nsenter', mnt, '--', 'mount', '--bind', replacement, target]);
  return {
    kind,
    host,
    clear: async () => {
      await undo();
      try {
        // Lazy: a call that read the replacement a moment ago may still hold it open.
        sh(['nsenter', mnt, '--', 'umount', '--lazy', target]);
      } catch {
        // sshd restarted since: its new namespace never had the mount
      }
    },
  };
}

const VBOX_E_FAIL = 'echo "VBoxManage: error: Details: code E_FAIL (0x80004005), component VirtualBoxWrap, interface IVirtualBox" >&2\nexit 1\n';

/** Every VBoxManage call on the host fails as VirtualBox does when its service is gone (E_FAIL). */
function vboxFails(lab: LabInfo, host: string): Fault {
  return replaceVBoxManage(lab, host, 'vboxmanage-fails', `#!/bin/sh\necho "VBoxManage: error: Injected fault: the VirtualBox service is not answering" >&2\n${VBOX_E_FAIL}`);
}

/**
 * Every VBoxManage call on the host blocks, silent, as one does on a wedged VBoxSVC, until the fault is
 * cleared; then each blocked call fails (E_FAIL), so nothing it was asked to do happens late. Clearing
 * gives the blocked calls time to see that.
 */
function vboxHangs(lab: LabInfo, host: string): Fault {
  const flag = path.join(lab.dir, 'hosts', host, 'VBoxManage.hang-flag');
  writeFileSync(flag, '');
  const script = `#!/bin/sh\nwhile [ -e '${flag}' ]; do sleep 0.2; done\necho "VBoxManage: error: Injected fault: the VirtualBox service hung" >&2\n${VBOX_E_FAIL}`;
  return replaceVBoxManage(lab, host, 'vboxmanage-hangs', script, async () => {
    rmSync(flag, { force: true });
    await new Promise((r) => setTimeout(r, 500)); // each blocked call looks at the flag every 0.2 s
  });
}

/**
 * One running VM of the host dies, as a crashed VM process would: the simulator's guest namespace (its
 * `pick`-th, in name order) and every process in it go; VirtualBox then reports the VM aborted. Nothing to
 * clear: bringing it back is the next apply's job.
 */
function vmKilled(lab: LabInfo, host: string, pick: number): Fault {
  const guests = sh(['ip', 'netns', 'list']).split('\n').map((l) => l.split(' ')[0]!).filter((n) => n.startsWith(`${lab.name}-${host}-`)).sort();
  const victim = guests[pick % Math.max(guests.length, 1)];
  if (victim) {
    for (const pid of sh(['ip', 'netns', 'pids', victim]).split('\n').filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // already gone
      }
    }
    sh(['ip', 'netns', 'del', victim]);
  }
  return { kind: 'vm-killed', host, clear: async () => undefined };
}

export function injectFault(lab: LabInfo, kind: FaultKind, host: string, pick = 0): Fault {
  switch (kind) {
    case 'sshd-kill':
      return killSshd(lab, host);
    case 'link-down':
      return linkDown(lab, host);
    case 'packet-loss':
      return packetLoss(lab, host, 30);
    case 'vboxmanage-fails':
      return vboxFails(lab, host);
    case 'vboxmanage-hangs':
      return vboxHangs(lab, host);
    case 'vm-killed':
      return vmKilled(lab, host, pick);
  }
}
