/**
 * The live traffic of one datacenter: a sampler per target, counters turned into rates as frames come,
 * and once per interval a snapshot of the current rates (pushed to whoever listens) and a tick of the
 * rolling history behind the charts.
 */
import type { StreamingRunner } from '../hosts/runner';
import type { Counters } from './counters';
import type { Frame } from './frames';
import { RollingHistory } from './history';
import { RateTracker, type Rate } from './rates';
import { StreamSampler } from './sampler';
import { buildSnapshot, nicKey, type HostVniRates, type SnapshotInput, type SourceState, type TrafficSnapshot } from './snapshot';
import type { SamplerTarget, TrafficTargets } from './targets';

export const VNI_FIELDS = ['bytesIn', 'bytesOut', 'packetsIn', 'packetsOut', 'drops', 'errors'] as const;
export type VniField = (typeof VNI_FIELDS)[number];
export const NIC_FIELDS = ['rxBytes', 'txBytes'] as const;

export interface VniHistory {
  readonly vni: number;
  readonly switch: string;
  /** Tick times, epoch ms, oldest first. */
  readonly t: readonly number[];
  /** Per host: per field, a value per tick (per second), null where nothing was known. */
  readonly hosts: readonly ({ readonly host: string } & Readonly<Record<VniField, readonly (number | null)[]>>)[];
}

export interface MonitorOptions {
  readonly runnerFor: (target: SamplerTarget) => Promise<StreamingRunner>;
  readonly naming: SnapshotInput['naming'];
  readonly onSnapshot?: (snapshot: TrafficSnapshot) => void;
  readonly intervalS?: number;
  /** How long the history reaches back. */
  readonly historyS?: number;
  readonly now?: () => number;
  /** Sampler restart backoff (tests shorten it). */
  readonly backoffMs?: number;
}

interface Current {
  readonly perSecond: Counters;
  readonly at: number;
}

export const DEFAULT_HISTORY_S = 15 * 60;

export class TrafficMonitor {
  private targets: TrafficTargets = { datacenter: '', switches: [], nics: [], samplers: [] };
  private readonly samplers = new Map<string, StreamSampler>();
  private readonly tracker: RateTracker;
  private readonly nicRates = new Map<string, Current>();
  /** Host → device → current rate; host → the ports of its bridges, from its last frame. */
  private readonly deviceRates = new Map<string, Map<string, Current>>();
  private readonly ports = new Map<string, ReadonlyMap<string, readonly string[]>>();
  /** Hosts some counter of which was reset since the last tick: their history shows a gap there. */
  private readonly resetHosts = new Set<string>();
  readonly vniHistory: RollingHistory<VniField>;
  readonly nicHistory: RollingHistory<(typeof NIC_FIELDS)[number]>;
  private latest: TrafficSnapshot | undefined;
  private readonly timer: NodeJS.Timeout;
  readonly intervalS: number;

