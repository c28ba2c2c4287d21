// Running VMs as Linux network namespaces: one namespace per VM (named from the lab's prefix and
// the VM's UUID), one veth pair per enabled adapter with the guest end `nic<N>` carrying the VM's
// MAC address, the host end plugged into the right bridge: the host's LAN bridge for "bridged",
// a per-network bridge for "intnet", nothing for the rest. The guest's programs (DHCP clients, the
// proxy appliance's boot) run inside the namespace, so removing it and killing its pids is a
// complete power-off.
// WARNING: this creates and deletes namespaces and devices. It refuses to touch anything when
// running in the machine's root network namespace.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SimConfig } from '../config';
import { guestDmi, isProxyAppliance, writeGuestDmi } from '../dmi';
import { maxNics, type Machine, type Nic, type RunningVm } from '../machine';
import { netnsName, type NicCounters, type VmRuntime } from './runtime';
import { guestDir, udhcpcArgv } from './guest';

/** Host-side veth of NIC `slot`: "vb" + 8 hex of the UUID + "n" + slot (at most 13 characters). */
export function hostIfName(uuid: string, slot: number): string {
  return `vb${uuid.replace(/-/g, '').slice(0, 8)}n${slot}`;
}

/** The bridge standing in for VirtualBox internal network `name` on this host. */
export function intnetBridge(name: string): string {
  return `in-${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
}

function ip(args: string[], input?: string): string {
  const r = spawnSync('ip', args, { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vboxsim: ip ${args.join(' ')} failed: ${r.stderr.trim()}`);
  return r.stdout;
}

function ipBatch(lines: string[]): void {
  if (lines.length) ip(['-batch', '-'], `${lines.join('\n')}\n`);
}

/**
 * Whether devices may be made here: only in a lab host's namespace (it has the LAN bridge) and
 * never in the machine's root namespace (when that can be checked: an SSH session may not be
 * allowed to look at pid 1).
 */
function safeNetns(lanBridge: string): boolean {
  if (!fs.existsSync(`/sys/class/net/${lanBridge}`)) return false;
  try {
    return fs.statSync('/proc/self/ns/net').ino !== fs.statSync('/proc/1/ns/net').ino;
  } catch {
    return true;
  }
}

function linkExists(name: string): boolean {
  return fs.existsSync(`/sys/class/net/${name}`);
}

/** Bridges this simulator made that no port uses any more. */
function removeUnusedIntnetBridges(): void {
  for (const name of fs.readdirSync('/sys/class/net')) {
    if (!/^in-[0-9a-f]{8}$/.test(name)) continue;
    if (fs.readdirSync(`/sys/class/net/${name}/brif`).length === 0) spawnSync('ip', ['link', 'del', name]);
  }
}

function macWithColons(mac: string): string {
  return mac.toLowerCase().replace(/(..)(?!$)/g, '$1:');
}

