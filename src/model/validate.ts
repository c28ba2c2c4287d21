/**
 * Parse → validate → resolve as ONE path: `validateDocument` turns whatever was read from datacenter.yaml
 * into a typed Datacenter, or into every problem found (never just the first), each with the JSON path
 * of the offending value, what is wrong, and how to fix it. No host is touched; given the inventory and
 * the last observation it also checks placement and memory.
 */
import type { z } from 'zod';
import { jsonPath, type Diagnostic } from '../diagnostics';
import { formatIpv4, parseIpv4 } from '../discovery/cidr';
import type { ObservedHost } from '../hosts/observed';
import { NIC_SLOTS } from '../vbox/commands';
import { Datacenter, Image, Router, Switch, Vm, Volume } from './document';

export interface ValidationContext {
  /** The inventory's hosts: placement must name one of them. */
  readonly inventory?: readonly { readonly name: string }[];
  /** The hosts as last observed: reachability and memory of the hosts VMs are placed on. */
  readonly observed?: readonly ObservedHost[];
}

export interface Validation {
  /** Set when there is no error (warnings may remain). */
  readonly document?: Datacenter;
  readonly diagnostics: readonly Diagnostic[];
}

/** A disk controller's ports: DCoD attaches volumes to one SATA controller, which has 30. */
export const MAX_VOLUMES_PER_VM = 30;

/** VXLAN's own headers: a switch's MTU must leave this much room under the underlay's. */
export const VXLAN_OVERHEAD = 50;

/** Names Windows can't give a file or folder, whatever the extension: VirtualBox can't create such a VM there. */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])$/;

/** DCoD names its own VMs (the overlay's proxies) `dcod-…`; a document VM must not look like one. */
const RESERVED_PREFIX = 'dcod-';

type Path = readonly (string | number)[];

export function validateDocument(input: unknown, ctx: ValidationContext = {}): Validation {
  const diagnostics: Diagnostic[] = [];
  const parsed = Datacenter.safeParse(input);
  if (!parsed.success) diagnostics.push(...zodDiagnostics(parsed.error.issues));
  // Semantic checks run even when the schema failed, on the parts that did parse, so one typo doesn't
  // hide every other problem.
  const doc = parsed.success ? wholeDocument(parsed.data) : partialDocument(input);
  diagnostics.push(...checkDocument(doc, ctx));
  const ok = !diagnostics.some((d) => d.severity === 'error');
  return { ...(ok && parsed.success ? { document: parsed.data } : {}), diagnostics };
}

// ---------------------------------------------------------------------------------------------------
// Schema issues

const UNION_HINTS: readonly { readonly path: RegExp; readonly message: string; readonly fix: string }[] = [
  { path: /^vms\[\d+\]\.nics\[\d+\]$/, message: 'a NIC is either on a virtual switch or bridged to the LAN', fix: 'write `switch: <switch name>` or `bridged: true`' },
  { path: /^images\[\d+\]$/, message: 'an image is either a template VM or an OVA file', fix: 'write `template: <VM name on the hosts>` (and optionally `snapshot:`) or `ova: <path of the .ova>`' },
];

function zodDiagnostics(issues: readonly z.core.$ZodIssue[], prefix: Path = []): Diagnostic[] {
  return issues.flatMap((issue): Diagnostic[] => {
    const segments = [...prefix, ...(issue.path as Path)];
    const path = jsonPath(segments);
    switch (issue.code) {
      case 'invalid_union': {
        const hint = UNION_HINTS.find((h) => h.path.test(path));
        if (hint) return [{ severity: 'error', path, message: hint.message, fix: hint.fix }];
        // Otherwise the branch that came closest says best what is wrong.
        const best = [...issue.errors].sort((a, b) => a.length - b.length)[0] ?? [];
        return best.length > 0 ? zodDiagnostics(best, segments) : [{ severity: 'error', path, message: issue.message }];
      }
      case 'unrecognized_keys':
        return issue.keys.map((key) => ({ severity: 'error' as const, path: jsonPath([...segments, key]), message: `unknown field "${key}"`, fix: `remove it, or check its spelling` }));
      case 'invalid_type':
        if (/received undefined$/.test(issue.message)) return [{ severity: 'error', path, message: `missing (expected ${issue.expected})`, fix: `add ${String(segments.at(-1) ?? 'it')}` }];
        return [{ severity: 'error', path, message: issue.message }];
      default:
        return [{ severity: 'error', path, message: issue.message }];
    }
  });
}

