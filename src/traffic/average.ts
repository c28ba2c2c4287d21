/**
 * The mean of a run of snapshots, for `dcod traffic --seconds S`: one figure per switch, host and NIC
 * over the whole window, steadier than any single second. A figure is averaged over the snapshots that
 * had it, so a host that joined late is not diluted by seconds it wasn't sampled.
 */
import type { HostVniRates, NicRates, TrafficSnapshot, VniRates } from './snapshot';

export interface TrafficAverage {
  readonly datacenter: string;
  /** Epoch ms of the first and last snapshot averaged. */
  readonly from: number;
  readonly to: number;
  readonly samples: number;
  readonly vnis: readonly Omit<VniRates, 'topTalkers'>[];
  readonly nics: readonly NicRates[];
}

/** Averages the numeric fields of records that share a key; other fields come from the first. */
function meanBy<T extends object>(items: readonly T[], key: (t: T) => string): T[] {
  const groups = new Map<string, T[]>();
  for (const it of items) (groups.get(key(it)) ?? groups.set(key(it), []).get(key(it))!).push(it);
  return [...groups.values()].map((g) => {
    const out = { ...g[0]! } as Record<string, unknown>;
    for (const field of Object.keys(out)) {
      if (typeof out[field] !== 'number') continue;
      const values = g.map((x) => (x as Record<string, unknown>)[field]).filter((v): v is number => typeof v === 'number');
      if (field !== 'vni' && field !== 'slot') out[field] = values.reduce((a, v) => a + v, 0) / values.length;
    }
    return out as T;
  });
}

export function averageSnapshots(snapshots: readonly TrafficSnapshot[]): TrafficAverage | undefined {
  const first = snapshots[0];
  const last = snapshots.at(-1);
  if (!first || !last) return undefined;
  const vnis = meanBy(snapshots.flatMap((s) => s.vnis.map(({ topTalkers: _t, hosts: _h, ...v }) => v)), (v) => String(v.vni));
  const hosts = meanBy(snapshots.flatMap((s) => s.vnis.flatMap((v) => v.hosts.map((h) => ({ ...h, vni: v.vni })))), (h) => `${h.vni}/${h.host}`);
  return {
    datacenter: first.datacenter,
    from: first.time,
    to: last.time,
    samples: snapshots.length,
    vnis: vnis.sort((a, b) => a.vni - b.vni).map((v) => ({ ...v, hosts: hosts.filter((h) => h.vni === v.vni).map(({ vni: _v, ...h }): HostVniRates => h) })),
    nics: meanBy(snapshots.flatMap((s) => s.nics), (n) => `${n.vm}/${n.slot}`),
  };
}
