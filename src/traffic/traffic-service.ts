/**
 * Live traffic behind the service API: one datacenter at a time is watched. Starting reads the document
 * and the hosts, then samples what they run; every later observation of the hosts (anyone's refresh)
 * updates what is sampled, so VMs that start or stop join or leave the view by themselves.
 */
import { DcodError } from '../errors';
import { defaultVBoxManage } from '../hosts/observe';
import type { ObservedHost } from '../hosts/observed';
import type { StreamingRunner } from '../hosts/runner';
import type { InventoryHost } from '../inventory/schema';
import type { Datacenter } from '../model/document';
import { loadDocumentFile } from '../model/document-file';
import { bridgeName, DEVICE_PREFIX, vxlanName } from '../overlay/names';
import { TrafficMonitor, type VniHistory } from './monitor';
import type { SourceState, TrafficSnapshot } from './snapshot';
import { trafficTargets, type SamplerTarget } from './targets';

/** What traffic and capture read the datacenter's hosts and reach its proxies with. */
export interface DatacenterAccess {
  inventory(): Promise<readonly InventoryHost[]>;
  /** Reads every inventory host (and tells the UI, as `hosts.refresh` does). */
  refresh(): Promise<readonly ObservedHost[]>;
  /** The overlay's way into a host's proxy; without it proxies are neither sampled nor captured on. */
  runnerForProxy?(host: string): Promise<StreamingRunner>;
}

export interface TrafficServiceDeps extends DatacenterAccess {
  runnerFor(host: InventoryHost): Promise<StreamingRunner>;
  onSnapshot?(snapshot: TrafficSnapshot): void;
  readonly intervalS?: number;
}

export interface TrafficStatus {
  readonly file: string;
  readonly datacenter: string;
  readonly intervalS: number;
  readonly switches: readonly { readonly vni: number; readonly name: string }[];
  readonly sources: readonly Pick<SourceState, 'id' | 'kind' | 'host'>[];
}

interface Watching {
  readonly file: string;
  readonly doc: Datacenter;
  readonly monitor: TrafficMonitor;
  readonly inventory: Map<string, InventoryHost>;
  readonly observed: Map<string, ObservedHost>;
}

export const NAMING = { bridge: bridgeName, vxlan: vxlanName, prefix: DEVICE_PREFIX } as const;

export class TrafficService {
  private watching: Watching | undefined;

  constructor(private readonly deps: TrafficServiceDeps) {}

  private get intervalS(): number {
    return this.deps.intervalS ?? 1;
  }

  async start(file: string): Promise<TrafficStatus> {
    const inventoryList = await this.deps.inventory();
    const { file: absolute, document } = await loadDocumentFile(file, { inventory: inventoryList });
    const inventory = new Map(inventoryList.map((h) => [h.name, h]));
    if (this.watching?.file === absolute) {
      this.watching = { ...this.watching, doc: document, inventory };
    } else {
      await this.stop();
      const monitor = new TrafficMonitor({
        runnerFor: (t) => this.runnerFor(t),
        naming: NAMING,
        intervalS: this.intervalS,
        ...(this.deps.onSnapshot ? { onSnapshot: this.deps.onSnapshot } : {}),
      });
      this.watching = { file: absolute, doc: document, monitor, inventory, observed: new Map() };
    }
    this.observed(await this.deps.refresh());
    return this.status();
  }

  /** New observations of hosts: what is sampled follows what runs. */
  observed(observed: readonly ObservedHost[]): void {
    const w = this.watching;
    if (!w) return;
    for (const o of observed) w.observed.set(o.host, o);
    const targets = trafficTargets(w.doc, [...w.observed.values()].filter((o) => w.inventory.has(o.host)), {
      intervalS: this.intervalS,
      vboxmanage: (host) => w.inventory.get(host)?.vboxmanage ?? defaultVBoxManage('posix'),
      devicePrefix: DEVICE_PREFIX,
    });
    void w.monitor.setTargets(targets);
  }

  status(): TrafficStatus {
    const w = this.watching;
    if (!w) throw new DcodError('INVALID_STATE', 'no traffic is being watched: start it with traffic.start');
    const sources = w.monitor.sources();
    return {
      file: w.file,
      datacenter: w.doc.metadata.name,
      intervalS: this.intervalS,
      switches: w.doc.switches.map((s) => ({ vni: s.vni, name: s.name })).sort((a, b) => a.vni - b.vni),
      sources: sources.map(({ id, kind, host }) => ({ id, kind, host })),
    };
  }

  snapshot(): TrafficSnapshot | null {
    return this.watching?.monitor.snapshot() ?? null;
  }

  history(vni: number, seconds: number): VniHistory {
    const w = this.watching;
    if (!w) throw new DcodError('INVALID_STATE', 'no traffic is being watched: start it with traffic.start');
    return w.monitor.history(vni, seconds);
  }

  async stop(): Promise<void> {
    const w = this.watching;
    this.watching = undefined;
    await w?.monitor.stop();
  }

  private async runnerFor(target: SamplerTarget): Promise<StreamingRunner> {
    if (target.kind === 'proxy') {
      if (!this.deps.runnerForProxy) throw new DcodError('INVALID_STATE', `the proxy on ${target.host} can't be reached: this core has no way into proxies`);
      return this.deps.runnerForProxy(target.host);
    }
    const host = this.watching?.inventory.get(target.host);
    if (!host) throw new DcodError('NOT_FOUND', `host ${target.host} is not in the inventory any more`);
    if (host.os === 'windows') throw new DcodError('INVALID_STATE', `VM NIC counters are sampled with a POSIX shell loop; host ${host.name} runs Windows`);
    return this.deps.runnerFor(host);
  }
}