// ---------------------------------------------------------------------------------------------------
// The document as the semantic checks see it: arrays keep their indices (for paths), with `undefined`
// where an element did not parse; names of such elements still count as defined, so a typo in a switch
// doesn't also report every NIC on it as pointing nowhere.

interface Checked {
  readonly name: string;
  readonly underlayMtu: number;
  readonly switches: readonly (Switch | undefined)[];
  readonly routers: readonly (Router | undefined)[];
  readonly vms: readonly (Vm | undefined)[];
  readonly volumes: readonly (Volume | undefined)[];
  readonly images: readonly (Image | undefined)[];
  readonly placement: Readonly<Record<string, unknown>>;
  /** Every name given in each list, parsed or not. */
  readonly names: Readonly<Record<'switches' | 'routers' | 'vms' | 'volumes' | 'images', ReadonlySet<string>>>;
}

function namesOf(list: readonly unknown[]): Set<string> {
  const out = new Set<string>();
  for (const el of list) {
    const name = typeof el === 'object' && el !== null ? (el as { name?: unknown }).name : undefined;
    if (typeof name === 'string') out.add(name);
  }
  return out;
}

function wholeDocument(d: Datacenter): Checked {
  return {
    ...d,
    name: d.metadata.name,
    names: { switches: namesOf(d.switches), routers: namesOf(d.routers), vms: namesOf(d.vms), volumes: namesOf(d.volumes), images: namesOf(d.images) },
  };
}

function partialDocument(input: unknown): Checked {
  const o = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  const raw = (key: string): unknown[] => (Array.isArray(o[key]) ? (o[key] as unknown[]) : []);
  const each = <T>(key: string, schema: z.ZodType<T>): (T | undefined)[] =>
    raw(key).map((el) => {
      const r = schema.safeParse(el);
      return r.success ? r.data : undefined;
    });
  const metadata = typeof o.metadata === 'object' && o.metadata !== null ? (o.metadata as Record<string, unknown>) : {};
  const placement = typeof o.placement === 'object' && o.placement !== null && !Array.isArray(o.placement) ? (o.placement as Record<string, unknown>) : {};
  return {
    name: typeof metadata.name === 'string' ? metadata.name : '',
    underlayMtu: typeof o.underlayMtu === 'number' ? o.underlayMtu : 1500,
    switches: each('switches', Switch),
    routers: each('routers', Router),
    vms: each('vms', Vm),
    volumes: each('volumes', Volume),
    images: each('images', Image),
    placement,
    names: { switches: namesOf(raw('switches')), routers: namesOf(raw('routers')), vms: namesOf(raw('vms')), volumes: namesOf(raw('volumes')), images: namesOf(raw('images')) },
  };
}

// ---------------------------------------------------------------------------------------------------
// IPv4 subnets

interface Subnet {
  readonly cidr: string;
  readonly network: number;
  readonly prefix: number;
  readonly broadcast: number;
}

function subnet(cidr: string): Subnet & { readonly base: number } {
  const [addr = '', bits = '32'] = cidr.split('/');
  const base = parseIpv4(addr) ?? 0;
  const prefix = Number(bits);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const network = (base & mask) >>> 0;
  return { cidr, base, network, prefix, broadcast: (network | (~mask >>> 0)) >>> 0 };
}

const contains = (s: Subnet, address: number): boolean => address >= s.network && address <= s.broadcast;
const overlaps = (a: Subnet, b: Subnet): boolean => a.network <= b.broadcast && b.network <= a.broadcast;

