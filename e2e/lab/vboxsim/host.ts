// The host facts VirtualBox reports (`list hostinfo`, `list bridgedifs`), read from the Linux
// namespace the simulator runs in. Devices the simulator itself made for guests are left out: a real
// VirtualBox host has no such devices.
import fs from 'node:fs';
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import type { HostInfo, HostInterface } from './list';

export interface HostProbe {
  /** `list bridgedifs`: Ethernet-type interfaces, the default-route one first. */
  bridgedInterfaces(): HostInterface[];
  hostInfo(runningMemoryMB: number): HostInfo;
}

/** Names the simulator gives the host-side devices it creates (see runtime/links.ts). */
export function isSimDevice(name: string): boolean {
  return /^in-[0-9a-f]{8}$/.test(name) || /^vb[0-9a-f]{8}n[0-9]+$/.test(name);
}

interface IpAddrJson {
  ifname: string;
  flags: string[];
  link_type: string;
  address?: string;
  addr_info?: { family: string; local: string; prefixlen: number }[];
}

function maskOf(prefix: number): string {
  const n = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

function defaultRouteIf(): string {
  try {
    for (const line of fs.readFileSync('/proc/net/route', 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length >= 8 && f[1] === '00000000' && f[7] === '00000000' && (parseInt(f[3] ?? '0', 16) & 1)) return f[0] ?? '';
    }
  } catch {
    // No route table: no preferred interface.
  }
  return '';
}

export function linuxHost(config: { cpus: number; memoryMB: number }): HostProbe {
  return {
    bridgedInterfaces() {
      const links = JSON.parse(execFileSync('ip', ['-j', 'addr', 'show'], { encoding: 'utf8' })) as IpAddrJson[];
      const ifs: HostInterface[] = links
        .filter((l) => l.link_type === 'ether' && !isSimDevice(l.ifname) && !l.ifname.startsWith('vboxnet'))
        .map((l) => {
          const v4 = (l.addr_info ?? []).find((a) => a.family === 'inet');
          const v6 = (l.addr_info ?? []).filter((a) => a.family === 'inet6').at(-1);
          return {
            name: l.ifname,
            mac: l.address ?? '00:00:00:00:00:00',
            up: l.flags.includes('UP'),
            ipv4: v4?.local ?? '0.0.0.0',
            netmask: v4 ? maskOf(v4.prefixlen) : '0.0.0.0',
            ipv6: v6?.local ?? '',
            ipv6Prefix: v6?.prefixlen ?? 0,
            wireless: fs.existsSync(`/sys/class/net/${l.ifname}/wireless`),
          };
        });
      const def = defaultRouteIf();
      const first = ifs.filter((i) => i.name === def);
      return [...first, ...ifs.filter((i) => i.name !== def)];
    },
    hostInfo(runningMemoryMB) {
      const cpu = os.cpus()[0];
      let amd = false;
      try {
        amd = /AuthenticAMD/.test(fs.readFileSync('/proc/cpuinfo', 'utf8'));
      } catch {
        // Keep the Intel profile.
      }
      return {
        timeMs: Date.now(),
        cpus: config.cpus,
        cpuDescription: cpu?.model ?? 'Unknown',
        cpuSpeed: 0,
        memoryMB: config.memoryMB,
        memoryAvailableMB: Math.max(0, config.memoryMB - 1024 - runningMemoryMB),
        osName: 'Linux',
        osVersion: os.release(),
        // What VirtualBox reports on a VT-x (Intel) or AMD-V host with nested paging.
        features: [true, true, true, true, !amd, true, amd],
      };
    },
  };
}
