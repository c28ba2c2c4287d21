/**
 * `VBoxManage debugvm <vm> statistics [--pattern …]`: an XML dump of the VMM's statistics counters,
 *
 *     <Counter c="9423150" unit="bytes" name="/Devices/PCNet0/ReceiveBytes"/>
 *
 * and other element kinds (`U64 val=…`, `Profile cPeriods=… cTicks=…`, `Ratio32 u32A=… u32B=…`). Each
 * element becomes one Statistic; its main number is `c` or `val`, other numbers stay in `attributes`.
 * The network counters DCoD reads are `/Public/NetAdapter/<slot-1>/Bytes{Received,Transmitted}` (5.x+)
 * and, on 4.x, the per-device `/Devices/<Device><instance>/{Receive,Transmit}Bytes`.
 */

export interface Statistic {
  /** Element name: Counter, U64, Profile, … */
  readonly kind: string;
  readonly name: string;
  readonly value?: number;
  readonly unit?: string;
  readonly attributes: Readonly<Record<string, string>>;
}

const ELEMENT = /<(\w+)\s([^<>]*?)\/?>/g;
const ATTRIBUTE = /([\w:-]+)="([^"]*)"/g;
const ENTITIES: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'", '&amp;': '&' };

function decodeEntities(text: string): string {
  return text.replace(/&(?:lt|gt|quot|apos|amp);/g, (e) => ENTITIES[e]!);
}

export function parseDebugVmStatistics(text: string): Statistic[] {
  const stats: Statistic[] = [];
  for (const el of text.matchAll(ELEMENT)) {
    const attributes: Record<string, string> = {};
    for (const a of el[2]!.matchAll(ATTRIBUTE)) attributes[a[1]!] = decodeEntities(a[2]!);
    const name = attributes.name;
    if (name === undefined) continue;
    const main = attributes.c ?? attributes.val;
    const value = main === undefined ? Number.NaN : Number(main);
    stats.push({
      kind: el[1]!,
      name,
      ...(Number.isNaN(value) ? {} : { value }),
      ...(attributes.unit === undefined ? {} : { unit: attributes.unit }),
      attributes,
    });
  }
  return stats;
}

export interface NetTraffic {
  readonly bytesReceived?: number;
  readonly bytesTransmitted?: number;
}

/** Bytes per network adapter slot (1-based, as `--nic<slot>`), from the `/Public/NetAdapter/` counters. */
export function netTrafficBySlot(stats: readonly Statistic[]): Map<number, NetTraffic> {
  return collect(stats, /^\/Public\/NetAdapter\/(\d+)\/Bytes(Received|Transmitted)$/, (m) => Number(m[1]) + 1);
}

/**
 * Bytes per emulated device instance (`PCNet0`, `E1000/1`…), from 4.x's `/Devices/` counters. Instances
 * are numbered per device model, so they are not adapter slots.
 */
export function netTrafficByDevice(stats: readonly Statistic[]): Map<string, NetTraffic> {
  return collect(stats, /^\/Devices\/([^/]+(?:\/\d+)?)\/(Receive|Transmit)Bytes$/, (m) => m[1]!);
}

function collect<K>(stats: readonly Statistic[], pattern: RegExp, keyOf: (m: RegExpExecArray) => K): Map<K, NetTraffic> {
  const out = new Map<K, NetTraffic>();
  for (const s of stats) {
    const m = pattern.exec(s.name);
    if (!m || s.value === undefined) continue;
    const key = keyOf(m);
    const field = m[2]!.startsWith('Receive') ? 'bytesReceived' : 'bytesTransmitted';
    out.set(key, { ...out.get(key), [field]: s.value });
  }
  return out;
}