/** Why an address can't be a host's on this subnet, or undefined if it can. */
function hostAddressProblem(s: Subnet, address: string): { message: string; fix: string } | undefined {
  const a = parseIpv4(address);
  if (a === undefined) return undefined; // the schema already said so
  if (!contains(s, a)) return { message: `${address} is not inside the switch's subnet ${s.cidr}`, fix: `use an address from ${formatIpv4(s.network)} to ${formatIpv4(s.broadcast)}` };
  if (s.prefix <= 30 && (a === s.network || a === s.broadcast)) {
    return { message: `${address} is the ${a === s.network ? 'network' : 'broadcast'} address of ${s.cidr}`, fix: `use an address from ${formatIpv4(s.network + 1)} to ${formatIpv4(s.broadcast - 1)}` };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// Semantic checks

function checkDocument(doc: Checked, ctx: ValidationContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const error = (path: Path, message: string, fix?: string) => out.push({ severity: 'error', path: jsonPath(path), message, ...(fix ? { fix } : {}) });
  const warning = (path: Path, message: string, fix?: string) => out.push({ severity: 'warning', path: jsonPath(path), message, ...(fix ? { fix } : {}) });

  const unique = <T>(list: string, items: readonly (T | undefined)[], key: (t: T) => string | undefined, what: (k: string) => string, field: string) => {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const k = item === undefined ? undefined : key(item);
      if (k === undefined) return;
      const first = seen.get(k);
      if (first === undefined) seen.set(k, i);
      else error([list, i, field], `${what(k)} is already used by ${list}[${first}]`, `give each of ${list} its own ${field}`);
    });
  };
  for (const list of ['switches', 'routers', 'vms', 'volumes', 'images'] as const) {
    unique(list, doc[list] as readonly ({ name: string } | undefined)[], (x) => x.name, (k) => `name "${k}"`, 'name');
  }
  unique('switches', doc.switches, (s) => String(s.vni), (k) => `VNI ${k}`, 'vni');

  // Switches: subnets, DHCP, MTU.
  const switches = new Map<string, { sw: Switch; index: number; subnet?: Subnet }>();
  doc.switches.forEach((sw, i) => {
    if (!sw || switches.has(sw.name)) return;
    let s: Subnet | undefined;
    if (sw.subnet !== undefined) {
      const sub = subnet(sw.subnet);
      if (sub.base !== sub.network) error(['switches', i, 'subnet'], `${sw.subnet} has host bits set`, `write the network address: ${formatIpv4(sub.network)}/${sub.prefix}`);
      else if (sub.prefix > 30) error(['switches', i, 'subnet'], `${sw.subnet} leaves no room for hosts`, 'use a /30 or larger subnet, e.g. a /24');
      s = sub;
    }
    if (sw.dhcp && sw.subnet === undefined) error(['switches', i, 'dhcp'], `switch "${sw.name}" serves DHCP but has no subnet to hand out`, 'add a subnet like 10.0.1.0/24, or turn dhcp off');
    if (sw.mtu !== undefined && sw.mtu > doc.underlayMtu - VXLAN_OVERHEAD) {
      error(['switches', i, 'mtu'], `MTU ${sw.mtu} does not fit in the ${doc.underlayMtu}-byte underlay once VXLAN adds ${VXLAN_OVERHEAD} bytes`, `use at most ${doc.underlayMtu - VXLAN_OVERHEAD}, or raise underlayMtu if your LAN carries jumbo frames`);
    }
    switches.set(sw.name, { sw, index: i, ...(s ? { subnet: s } : {}) });
  });

  const unknown = (path: Path, what: string, name: string, list: keyof Checked['names']) => {
    if (doc.names[list].has(name)) return; // defined, though broken: its own diagnostic says why
    const known = [...doc.names[list]].sort();
    error(path, `unknown ${what} "${name}"`, known.length ? `use one of ${list}: ${known.join(', ')}` : `define it under ${list}`);
  };

  // Addresses on each switch must be unique: router interfaces and static NIC addresses alike.
  const addressUsers = new Map<string, string>();
  const claimAddress = (sw: string, address: string, path: Path) => {
    const key = `${sw}\0${address}`;
    const first = addressUsers.get(key);
    if (first !== undefined) error(path, `${address} is already used on switch "${sw}" by ${first}`, 'give each interface on a switch its own address');
    else addressUsers.set(key, jsonPath(path));
  };
  const checkAddress = (swName: string, address: string, path: Path, who: string) => {
    const s = switches.get(swName);
    if (!s) return;
    if (!s.subnet) {
      error(path, `${who} has address ${address} but switch "${swName}" has no subnet`, `give switches[${s.index}] a subnet that holds ${address}`);
      return;
    }
    const problem = hostAddressProblem(s.subnet, address);
    if (problem) error(path, problem.message, problem.fix);
    claimAddress(swName, address, path);
  };

  doc.routers.forEach((router, r) => {
    if (!router) return;
    const joined = new Map<string, number>();
    router.interfaces.forEach((itf, i) => {
      const path = ['routers', r, 'interfaces', i];
      if (!switches.has(itf.switch)) return unknown([...path, 'switch'], 'switch', itf.switch, 'switches');
      const first = joined.get(itf.switch);
      if (first !== undefined) return error([...path, 'switch'], `router "${router.name}" is already on switch "${itf.switch}" (interfaces[${first}])`, 'a router has one interface per switch');
      joined.set(itf.switch, i);
      const s = switches.get(itf.switch)!;
      if (!s.subnet) return error([...path, 'switch'], `switch "${itf.switch}" has no subnet, so the router can't route it`, `give switches[${s.index}] a subnet`);
      checkAddress(itf.switch, itf.address, [...path, 'address'], `router "${router.name}"`);
    });
    const routed = [...joined.entries()].map(([sw, i]) => ({ sw, i, subnet: switches.get(sw)?.subnet })).filter((x) => x.subnet !== undefined);
    for (let a = 0; a < routed.length; a++) {
      for (let b = a + 1; b < routed.length; b++) {
        const x = routed[a]!;
        const y = routed[b]!;
        if (overlaps(x.subnet!, y.subnet!)) {
          error(['routers', r, 'interfaces', y.i, 'switch'], `switches "${x.sw}" (${x.subnet!.cidr}) and "${y.sw}" (${y.subnet!.cidr}) overlap, so router "${router.name}" can't tell them apart`, 'give the switches subnets that do not overlap');
        }
      }
    }
  });

  // VMs.
  const macs = new Map<string, string>();
  const volumeUsers = new Map<string, string>();
  doc.vms.forEach((vm, v) => {
    if (!vm) return;
    const at = (...rest: (string | number)[]): Path => ['vms', v, ...rest];
    if (vm.name.startsWith(RESERVED_PREFIX)) error(at('name'), `VM names starting with "${RESERVED_PREFIX}" are DCoD's own (the overlay's proxies)`, 'choose another name');
    if (WINDOWS_RESERVED.test(vm.name)) error(at('name'), `"${vm.name}" is a name Windows reserves, so VirtualBox can't create its folder on a Windows host`, 'choose another name');
    if (vm.image !== undefined) {
      if (!doc.images.some((img) => img?.name === vm.image)) unknown(at('image'), 'image', vm.image, 'images');
    }
    const limit = NIC_SLOTS[vm.chipset];
    if (vm.nics.length > limit) {
      error(at('nics'), `${vm.nics.length} NICs, but a ${vm.chipset} VM has ${limit} adapters`, vm.chipset === 'piix3' ? `set chipset: ich9 (up to ${NIC_SLOTS.ich9} NICs), or remove NICs` : 'remove NICs');
    }
    vm.nics.forEach((nic, n) => {
      if ('switch' in nic) {
        if (!switches.has(nic.switch)) unknown(at('nics', n, 'switch'), 'switch', nic.switch, 'switches');
        else if (nic.address !== undefined) checkAddress(nic.switch, nic.address, at('nics', n, 'address'), `VM "${vm.name}"`);
      }
      if (nic.mac !== undefined) {
        const mac = nic.mac.toUpperCase();
        if (Number.parseInt(mac.slice(0, 2), 16) & 1) error(at('nics', n, 'mac'), `${nic.mac} is a multicast MAC address (lowest bit of the first byte set)`, 'use a unicast one, e.g. starting with 080027');
        const first = macs.get(mac);
        if (first !== undefined) error(at('nics', n, 'mac'), `MAC ${nic.mac} is already used by ${first}`, 'give each NIC its own MAC, or leave mac out to get a fresh one');
        else macs.set(mac, jsonPath(at('nics', n)));
      }
    });
    if (vm.volumes.length > MAX_VOLUMES_PER_VM) error(at('volumes'), `${vm.volumes.length} volumes, but DCoD's SATA controller has ${MAX_VOLUMES_PER_VM} ports`, `attach at most ${MAX_VOLUMES_PER_VM}`);
    vm.volumes.forEach((vol, i) => {
      if (!doc.volumes.some((x) => x?.name === vol)) return unknown(at('volumes', i), 'volume', vol, 'volumes');
      const first = volumeUsers.get(vol);
      if (first !== undefined) return error(at('volumes', i), `volume "${vol}" is already attached to ${first}`, 'a volume belongs to one VM at a time: detach it there, or define another volume');
      volumeUsers.set(vol, `VM "${vm.name}"`);
    });
    const apart = new Set<string>();
    vm.apartFrom.forEach((other, i) => {
      if (other === vm.name) return error(at('apartFrom', i), `VM "${vm.name}" can't keep apart from itself`, 'remove it from apartFrom');
      if (!doc.names.vms.has(other)) return unknown(at('apartFrom', i), 'VM', other, 'vms');
      if (apart.has(other)) return warning(at('apartFrom', i), `"${other}" is listed twice`, 'remove the repeat');
      apart.add(other);
    });
  });
  doc.volumes.forEach((vol, i) => {
    if (!vol) return;
    if (WINDOWS_RESERVED.test(vol.name)) error(['volumes', i, 'name'], `"${vol.name}" is a name Windows reserves, so it can't be a disk file on a Windows host`, 'choose another name');
    if (!volumeUsers.has(vol.name)) warning(['volumes', i], `volume "${vol.name}" is attached to no VM, so it is kept where it is but not created anywhere`, 'list it in a VM\'s volumes');
  });

  checkPlacement(doc, ctx, error, warning);
  return out;
}

