/**
 * Typed readers for `VBoxManage list …` outputs. `list vms`/`runningvms` have their own line format; the
 * others are `Key: value` records (./records), whose key spellings changed between versions — each reader
 * accepts the spellings seen in real captures.
 */
import { compact, flag, int } from './fields';
import { mergedValues, parseRecords, type VBoxRecord } from './records';

export interface VmListEntry {
  readonly name: string;
  readonly uuid: string;
  /** False for VirtualBox's `"<inaccessible>"` placeholder (settings file missing or unreadable). */
  readonly accessible: boolean;
}

const VM_LINE = /^"([\s\S]*)" \{([0-9a-fA-F-]{36})\}\s*$/;

/**
 * `list vms` / `list runningvms`: `"name" {uuid}` per VM. Names are printed raw, so one may hold quotes
 * or a line break (then the entry spans lines); an entry ends at the line closing with `" {uuid}`.
 * Lines that start no entry (console prompts, blank lines) are skipped.
 */
export function parseVmList(text: string): VmListEntry[] {
  const vms: VmListEntry[] = [];
  let pending: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (pending === undefined && !line.startsWith('"')) continue;
    pending = pending === undefined ? line : `${pending}\n${line}`;
    const m = VM_LINE.exec(pending);
    if (!m) continue;
    vms.push({ name: m[1]!, uuid: m[2]!.toLowerCase(), accessible: m[1] !== '<inaccessible>' });
    pending = undefined;
  }
  return vms;
}

function first(r: VBoxRecord, ...keys: string[]): string | undefined {
  for (const k of keys) {
    const v = r.values.get(k);
    if (v !== undefined) return v;
  }
  return undefined;
}

export interface HostInterface {
  readonly name: string;
  readonly guid?: string;
  readonly dhcp?: boolean;
  readonly ipAddress?: string;
  readonly networkMask?: string;
  /** Empty when the interface has none. */
  readonly ipv6Address?: string;
  readonly ipv6PrefixLength?: number;
  readonly mac?: string;
  readonly mediumType?: string;
  /** Only printed since 5.x. */
  readonly wireless?: boolean;
  readonly up?: boolean;
  /** The name VirtualBox's DHCP servers use for it: `HostInterfaceNetworking-<name>`. */
  readonly vboxNetworkName?: string;
}

/** `list bridgedifs` and `list hostonlyifs` (same record layout). */
export function parseHostInterfaces(text: string): HostInterface[] {
  return parseRecords(text).map((r) =>
    compact({
      name: r.values.get('Name') ?? '',
      guid: r.values.get('GUID'),
      dhcp: flag(r.values.get('DHCP')),
      ipAddress: r.values.get('IPAddress'),
      networkMask: r.values.get('NetworkMask'),
      ipv6Address: r.values.get('IPV6Address'),
      ipv6PrefixLength: int(r.values.get('IPV6NetworkMaskPrefixLength')),
      mac: r.values.get('HardwareAddress'),
      mediumType: r.values.get('MediumType'),
      wireless: flag(r.values.get('Wireless')),
      up: flag(r.values.get('Status')),
      vboxNetworkName: r.values.get('VBoxNetworkName'),
    }),
  );
}

export interface HostOnlyNetwork {
  readonly name: string;
  readonly guid?: string;
  readonly enabled?: boolean;
  readonly networkMask?: string;
  readonly lowerIp?: string;
  readonly upperIp?: string;
  readonly vboxNetworkName?: string;
}

/** `list hostonlynets` (7.x, the host-only networks that replace host-only interfaces on macOS). */
export function parseHostOnlyNetworks(text: string): HostOnlyNetwork[] {
  return parseRecords(text).map((r) =>
    compact({
      name: r.values.get('Name') ?? '',
      guid: r.values.get('GUID'),
      enabled: flag(r.values.get('State')),
      networkMask: r.values.get('NetworkMask'),
      lowerIp: r.values.get('LowerIP'),
      upperIp: r.values.get('UpperIP'),
      vboxNetworkName: r.values.get('VBoxNetworkName'),
    }),
  );
}

