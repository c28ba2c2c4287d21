/**
 * What the traffic view shows each second, computed from the latest rates of every sampled series
 * (pure). All figures are per second; bytes are Ethernet frame bytes.
 *
 * Where a switch's figures come from, per host:
 * - VM NICs (the host's `debugvm` counters): what each VM sent into the switch and received from it,
 *   including traffic between two VMs on the same host, which never reaches the proxy;
 * - the proxy's bridge for the VNI: its VxLAN port (to and from other hosts), the port facing the host's
 *   VMs, and service ports (DHCP, routers); packets, drops and errors are only known here.
 * A host's "in" is what entered the switch there: its VMs' transmit plus what services sent — or, when
 * the host's VM counters are missing, the proxy's non-VxLAN ports. The switch's throughput is the sum
 * of "in" over hosts: every frame enters the switch once, at its sender.
 */
import type { ErrorInfo } from '../errors';
import type { Counters } from './counters';

export interface NicRates {
  readonly vm: string;
  readonly host: string;
  /** 1-based, as `--nic<slot>`. */
  readonly slot: number;
  readonly vni?: number;
  readonly switch?: string;
  /** Bytes the VM received / sent. */
  readonly rxBytes: number;
  readonly txBytes: number;
}

export interface HostVniRates {
  readonly host: string;
  /** Bytes that entered the switch on this host (see above), and that left it to this host's VMs. */
  readonly bytesIn: number;
  readonly bytesOut: number;
  /** As the proxy saw them; absent without the proxy's counters. */
  readonly packetsIn?: number;
  readonly packetsOut?: number;
  /** Through the VxLAN device: to and from the other hosts. */
  readonly bytesToRemote?: number;
  readonly bytesFromRemote?: number;
  /** Dropped frames and errors on the bridge and all its ports. */
  readonly drops?: number;
  readonly errors?: number;
}

export interface VniRates {
  readonly vni: number;
  readonly switch: string;
  readonly bytes: number;
  readonly packets?: number;
  readonly drops: number;
  readonly errors: number;
  /** In host order. */
  readonly hosts: readonly HostVniRates[];
  /** The busiest NICs on the switch, busiest first (sent + received), at most TOP_TALKERS. */
  readonly topTalkers: readonly NicRates[];
}

export type SourceStateName = 'connecting' | 'streaming' | 'failed';

/** One sampler: a host's VM NICs or a proxy's devices. */
export interface SourceState {
  readonly id: string;
  readonly kind: 'host' | 'proxy';
  readonly host: string;
  readonly state: SourceStateName;
  readonly error?: ErrorInfo;
  /** ISO time of its last frame. */
  readonly lastFrame?: string;
}

export interface TrafficSnapshot {
  readonly datacenter: string;
  /** Laptop time, epoch ms. */
  readonly time: number;
  readonly intervalS: number;
  /** In VNI order. */
  readonly vnis: readonly VniRates[];
  /** In VM, slot order. */
  readonly nics: readonly NicRates[];
  readonly sources: readonly SourceState[];
}

export const TOP_TALKERS = 5;

/** A VM NIC on the datacenter's switches, as the targets found it. */
export interface NicRef {
  readonly uuid: string;
  readonly vm: string;
  readonly host: string;
  readonly slot: number;
  readonly vni?: number;
}

/** The current rates of one proxy's devices, and its bridges' ports. */
export interface ProxyRates {
  readonly devices: ReadonlyMap<string, Counters>;
  readonly ports: ReadonlyMap<string, readonly string[]>;
}

export interface SnapshotInput {
  readonly datacenter: string;
  readonly time: number;
  readonly intervalS: number;
  readonly switches: readonly { readonly vni: number; readonly name: string }[];
  readonly nics: readonly NicRef[];
  /** `${uuid}/${slot}` → current rates; missing = not known now. */
  readonly nicRates: ReadonlyMap<string, Counters>;
  /** Host → its proxy's current rates. */
  readonly proxies: ReadonlyMap<string, ProxyRates>;
  readonly sources: readonly SourceState[];
  /** How the overlay names a VNI's devices in a proxy. */
  readonly naming: { readonly bridge: (vni: number) => string; readonly vxlan: (vni: number) => string; readonly prefix: string };
}

export const nicKey = (uuid: string, slot: number): string => `${uuid}/${slot}`;