  constructor(private readonly opts: MonitorOptions) {
    this.intervalS = opts.intervalS ?? 1;
    this.tracker = new RateTracker(this.intervalS * 5);
    const capacity = Math.ceil((opts.historyS ?? DEFAULT_HISTORY_S) / this.intervalS);
    this.vniHistory = new RollingHistory(VNI_FIELDS, capacity);
    this.nicHistory = new RollingHistory(NIC_FIELDS, capacity);
    this.timer = setInterval(() => this.tick(), this.intervalS * 1000);
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /** Samples these targets from now on: new samplers start, gone ones stop, changed ones restart. */
  async setTargets(targets: TrafficTargets): Promise<void> {
    this.targets = targets;
    const wanted = new Map(targets.samplers.map((t) => [t.id, t]));
    const stopping: Promise<void>[] = [];
    for (const [id, sampler] of this.samplers) {
      const next = wanted.get(id);
      if (next && JSON.stringify(next) === JSON.stringify(sampler.target)) continue;
      this.samplers.delete(id);
      this.tracker.forget(id);
      stopping.push(sampler.stop());
    }
    for (const [id, target] of wanted) {
      if (this.samplers.has(id)) continue;
      this.samplers.set(
        id,
        new StreamSampler(target, {
          runnerFor: this.opts.runnerFor,
          onFrame: (t, frame, at) => this.onFrame(t, frame, at),
          now: () => this.now(),
          ...(this.opts.backoffMs === undefined ? {} : { backoffMs: this.opts.backoffMs }),
        }),
      );
    }
    await Promise.all(stopping);
  }

  snapshot(): TrafficSnapshot | undefined {
    return this.latest;
  }

  sources(): SourceState[] {
    return [...this.samplers.values()].map((s) => s.state);
  }

  private onFrame(target: SamplerTarget, frame: Frame, at: number): void {
    if (this.tracker.frame(target.id, frame.uptime)) this.resetHosts.add(target.host);
    const t = frame.uptime ?? at / 1000;
    const note = (series: string, counters: Counters, store: (r: Rate) => void) => {
      const rate = this.tracker.update(target.id, series, { t, counters });
      if (!rate) return;
      if (rate.reset) this.resetHosts.add(target.host);
      store(rate);
    };
    if (target.kind === 'host') {
      for (const [uuid, slots] of frame.vms) {
        for (const [slot, counters] of slots) note(nicKey(uuid, slot), counters, (r) => this.nicRates.set(nicKey(uuid, slot), { perSecond: r.perSecond, at }));
      }
    } else {
      const devices = this.deviceRates.get(target.host) ?? this.deviceRates.set(target.host, new Map()).get(target.host)!;
      for (const [dev, counters] of frame.devices) note(dev, counters, (r) => devices.set(dev, { perSecond: r.perSecond, at }));
      this.ports.set(target.host, frame.ports);
    }
  }

  /** Builds this interval's snapshot from rates fresh enough to still be "now", and records it. */
  tick(): TrafficSnapshot {
    const now = this.now();
    const fresh = now - this.intervalS * 2500;
    const nicRates = new Map<string, Counters>();
    for (const [k, c] of this.nicRates) if (c.at >= fresh) nicRates.set(k, c.perSecond);
    const proxies: SnapshotInput['proxies'] = new Map(
      [...this.deviceRates].map(([host, devs]) => [
        host,
        { devices: new Map([...devs].filter(([, c]) => c.at >= fresh).map(([d, c]) => [d, c.perSecond])), ports: this.ports.get(host) ?? new Map() },
      ]),
    );
    const snapshot = buildSnapshot({
      datacenter: this.targets.datacenter,
      time: now,
      intervalS: this.intervalS,
      switches: this.targets.switches,
      nics: this.targets.nics,
      nicRates,
      proxies,
      sources: this.sources(),
      naming: this.opts.naming,
    });
    this.vniHistory.tick(now);
    this.nicHistory.tick(now);
    for (const v of snapshot.vnis) {
      for (const h of v.hosts) if (!this.resetHosts.has(h.host)) this.vniHistory.set(`${v.vni}/${h.host}`, fields(h));
    }
    for (const n of snapshot.nics) if (!this.resetHosts.has(n.host)) this.nicHistory.set(`${n.vm}/${n.slot}`, n);
    this.resetHosts.clear();
    this.latest = snapshot;
    this.opts.onSnapshot?.(snapshot);
    return snapshot;
  }

  /** One switch's last `seconds`, per host. */
  history(vni: number, seconds: number): VniHistory {
    const prefix = `${vni}/`;
    const keys = this.vniHistory.keys().filter((k) => k.startsWith(prefix)).sort();
    const w = this.vniHistory.window(seconds, keys);
    return {
      vni,
      switch: this.targets.switches.find((s) => s.vni === vni)?.name ?? `vni-${vni}`,
      t: w.t,
      hosts: keys.map((k) => ({ host: k.slice(prefix.length), ...w.series.get(k)! })),
    };
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.samplers.values()].map((s) => s.stop()));
    this.samplers.clear();
  }
}

function fields(h: HostVniRates): Partial<Record<VniField, number>> {
  const out: Partial<Record<VniField, number>> = { bytesIn: h.bytesIn, bytesOut: h.bytesOut };
  if (h.packetsIn !== undefined) out.packetsIn = h.packetsIn;
  if (h.packetsOut !== undefined) out.packetsOut = h.packetsOut;
  if (h.drops !== undefined) out.drops = h.drops;
  if (h.errors !== undefined) out.errors = h.errors;
  return out;
}