export function namespaceRuntime(config: SimConfig): VmRuntime {
  const rootNs = (args: string[]) => execFileSync('nsenter', [`--mount=${config.rootMountNs}`, '--', 'ip', 'netns', ...args], { stdio: 'pipe' });
  const guard = () => {
    if (!safeNetns(config.lanBridge))
      throw new Error(`vboxsim: refusing to create VM devices outside a lab host namespace (no ${config.lanBridge}, or the root namespace)`);
  };
  /** The bridge a NIC's host end belongs in, '' for none; whether its link is up. */
  const wiring = (nic: Nic): { bridge: string; up: boolean } => {
    if (!nic.cable || nic.attachment === 'null') return { bridge: '', up: false };
    if (nic.attachment === 'intnet') return { bridge: intnetBridge(nic.intnet), up: true };
    if (nic.attachment === 'bridged') return { bridge: config.lanBridge, up: true };
    return { bridge: '', up: true };
  };

  const wire = (m: Machine, slot: number): { slot: number; hostIf: string; bridge: string } => {
    const nic = m.nics[slot - 1] as Nic;
    const hostIf = hostIfName(m.uuid, slot);
    const w = wiring(nic);
    const lines: string[] = [];
    if (w.bridge.startsWith('in-') && !linkExists(w.bridge)) lines.push(`link add name ${w.bridge} type bridge`, `link set ${w.bridge} up`);
    lines.push(w.bridge ? `link set ${hostIf} master ${w.bridge}` : `link set ${hostIf} nomaster`);
    lines.push(`link set ${hostIf} ${w.up ? 'up' : 'down'}`);
    ipBatch(lines);
    return { slot, hostIf, bridge: w.bridge };
  };

  const killAll = (ns: string) => {
    const pids = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }).stdout.split(/\s+/).filter(Boolean).map(Number);
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  };

  const startProgram = (ns: string, argv: string[], env: NodeJS.ProcessEnv, log: string): number => {
    const fd = fs.openSync(log, 'a');
    const child = spawn('ip', ['netns', 'exec', ns, ...argv], { detached: true, stdio: ['ignore', fd, fd], env });
    child.unref();
    fs.closeSync(fd);
    return child.pid ?? 0;
  };

  return {
    start(m) {
      guard();
      const ns = netnsName(config.netnsPrefix, m.uuid);
      // A namespace left over from a crashed simulator would block the name: clear it first.
      if (fs.existsSync(`/run/netns/${ns}`)) {
        killAll(ns);
        rootNs(['del', ns]);
      }
      rootNs(['add', ns]);
      const slots: number[] = [];
      const lines: string[] = [];
      for (let slot = 1; slot <= maxNics(m); slot++) {
        const nic = m.nics[slot - 1] as Nic;
        if (!nic.enabled) continue;
        slots.push(slot);
        lines.push(`link add ${hostIfName(m.uuid, slot)} type veth peer name nic${slot} netns ${ns}`);
      }
      ipBatch(lines);
      // The guest's system brings its NICs up; the appliance's boot does it for its LAN NIC (nic1) itself.
      const appliance = isProxyAppliance(m.extradata);
      const guestLines = ['link set lo up', ...slots.flatMap((s) => [`link set nic${s} address ${macWithColons((m.nics[s - 1] as Nic).mac)}`, ...(appliance && s === 1 ? [] : [`link set nic${s} up`])])];
      ip(['-n', ns, '-batch', '-'], `${guestLines.join('\n')}\n`);
      const links = slots.map((s) => wire(m, s));
      const dir = guestDir(config, m.uuid);
      fs.mkdirSync(dir, { recursive: true });
      const log = path.join(dir, 'console.log');
      writeGuestDmi(path.join(dir, 'dmi'), guestDmi(m, config.version, config.revision));
      const env = { ...process.env, DCOD_SIM_VM: m.uuid };
      const pids: number[] = [];
      if (appliance) {
        // The appliance boots from its own disk: its boot program reads the firmware tables only.
        const r = spawnSync('ip', ['netns', 'exec', ns, process.execPath, process.argv[1] as string], {
          env: { ...env, DCOD_SIM_GUEST: 'proxy-boot' },
          encoding: 'utf8',
        });
        fs.appendFileSync(log, r.stdout + r.stderr);
      } else {
        for (const s of slots) pids.push(startProgram(ns, udhcpcArgv(config, m.uuid, `nic${s}`, true), env, log));
      }
      removeUnusedIntnetBridges();
      return { netns: ns, links, pids, startedAt: Date.now() } satisfies RunningVm;
    },

    stop(m) {
      guard();
      const ns = m.running?.netns ?? netnsName(config.netnsPrefix, m.uuid);
      if (fs.existsSync(`/run/netns/${ns}`)) {
        killAll(ns);
        rootNs(['del', ns]);
      }
      // Deleting the namespace destroyed the guest ends and with them the veth pairs.
      for (let slot = 1; slot <= 36; slot++) if (linkExists(hostIfName(m.uuid, slot))) spawnSync('ip', ['link', 'del', hostIfName(m.uuid, slot)]);
      removeUnusedIntnetBridges();
    },

    pause(m) {
      // A paused VM neither runs nor answers on the wire.
      for (const l of m.running?.links ?? []) spawnSync('ip', ['link', 'set', l.hostIf, 'down']);
      for (const pid of spawnSync('ip', ['netns', 'pids', m.running?.netns ?? ''], { encoding: 'utf8' }).stdout.split(/\s+/).filter(Boolean))
        spawnSync('kill', ['-STOP', pid]);
    },

    resume(m) {
      for (const pid of spawnSync('ip', ['netns', 'pids', m.running?.netns ?? ''], { encoding: 'utf8' }).stdout.split(/\s+/).filter(Boolean))
        spawnSync('kill', ['-CONT', pid]);
      for (const l of m.running?.links ?? []) wire(m, l.slot);
    },

    applyNic(m, slot) {
      guard();
      const run = m.running;
      if (!run) return;
      const link = wire(m, slot);
      run.links = [...run.links.filter((l) => l.slot !== slot), link].sort((a, b) => a.slot - b.slot);
      removeUnusedIntnetBridges();
      // The guest notices the new network the way a real one does after a cable change: its DHCP
      // client is told to renew at once.
      spawnSync('ip', ['netns', 'exec', run.netns, 'busybox', 'pkill', '-USR1', '-f', `udhcpc.*-i nic${slot}( |$)`]);
    },

    alive(m) {
      return m.running !== null && fs.existsSync(`/run/netns/${m.running.netns}`);
    },

    counters(m): NicCounters[] {
      const run = m.running;
      if (!run) return [];
      const links = JSON.parse(ip(['-n', run.netns, '-s', '-j', 'link', 'show'])) as {
        ifname: string;
        stats64?: { rx: { bytes: number; packets: number }; tx: { bytes: number; packets: number } };
      }[];
      return links.flatMap((l) => {
        const slot = /^nic([0-9]+)$/.exec(l.ifname)?.[1];
        if (!slot || !l.stats64) return [];
        return [{ slot: Number(slot), rxBytes: l.stats64.rx.bytes, txBytes: l.stats64.tx.bytes, rxPackets: l.stats64.rx.packets, txPackets: l.stats64.tx.packets }];
      });
    },
  };
}
