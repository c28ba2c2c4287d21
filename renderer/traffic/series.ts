/**
 * The points behind the traffic charts, in the renderer: per switch, a time column and per host a column
 * per figure, kept for the longest window (15 minutes). Pure functions over plain arrays; the store owns
 * the arrays and appends a snapshot's figures once a second (copying 900-point arrays every second for
 * every switch would be the expensive part, so appends mutate and the store bumps a version instead).
 */
import type { TrafficSnapshot, VniHistory } from '../../src/api/contract';

export const FIELDS = ['bytesIn', 'bytesOut', 'packetsIn', 'packetsOut', 'drops', 'errors'] as const;
export type Field = (typeof FIELDS)[number];
export type Column = (number | null)[];

export interface VniSeries {
  /** Epoch ms, oldest first. */
  readonly t: number[];
  /** Host → field → a value per time (per second), null where unknown. */
  readonly hosts: Map<string, Record<Field, Column>>;
}

export const MAX_WINDOW_S = 15 * 60;

function emptyColumns(length: number): Record<Field, Column> {
  return Object.fromEntries(FIELDS.map((f) => [f, Array<number | null>(length).fill(null)])) as Record<Field, Column>;
}

/** A switch's series from the core's history (what the view shows when it opens). */
export function fromHistory(h: VniHistory): VniSeries {
  const hosts = new Map<string, Record<Field, Column>>();
  for (const host of h.hosts) hosts.set(host.host, Object.fromEntries(FIELDS.map((f) => [f, [...host[f]]])) as Record<Field, Column>);
  return { t: [...h.t], hosts };
}

/** Appends one snapshot to every switch's series (creating what is new), dropping points older than the window. */
export function appendSnapshot(all: Map<number, VniSeries>, snap: TrafficSnapshot, maxPoints: number): void {
  for (const v of snap.vnis) {
    let s = all.get(v.vni);
    if (!s) all.set(v.vni, (s = { t: [], hosts: new Map() }));
    if (s.t.length > 0 && snap.time <= s.t.at(-1)!) continue;
    s.t.push(snap.time);
    for (const h of v.hosts) if (!s.hosts.has(h.host)) s.hosts.set(h.host, emptyColumns(s.t.length - 1));
    for (const [host, cols] of s.hosts) {
      const now = v.hosts.find((h) => h.host === host);
      for (const f of FIELDS) cols[f].push(now?.[f] ?? null);
    }
    const excess = s.t.length - maxPoints;
    if (excess > 0) {
      s.t.splice(0, excess);
      for (const cols of s.hosts.values()) for (const f of FIELDS) cols[f].splice(0, excess);
    }
  }
}

/** The columns a chart draws: seconds since epoch, then one column per (host, field), in the given order. */
export function chartColumns(s: VniSeries | undefined, fields: readonly Field[], windowS: number, scale: number): { data: (number | null)[][]; labels: string[] } {
  if (!s || s.t.length === 0) return { data: [[]], labels: [] };
  const newest = s.t.at(-1)!;
  const from = s.t.findIndex((t) => t >= newest - windowS * 1000);
  const t = s.t.slice(from).map((ms) => ms / 1000);
  const data: (number | null)[][] = [t];
  const labels: string[] = [];
  for (const host of [...s.hosts.keys()].sort()) {
    for (const f of fields) {
      data.push(s.hosts.get(host)![f].slice(from).map((v) => (v === null ? null : v * scale)));
      labels.push(`${host} ${f.endsWith('In') ? 'in' : f.endsWith('Out') ? 'out' : f}`);
    }
  }
  return { data, labels };
}
