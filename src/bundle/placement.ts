/**
 * Where an imported datacenter's VMs go: pure functions of the VMs and what each host has free. VMs are
 * placed largest first (memory, then CPUs) on the host with the most free memory that fits them and holds
 * none of the VMs they must be kept apart from — the usual first-fit-decreasing, good enough for a desk's
 * worth of hosts and stable for the same inputs.
 */
import type { Vm } from '../model/document';

export interface HostRoom {
  readonly host: string;
  readonly cpus: number;
  readonly memoryMb: number;
  /** Free disk where VMs go, when known. */
  readonly diskMb?: number;
}

export interface PlacementNeed {
  readonly vm: Pick<Vm, 'name' | 'cpus' | 'memoryMb' | 'apartFrom'>;
  readonly diskMb: number;
}

export interface PlacementResult {
  readonly placement: Readonly<Record<string, string>>;
  /** VMs that fit nowhere, with why. */
  readonly unplaced: readonly { readonly vm: string; readonly reason: string }[];
}

/** CPUs may be shared (VirtualBox overcommits them) up to this many virtual per host CPU. */
export const CPU_OVERCOMMIT = 4;

export function placeVms(needs: readonly PlacementNeed[], hosts: readonly HostRoom[]): PlacementResult {
  const free = new Map(hosts.map((h) => [h.host, { cpus: h.cpus * CPU_OVERCOMMIT, memoryMb: h.memoryMb, diskMb: h.diskMb ?? Number.POSITIVE_INFINITY }]));
  const placement: Record<string, string> = {};
  const unplaced: { vm: string; reason: string }[] = [];
  const apart = (a: string, b: string) =>
    needs.some((n) => (n.vm.name === a && n.vm.apartFrom.includes(b)) || (n.vm.name === b && n.vm.apartFrom.includes(a)));
  const order = [...needs].sort((a, b) => b.vm.memoryMb - a.vm.memoryMb || b.vm.cpus - a.vm.cpus || b.diskMb - a.diskMb || a.vm.name.localeCompare(b.vm.name));
  for (const n of order) {
    const fits = hosts
      .map((h) => ({ host: h.host, room: free.get(h.host)! }))
      .filter(({ room }) => room.memoryMb >= n.vm.memoryMb && room.cpus >= n.vm.cpus && room.diskMb >= n.diskMb);
    const allowed = fits.filter(({ host }) => !Object.entries(placement).some(([other, h]) => h === host && apart(n.vm.name, other)));
    const best = allowed.sort((a, b) => b.room.memoryMb - a.room.memoryMb || a.host.localeCompare(b.host))[0];
    if (!best) {
      unplaced.push({ vm: n.vm.name, reason: fits.length ? `it must be kept apart from ${n.vm.apartFrom.join(', ')}, and every host with room holds one of them` : `no host has ${n.vm.memoryMb} MB, ${n.vm.cpus} CPU and ${n.diskMb} MB of disk free` });
      continue;
    }
    placement[n.vm.name] = best.host;
    best.room.memoryMb -= n.vm.memoryMb;
    best.room.cpus -= n.vm.cpus;
    best.room.diskMb -= n.diskMb;
  }
  return { placement, unplaced };
}

/**
 * VNIs kept unless a target host already uses them (another datacenter's `dcod-vni-N`); a clashing one
 * gets the lowest VNI above it that is free everywhere and not in the document.
 */
export function remapVnis(vnis: readonly number[], inUse: ReadonlySet<number>): Map<number, number> {
  const taken = new Set([...inUse, ...vnis]);
  const remap = new Map<number, number>();
  for (const vni of vnis) {
    if (!inUse.has(vni)) continue;
    let next = vni + 1;
    while (taken.has(next)) next++;
    taken.add(next);
    remap.set(vni, next);
  }
  return remap;
}