export interface NatNetwork {
  readonly name: string;
  /** The gateway address. */
  readonly gateway?: string;
  /** CIDR, e.g. `10.0.2.0/24`. */
  readonly network?: string;
  readonly ipv6Enabled?: boolean;
  readonly ipv6Prefix?: string;
  readonly dhcpEnabled?: boolean;
  readonly enabled?: boolean;
  /** `127.0.0.1=2`: host loopback address → offset in the network. */
  readonly loopbackMappings: readonly { readonly address: string; readonly offset: number }[];
  /** Port-forwarding rules as printed (`name:proto:[host ip]:port:[guest ip]:port`), IPv4 then IPv6. */
  readonly portForwards: readonly string[];
}

/** `list natnets` (5.x/6.x spell `NetworkName`/`IP`, 7.x `Name`/`Gateway`). */
export function parseNatNetworks(text: string): NatNetwork[] {
  return parseRecords(text).map((r) => {
    const children = (prefix: string): string[] =>
      r.fields.filter((f) => f.key.toLowerCase().startsWith(prefix)).flatMap((f) => f.children.map((c) => (c.value === '' ? c.key : `${c.key}:${c.value}`)));
    return compact({
      name: first(r, 'NetworkName', 'Name') ?? '',
      gateway: first(r, 'IP', 'Gateway'),
      network: r.values.get('Network'),
      ipv6Enabled: flag(first(r, 'IPv6 Enabled', 'IPv6')),
      ipv6Prefix: r.values.get('IPv6 Prefix'),
      dhcpEnabled: flag(first(r, 'DHCP Enabled', 'DHCP Server')),
      enabled: flag(r.values.get('Enabled')),
      loopbackMappings: children('loopback mappings').map((m) => {
        const [address, offset] = m.split('=');
        return { address: address!, offset: Number(offset) };
      }),
      portForwards: children('port-forwarding'),
    });
  });
}

export interface DhcpServer {
  /** `HostInterfaceNetworking-<if>` for host-only adapters, or a NAT/internal network name. */
  readonly networkName: string;
  readonly serverIp?: string;
  readonly networkMask?: string;
  readonly lowerIp?: string;
  readonly upperIp?: string;
  readonly enabled?: boolean;
}

/** `list dhcpservers` (before 6.1: `IP`, `lowerIPAddress`; from 6.1: `Dhcpd IP`, `LowerIPAddress`). */
export function parseDhcpServers(text: string): DhcpServer[] {
  return parseRecords(text).map((r) =>
    compact({
      networkName: r.values.get('NetworkName') ?? '',
      serverIp: first(r, 'Dhcpd IP', 'IP'),
      networkMask: r.values.get('NetworkMask'),
      lowerIp: first(r, 'LowerIPAddress', 'lowerIPAddress'),
      upperIp: first(r, 'UpperIPAddress', 'upperIPAddress'),
      enabled: flag(r.values.get('Enabled')),
    }),
  );
}

export interface Medium {
  readonly uuid: string;
  /** Undefined for a base medium (printed `base`). */
  readonly parentUuid?: string;
  /** e.g. `created`, `locked read`, `inaccessible`. */
  readonly state?: string;
  /** e.g. `normal (base)`, `normal (differencing)`, `multiattach`. */
  readonly type?: string;
  readonly location?: string;
  readonly format?: string;
  readonly capacityMb?: number;
  readonly encryption?: string;
}

/** `list hdds`, `list dvds`, `list floppies`. */
export function parseMedia(text: string): Medium[] {
  return parseRecords(text).map((r) => {
    const parent = r.values.get('Parent UUID');
    return compact({
      uuid: r.values.get('UUID') ?? '',
      parentUuid: parent === 'base' ? undefined : parent,
      state: r.values.get('State'),
      type: r.values.get('Type'),
      location: r.values.get('Location'),
      format: r.values.get('Storage format'),
      capacityMb: int(r.values.get('Capacity')),
      encryption: r.values.get('Encryption'),
    });
  });
}

/** `list hostdvds`, `list hostfloppies`: the host's own drives. */
export function parseHostDrives(text: string): { readonly uuid: string; readonly name: string }[] {
  return parseRecords(text).map((r) => ({ uuid: r.values.get('UUID') ?? '', name: r.values.get('Name') ?? '' }));
}