const sum = (xs: readonly (number | undefined)[]): number | undefined => (xs.every((x) => x === undefined) ? undefined : xs.reduce<number>((a, x) => a + (x ?? 0), 0));
const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function proxySide(p: ProxyRates | undefined, vni: number, naming: SnapshotInput['naming']) {
  const bridge = naming.bridge(vni);
  if (!p?.devices.has(bridge)) return undefined;
  const vx = naming.vxlan(vni);
  const ports = p.ports.get(bridge) ?? [];
  const at = (dev: string) => p.devices.get(dev) ?? {};
  const local = ports.filter((d) => d !== vx);
  const services = ports.filter((d) => d !== vx && d.startsWith(naming.prefix));
  const all = [bridge, ...ports].map(at);
  return {
    bytesIn: sum(local.map((d) => at(d).rxBytes)) ?? 0,
    bytesOut: sum(local.map((d) => at(d).txBytes)) ?? 0,
    servicesIn: sum(services.map((d) => at(d).rxBytes)) ?? 0,
    servicesOut: sum(services.map((d) => at(d).txBytes)) ?? 0,
    packetsIn: sum(local.map((d) => at(d).rxPackets)) ?? 0,
    packetsOut: sum(local.map((d) => at(d).txPackets)) ?? 0,
    toRemote: at(vx).txBytes,
    fromRemote: at(vx).rxBytes,
    drops: sum(all.flatMap((c) => [c.rxDropped, c.txDropped])) ?? 0,
    errors: sum(all.flatMap((c) => [c.rxErrors, c.txErrors])) ?? 0,
  };
}

export function buildSnapshot(input: SnapshotInput): TrafficSnapshot {
  const names = new Map(input.switches.map((s) => [s.vni, s.name]));
  const nics: NicRates[] = [];
  for (const ref of input.nics) {
    const r = input.nicRates.get(nicKey(ref.uuid, ref.slot));
    if (r?.rxBytes === undefined && r?.txBytes === undefined) continue;
    const sw = ref.vni === undefined ? undefined : names.get(ref.vni);
    nics.push({
      vm: ref.vm,
      host: ref.host,
      slot: ref.slot,
      ...(ref.vni === undefined ? {} : { vni: ref.vni }),
      ...(sw === undefined ? {} : { switch: sw }),
      rxBytes: r.rxBytes ?? 0,
      txBytes: r.txBytes ?? 0,
    });
  }
  nics.sort((a, b) => byName(a.vm, b.vm) || a.slot - b.slot);

  const vnis = new Set([...input.switches.map((s) => s.vni), ...nics.flatMap((n) => (n.vni === undefined ? [] : [n.vni]))]);
  const out: VniRates[] = [];
  for (const vni of [...vnis].sort((a, b) => a - b)) {
    const onVni = nics.filter((n) => n.vni === vni);
    const hosts = new Set([...onVni.map((n) => n.host), ...[...input.proxies].filter(([, p]) => p.devices.has(input.naming.bridge(vni))).map(([h]) => h)]);
    const perHost: HostVniRates[] = [];
    for (const host of [...hosts].sort(byName)) {
      const vms = onVni.filter((n) => n.host === host);
      const proxy = proxySide(input.proxies.get(host), vni, input.naming);
      const bytesIn = vms.length > 0 ? vms.reduce((a, n) => a + n.txBytes, 0) + (proxy?.servicesIn ?? 0) : (proxy?.bytesIn ?? 0);
      const bytesOut = vms.length > 0 ? vms.reduce((a, n) => a + n.rxBytes, 0) + (proxy?.servicesOut ?? 0) : (proxy?.bytesOut ?? 0);
      perHost.push({
        host,
        bytesIn,
        bytesOut,
        ...(proxy
          ? {
              packetsIn: proxy.packetsIn,
              packetsOut: proxy.packetsOut,
              ...(proxy.toRemote === undefined ? {} : { bytesToRemote: proxy.toRemote }),
              ...(proxy.fromRemote === undefined ? {} : { bytesFromRemote: proxy.fromRemote }),
              drops: proxy.drops,
              errors: proxy.errors,
            }
          : {}),
      });
    }
    const packets = sum(perHost.map((h) => h.packetsIn));
    out.push({
      vni,
      switch: names.get(vni) ?? `vni-${vni}`,
      bytes: perHost.reduce((a, h) => a + h.bytesIn, 0),
      ...(packets === undefined ? {} : { packets }),
      drops: perHost.reduce((a, h) => a + (h.drops ?? 0), 0),
      errors: perHost.reduce((a, h) => a + (h.errors ?? 0), 0),
      hosts: perHost,
      topTalkers: [...onVni].sort((a, b) => b.rxBytes + b.txBytes - (a.rxBytes + a.txBytes) || byName(a.vm, b.vm)).slice(0, TOP_TALKERS),
    });
  }
  return { datacenter: input.datacenter, time: input.time, intervalS: input.intervalS, vnis: out, nics, sources: input.sources };
}