type Report = (path: Path, message: string, fix?: string) => void;

function checkPlacement(doc: Checked, ctx: ValidationContext, error: Report, warning: Report): void {
  const vms = new Map(doc.vms.filter((v): v is Vm => v !== undefined).map((v) => [v.name, v]));
  const inventory = ctx.inventory === undefined ? undefined : new Set(ctx.inventory.map((h) => h.name));
  const observed = new Map((ctx.observed ?? []).map((h) => [h.host, h]));
  const placedOn = new Map<string, string[]>();
  for (const [vm, host] of Object.entries(doc.placement).sort(([a], [b]) => a.localeCompare(b))) {
    const path = ['placement', vm];
    if (!doc.names.vms.has(vm)) error(path, `placement names VM "${vm}", which is not in vms`, 'remove it, or fix the VM name');
    if (typeof host !== 'string') continue; // the schema reported it
    if (inventory && !inventory.has(host)) {
      error(path, `host "${host}" is not in the inventory`, inventory.size ? `use one of ${[...inventory].sort().join(', ')}, or add the host` : 'add the host to the inventory first');
      continue;
    }
    const seen = observed.get(host);
    if (seen && (!seen.reachable || seen.vbox === null)) warning(path, `host "${host}" is ${seen.reachable ? 'reachable but has no VirtualBox' : 'unreachable'}, so "${vm}" can't be put there now`, 'place it elsewhere, or fix the host');
    if (vms.has(vm)) placedOn.set(host, [...(placedOn.get(host) ?? []), vm]);
  }
  for (const [host, names] of [...placedOn].sort(([a], [b]) => a.localeCompare(b))) {
    // Keeping apart is symmetric: either VM naming the other is enough.
    const pairs = new Set<string>();
    for (const name of names) {
      for (const other of vms.get(name)?.apartFrom ?? []) {
        const pair = [name, other].sort().join('\0');
        if (other === name || !names.includes(other) || pairs.has(pair)) continue;
        pairs.add(pair);
        error(['placement', name], `"${name}" keeps apart from "${other}", but both are placed on ${host}`, 'place one of them on another host, or drop apartFrom');
      }
    }
    const total = observed.get(host)?.hostInfo?.memorySizeMb;
    const running = names.map((n) => vms.get(n)!).filter((v) => v.power === 'running');
    const need = running.reduce((sum, v) => sum + v.memoryMb, 0);
    if (total !== undefined && need > total) {
      warning(['placement', running.at(-1)!.name], `the VMs placed on ${host} need ${need} MB of memory; the host has ${total} MB`, 'place some elsewhere, or give them less memory');
    }
  }
}