export interface SystemProperties {
  /** e.g. `7_0`. */
  readonly apiVersion?: string;
  readonly minGuestRamMb?: number;
  readonly maxGuestRamMb?: number;
  readonly minGuestCpus?: number;
  readonly maxGuestCpus?: number;
  /** Network adapters per VM, by chipset: piix3 → 8, ich9 → 36 on 7.0. */
  readonly maxNics: Readonly<Record<string, number>>;
  readonly defaultMachineFolder?: string;
  readonly defaultAdditionsIso?: string;
  /** Every line, for what is not typed here. */
  readonly values: ReadonlyMap<string, string>;
}

/** `list systemproperties`. */
export function parseSystemProperties(text: string): SystemProperties {
  const values = mergedValues(text);
  const maxNics: Record<string, number> = {};
  for (const [k, v] of values) {
    const m = /^Maximum (\w+) Network Adapter count$/.exec(k);
    if (m) maxNics[m[1]!.toLowerCase()] = Number(v);
  }
  return compact({
    apiVersion: values.get('API version'),
    minGuestRamMb: int(values.get('Minimum guest RAM size')),
    maxGuestRamMb: int(values.get('Maximum guest RAM size')),
    minGuestCpus: int(values.get('Minimum guest CPU count')),
    maxGuestCpus: int(values.get('Maximum guest CPU count')),
    maxNics,
    defaultMachineFolder: values.get('Default machine folder'),
    defaultAdditionsIso: values.get('Default Guest Additions ISO'),
    values,
  });
}

export interface HostInfo {
  /** Epoch milliseconds. */
  readonly hostTimeMs?: number;
  readonly processorCount?: number;
  readonly processorOnlineCount?: number;
  readonly processorCoreCount?: number;
  readonly hwVirtualization?: boolean;
  readonly nestedPaging?: boolean;
  readonly memorySizeMb?: number;
  readonly memoryAvailableMb?: number;
  readonly operatingSystem?: string;
  readonly operatingSystemVersion?: string;
  /** `Processor#N description`, by N. */
  readonly processorDescriptions: readonly string[];
  readonly values: ReadonlyMap<string, string>;
}

/** `list hostinfo`. */
export function parseHostInfo(text: string): HostInfo {
  const values = mergedValues(text);
  const descriptions: string[] = [];
  for (const [k, v] of values) {
    const m = /^Processor#(\d+) description$/.exec(k);
    if (m) descriptions[Number(m[1])] = v;
  }
  const time = values.get('Host time');
  const ms = time === undefined ? Number.NaN : Date.parse(time.replace(/(\.\d{3})\d*/, '$1'));
  return compact({
    hostTimeMs: Number.isNaN(ms) ? undefined : ms,
    processorCount: int(values.get('Processor count')),
    processorOnlineCount: int(values.get('Processor online count')),
    processorCoreCount: int(values.get('Processor core count')),
    hwVirtualization: flag(values.get('Processor supports HW virtualization')),
    nestedPaging: flag(values.get('Processor supports nested paging')),
    memorySizeMb: int(values.get('Memory size')),
    memoryAvailableMb: int(values.get('Memory available')),
    operatingSystem: values.get('Operating system'),
    operatingSystemVersion: values.get('Operating system version'),
    processorDescriptions: descriptions,
    values,
  });
}

/** `list intnets`: the internal networks in use by registered VMs, one `Name:` line each (no blank lines). */
export function parseIntNets(text: string): string[] {
  return parseRecords(text).flatMap((r) => r.values.get('Name') ?? []);
}

export interface OsType {
  readonly id: string;
  readonly description?: string;
  readonly familyId?: string;
  readonly familyDescription?: string;
  readonly is64Bit?: boolean;
}

/** `list ostypes`. */
export function parseOsTypes(text: string): OsType[] {
  return parseRecords(text).map((r) =>
    compact({
      id: r.values.get('ID') ?? '',
      description: r.values.get('Description'),
      familyId: r.values.get('Family ID'),
      familyDescription: r.values.get('Family Desc'),
      is64Bit: flag(r.values.get('64 bit')),
    }),
  );
}
