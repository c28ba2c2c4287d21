/**
 * Every change the editor makes to the document, as pure functions: a document in, a new document out,
 * untouched parts shared (so history deltas and node rebuilds compare by reference). They never throw on
 * odd input — an edit that makes no sense returns the same document — and they never check what
 * validation checks: the document may be invalid while someone is still drawing it.
 *
 * Layout invariant: a placed VM's position is relative to its host's box (React Flow's parent/child
 * model), every other position is absolute. Edits that change a VM's host also change its position.
 */
import { clampIntoHost, GRID, HOST_HEADER, HOST_PAD, NODE_SIZE, snap, type Point } from './geometry';
import { edgeId, nodeId, parseEdgeId, parseNodeId, type EdgeRef, type EntityKind, type NodeRef } from './ids';
import { VNI_MAX, VNI_MIN, type Datacenter, type Nic, type Router, type Switch, type Vm, type Volume } from './model';

export type Layout = Datacenter['layout'];

/** The default name stem per kind: `vm1`, `net1`, `router1`, `disk1`. */
const STEM: Readonly<Record<EntityKind, string>> = { vm: 'vm', switch: 'net', router: 'router', volume: 'disk' };
const NAME_MAX = 63;

/** The document's array for each kind of entity. */
const COLLECTION = { vm: 'vms', switch: 'switches', router: 'routers', volume: 'volumes' } as const satisfies Record<EntityKind, keyof Datacenter>;

export function namesOf(doc: Datacenter, kind: EntityKind): Set<string> {
  return new Set(doc[COLLECTION[kind]].map((e) => e.name));
}

/**
 * A name not in `taken`, close to `wanted`: `web1` → `web2`, `db` → `db-2`. Trailing digits count up, so
 * copies of `web1` are `web2`, `web3`…, as people name them.
 */
export function freshName(taken: ReadonlySet<string>, wanted: string): string {
  if (!taken.has(wanted)) return wanted;
  const m = /^(.*?)(\d+)$/.exec(wanted);
  const stem = m ? m[1]! : `${wanted}-`;
  for (let n = m ? Number(m[2]) + 1 : 2; ; n++) {
    const suffix = String(n);
    const name = stem.slice(0, NAME_MAX - suffix.length) + suffix;
    if (!taken.has(name)) return name;
  }
}

export const newName = (doc: Datacenter, kind: EntityKind): string => freshName(namesOf(doc, kind), `${STEM[kind]}1`);

/** The next VNI above every one in use (from 1001, so hand-picked small ones stay free). */
export function nextVni(doc: Datacenter): number {
  const top = doc.switches.reduce((m, s) => Math.max(m, s.vni), 1000);
  if (top < VNI_MAX) return top + 1;
  const used = new Set(doc.switches.map((s) => s.vni));
  for (let v = VNI_MIN; v <= VNI_MAX; v++) if (!used.has(v)) return v;
  return VNI_MAX; // all 16M taken: validation will say so
}

function withLayout(doc: Datacenter, changes: Readonly<Record<string, Point | undefined>>): Datacenter {
  const layout: Record<string, Point> = { ...doc.layout };
  for (const [id, p] of Object.entries(changes)) {
    if (p) layout[id] = { x: p.x, y: p.y };
    else delete layout[id];
  }
  return { ...doc, layout };
}

/** Moves nodes; positions are as React Flow reports them (relative to the host for a placed VM). */
export function moveNodes(doc: Datacenter, positions: Readonly<Record<string, Point>>): Datacenter {
  const changed = Object.entries(positions).filter(([id, p]) => {
    const old = doc.layout[id];
    return !old || old.x !== p.x || old.y !== p.y;
  });
  return changed.length ? withLayout(doc, Object.fromEntries(changed)) : doc;
}

const STEP_X = NODE_SIZE.vm.width + HOST_PAD;
const STEP_Y = NODE_SIZE.vm.height + HOST_PAD;

/** The positions of a host's VMs (relative to it), but `except`'s. */
function vmSpots(doc: Datacenter, host: string, except?: string): Point[] {
  return doc.vms
    .filter((vm) => vm.name !== except && doc.placement[vm.name] === host)
    .map((vm) => doc.layout[nodeId('vm', vm.name)])
    .filter((p): p is Point => Boolean(p));
}

const overlapsAny = (spots: readonly Point[], p: Point) => spots.some((t) => Math.abs(t.x - p.x) < NODE_SIZE.vm.width + GRID && Math.abs(t.y - p.y) < NODE_SIZE.vm.height + GRID);

/**
 * Where a VM goes in a host: `near` itself when nothing is there, else the free cell of the host's VM grid
 * nearest to it; without `near`, the first free cell (two columns, then rows).
 */
export function freeSlot(doc: Datacenter, host: string, near?: Point, except?: string): Point {
  const spots = vmSpots(doc, host, except);
  if (near && !overlapsAny(spots, near)) return near;
  const cells: Point[] = [];
  const cols = near ? 6 : 2;
  for (let row = 0; row <= spots.length + 1; row++) for (let col = 0; col < cols; col++) cells.push({ x: HOST_PAD + col * STEP_X, y: HOST_HEADER + row * STEP_Y });
  const free = cells.filter((c) => !overlapsAny(spots, c));
  if (near) free.sort((a, b) => Math.hypot(a.x - near.x, a.y - near.y) - Math.hypot(b.x - near.x, b.y - near.y));
  return free[0]!;
}

// -------------------------------------------------------------------------------------------- creating

export interface Created {
  readonly doc: Datacenter;
  readonly id: string;
}

/** A new VM with the schema's defaults, on `host` at a position relative to it, or unplaced at `at`. */
export function addVm(doc: Datacenter, at: Point, host?: string): Created {
  const vm: Vm = { name: newName(doc, 'vm'), cpus: 1, memoryMb: 512, nics: [], volumes: [], power: 'running', chipset: 'piix3', apartFrom: [] };
  const id = nodeId('vm', vm.name);
  const placed = host === undefined ? doc : { ...doc, placement: { ...doc.placement, [vm.name]: host } };
  return { doc: withLayout({ ...placed, vms: [...doc.vms, vm] }, { [id]: host === undefined ? snap(at) : freeSlot(doc, host, snap(clampIntoHost(at))) }), id };
}

export function addSwitch(doc: Datacenter, at: Point): Created {
  const sw: Switch = { name: newName(doc, 'switch'), vni: nextVni(doc), dhcp: false };
  const id = nodeId('switch', sw.name);
  return { doc: withLayout({ ...doc, switches: [...doc.switches, sw] }, { [id]: snap(at) }), id };
}

/**
 * A new router. The schema wants at least one interface, which needs an address the user chooses, so it
 * starts with none and validation asks for one; drawing an edge to a switch adds it.
 */
export function addRouter(doc: Datacenter, at: Point): Created {
  const router: Router = { name: newName(doc, 'router'), interfaces: [], natUplink: false };
  const id = nodeId('router', router.name);
  return { doc: withLayout({ ...doc, routers: [...doc.routers, router] }, { [id]: snap(at) }), id };
}

/** A new 10 GiB volume, attached to `vm` when it was dropped on one. */
export function addVolume(doc: Datacenter, at: Point, vm?: string): Created {
  const volume: Volume = { name: newName(doc, 'volume'), sizeMb: 10_240, format: 'vdi' };
  const id = nodeId('volume', volume.name);
  const next = withLayout({ ...doc, volumes: [...doc.volumes, volume] }, { [id]: snap(at) });
  return { doc: vm ? attachVolume(next, vm, volume.name) : next, id };
}

// ------------------------------------------------------------------------------------------- connecting

/** Which edges a person may draw: VM–switch (a NIC), router–switch (an interface), volume–VM (a disk). */
export function canConnect(a: NodeRef, b: NodeRef): boolean {
  const kinds = new Set([a.kind, b.kind]);
  return kinds.size === 2 && (kinds.has('switch') ? kinds.has('vm') || kinds.has('router') : kinds.has('vm') && kinds.has('volume'));
}

function updateIn<K extends 'vms' | 'switches' | 'routers' | 'volumes'>(doc: Datacenter, key: K, name: string, f: (e: Datacenter[K][number]) => Datacenter[K][number]): Datacenter {
  const list = doc[key] as readonly Datacenter[K][number][];
  const i = list.findIndex((e) => e.name === name);
  if (i < 0) return doc;
  const next = f(list[i]!);
  if (next === list[i]) return doc;
  return { ...doc, [key]: list.map((e, j) => (j === i ? next : e)) };
}

export function attachVolume(doc: Datacenter, vm: string, volume: string): Datacenter {
  return updateIn(doc, 'vms', vm, (v) => (v.volumes.includes(volume) ? v : { ...v, volumes: [...v.volumes, volume] }));
}

/**
 * Draws an edge between two nodes, in either direction. A router gets the switch's first free host
 * address when the switch has a subnet; otherwise an empty one that validation points at.
 * Returns the same document when the pair can't be connected, and the new edge's id when it was.
 */
export function connect(doc: Datacenter, a: NodeRef, b: NodeRef): { doc: Datacenter; edge?: string } {
  if (!canConnect(a, b)) return { doc };
  const pick = (kind: NodeRef['kind']) => (a.kind === kind ? a.name : b.name);
  if (a.kind === 'switch' || b.kind === 'switch') {
    const sw = pick('switch');
    if (!doc.switches.some((s) => s.name === sw)) return { doc };
    if (a.kind === 'vm' || b.kind === 'vm') {
      const vm = doc.vms.find((v) => v.name === pick('vm'));
      if (!vm) return { doc };
      const next = updateIn(doc, 'vms', vm.name, (v) => ({ ...v, nics: [...v.nics, { switch: sw }] }));
      return { doc: next, edge: edgeId({ kind: 'nic', vm: vm.name, index: vm.nics.length }) };
    }
    const router = doc.routers.find((r) => r.name === pick('router'));
    if (!router) return { doc };
    const address = freeAddress(doc, sw) ?? '';
    const next = updateIn(doc, 'routers', router.name, (r) => ({ ...r, interfaces: [...r.interfaces, { switch: sw, address }] }));
    return { doc: next, edge: edgeId({ kind: 'rif', router: router.name, index: router.interfaces.length }) };
  }
  const vm = pick('vm');
  const volume = pick('volume');
  if (!doc.vms.some((v) => v.name === vm) || !doc.volumes.some((v) => v.name === volume)) return { doc };
  const next = attachVolume(doc, vm, volume);
  return next === doc ? { doc } : { doc: next, edge: edgeId({ kind: 'disk', vm, volume }) };
}

const ipToInt = (ip: string) => ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
const intToIp = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

/** The lowest host address of a switch's subnet that no router interface or static NIC uses. */
export function freeAddress(doc: Datacenter, sw: string): string | undefined {
  const subnet = doc.switches.find((s) => s.name === sw)?.subnet;
  if (!subnet) return undefined;
  const [base, bitsText] = subnet.split('/');
  const bits = Number(bitsText);
  if (!base || bits > 30) return undefined;
  const size = 2 ** (32 - bits);
  const network = ipToInt(base) - (ipToInt(base) % size);
  const used = new Set<string>();
  for (const r of doc.routers) for (const i of r.interfaces) if (i.switch === sw) used.add(i.address);
  for (const vm of doc.vms) for (const n of vm.nics) if ('switch' in n && n.switch === sw && n.address) used.add(n.address);
  for (let h = 1; h < size - 1; h++) {
    const ip = intToIp(network + h);
    if (!used.has(ip)) return ip;
  }
  return undefined;
}

// -------------------------------------------------------------------------------------------- placement

/**
 * Puts a VM on a host (or, with `host` undefined, leaves it to the scheduler), at `at` — relative to the
 * new host, or absolute when unplaced. Changing the host is what makes the planner move the VM.
 */
export function placeVm(doc: Datacenter, vm: string, host: string | undefined, at: Point): Datacenter {
  if (!doc.vms.some((v) => v.name === vm)) return doc;
  const placement = { ...doc.placement };
  if (host === undefined) delete placement[vm];
  else placement[vm] = host;
  const pos = host === undefined ? snap(at) : freeSlot(doc, host, snap(clampIntoHost(at)), vm);
  const same = doc.placement[vm] === host && doc.layout[nodeId('vm', vm)]?.x === pos.x && doc.layout[nodeId('vm', vm)]?.y === pos.y;
  return same ? doc : withLayout({ ...doc, placement }, { [nodeId('vm', vm)]: pos });
}

// ------------------------------------------------------------------------------------------- updating

export type EntityOf<K extends EntityKind> = { vm: Vm; switch: Switch; router: Router; volume: Volume }[K];

/** Replaces fields of one entity (not its name: see `rename`). */
export function updateEntity<K extends EntityKind>(doc: Datacenter, kind: K, name: string, patch: Partial<Omit<EntityOf<K>, 'name'>>): Datacenter {
  return updateIn(doc, COLLECTION[kind], name, (e) => {
    const keys = Object.keys(patch) as (keyof typeof patch)[];
    if (keys.every((k) => (e as Record<string, unknown>)[k as string] === patch[k])) return e;
    const next: Record<string, unknown> = { ...e, ...patch };
    for (const k of keys) if (patch[k] === undefined) delete next[k as string];
    return next as typeof e;
  });
}

/** The datacenter's own fields: its name and the underlay's MTU. */
export function setDatacenter(doc: Datacenter, patch: { readonly name?: string; readonly underlayMtu?: number }): Datacenter {
  const name = patch.name ?? doc.metadata.name;
  const underlayMtu = patch.underlayMtu ?? doc.underlayMtu;
  if (name === doc.metadata.name && underlayMtu === doc.underlayMtu) return doc;
  return { ...doc, underlayMtu, metadata: name === doc.metadata.name ? doc.metadata : { ...doc.metadata, name } };
}

/**
 * Renames an entity and every reference to it: placement and layout keys, NICs and router interfaces on
 * a switch, volume attachments, anti-affinity lists. Refuses (same document) a name already taken.
 */
export function rename(doc: Datacenter, kind: EntityKind, from: string, to: string): Datacenter {
  if (from === to || namesOf(doc, kind).has(to) || !namesOf(doc, kind).has(from)) return doc;
  const key = COLLECTION[kind];
  let next: Datacenter = { ...doc, [key]: (doc[key] as readonly { name: string }[]).map((e) => (e.name === from ? { ...e, name: to } : e)) };
  const pos = doc.layout[nodeId(kind, from)];
  if (pos) next = withLayout(next, { [nodeId(kind, from)]: undefined, [nodeId(kind, to)]: pos });
  const swap = (n: string) => (n === from ? to : n);
  if (kind === 'vm') {
    const placement: Record<string, string> = {};
    for (const [vm, host] of Object.entries(next.placement)) placement[swap(vm)] = host;
    next = { ...next, placement, vms: next.vms.map((v) => (v.apartFrom.includes(from) ? { ...v, apartFrom: v.apartFrom.map(swap) } : v)) };
  } else if (kind === 'switch') {
    next = {
      ...next,
      vms: next.vms.map((v) => (v.nics.some((n) => 'switch' in n && n.switch === from) ? { ...v, nics: v.nics.map((n) => ('switch' in n ? { ...n, switch: swap(n.switch) } : n)) } : v)),
      routers: next.routers.map((r) => (r.interfaces.some((i) => i.switch === from) ? { ...r, interfaces: r.interfaces.map((i) => ({ ...i, switch: swap(i.switch) })) } : r)),
    };
  } else if (kind === 'volume') {
    next = { ...next, vms: next.vms.map((v) => (v.volumes.includes(from) ? { ...v, volumes: v.volumes.map(swap) } : v)) };
  }
  return next;
}

// ------------------------------------------------------------------------------------------- removing

/**
 * Removes nodes and edges by canvas id, with everything that pointed at the removed nodes: a switch takes
 * its NICs and router interfaces along, a volume its attachments, a VM its placement. Host nodes are the
 * inventory's, not the document's: they are left alone.
 */
export function remove(doc: Datacenter, ids: readonly string[]): Datacenter {
  const gone: Record<EntityKind, Set<string>> = { vm: new Set(), switch: new Set(), router: new Set(), volume: new Set() };
  const edges: EdgeRef[] = [];
  for (const id of ids) {
    const node = parseNodeId(id);
    if (node && node.kind !== 'host') gone[node.kind].add(node.name);
    const edge = node ? undefined : parseEdgeId(id);
    if (edge) edges.push(edge);
  }
  const nicsGone = (vm: string, i: number) => edges.some((e) => e.kind === 'nic' && e.vm === vm && e.index === i);
  const rifGone = (router: string, i: number) => edges.some((e) => e.kind === 'rif' && e.router === router && e.index === i);
  const diskGone = (vm: string, volume: string) => gone.volume.has(volume) || edges.some((e) => e.kind === 'disk' && e.vm === vm && e.volume === volume);
  const any = Object.values(gone).some((s) => s.size) || edges.length;
  if (!any) return doc;

  const vms = doc.vms
    .filter((v) => !gone.vm.has(v.name))
    .map((v) => {
      const nics = v.nics.filter((n, i) => !nicsGone(v.name, i) && !('switch' in n && gone.switch.has(n.switch)));
      const volumes = v.volumes.filter((vol) => !diskGone(v.name, vol));
      const apartFrom = v.apartFrom.filter((o) => !gone.vm.has(o));
      return nics.length === v.nics.length && volumes.length === v.volumes.length && apartFrom.length === v.apartFrom.length ? v : { ...v, nics, volumes, apartFrom };
    });
  const routers = doc.routers
    .filter((r) => !gone.router.has(r.name))
    .map((r) => {
      const interfaces = r.interfaces.filter((itf, i) => !rifGone(r.name, i) && !gone.switch.has(itf.switch));
      return interfaces.length === r.interfaces.length ? r : { ...r, interfaces };
    });
  const placement = Object.fromEntries(Object.entries(doc.placement).filter(([vm]) => !gone.vm.has(vm)));
  const layout = Object.fromEntries(
    Object.entries(doc.layout).filter(([id]) => {
      const n = parseNodeId(id);
      return !(n && n.kind !== 'host' && gone[n.kind].has(n.name));
    }),
  );
  return {
    ...doc,
    vms,
    routers,
    switches: doc.switches.filter((s) => !gone.switch.has(s.name)),
    volumes: doc.volumes.filter((v) => !gone.volume.has(v.name)),
    placement,
    layout,
  };
}

// ---------------------------------------------------------------------------------------- copy & paste

/** What Ctrl+C keeps: the copied entities as they were, with their hosts and positions. */
export interface Clip {
  readonly vms: readonly Vm[];
  readonly switches: readonly Switch[];
  readonly routers: readonly Router[];
  readonly volumes: readonly Volume[];
  readonly placement: Readonly<Record<string, string>>;
  readonly layout: Layout;
}

export function copy(doc: Datacenter, ids: readonly string[]): Clip | undefined {
  const want: Record<EntityKind, Set<string>> = { vm: new Set(), switch: new Set(), router: new Set(), volume: new Set() };
  for (const id of ids) {
    const n = parseNodeId(id);
    if (n && n.kind !== 'host') want[n.kind].add(n.name);
  }
  const clip: Clip = {
    vms: doc.vms.filter((v) => want.vm.has(v.name)),
    switches: doc.switches.filter((s) => want.switch.has(s.name)),
    routers: doc.routers.filter((r) => want.router.has(r.name)),
    volumes: doc.volumes.filter((v) => want.volume.has(v.name)),
    placement: Object.fromEntries(Object.entries(doc.placement).filter(([vm]) => want.vm.has(vm))),
    layout: Object.fromEntries(Object.entries(doc.layout).filter(([id]) => ids.includes(id))),
  };
  return clip.vms.length + clip.switches.length + clip.routers.length + clip.volumes.length ? clip : undefined;
}

/** How far a paste lands from what was copied, so the copies don't hide the originals. */
export const PASTE_OFFSET: Point = { x: 4 * GRID, y: 4 * GRID };

/**
 * Adds copies of a clip under fresh names, offset. References among the copies are remapped (a copied VM
 * on a copied switch lands on the copy); references to things left behind stay, except what must be
 * unique per VM: MACs and static addresses are dropped, and so are disks that were not copied along.
 * Returns the new document and the ids of the copies (to select them).
 */
export function paste(doc: Datacenter, clip: Clip, offset: Point = PASTE_OFFSET): { doc: Datacenter; ids: string[] } {
  const maps: Record<EntityKind, Map<string, string>> = { vm: new Map(), switch: new Map(), router: new Map(), volume: new Map() };
  const name = (kind: EntityKind, old: string) => {
    const taken = new Set([...namesOf(doc, kind), ...maps[kind].values()]);
    const fresh = freshName(taken, old);
    maps[kind].set(old, fresh);
    return fresh;
  };
  const switches = clip.switches.map((s, i) => ({ ...s, name: name('switch', s.name), vni: nextVni(doc) + i }));
  const volumes = clip.volumes.map((v) => ({ ...v, name: name('volume', v.name) }));
  const vmNames = clip.vms.map((v) => name('vm', v.name));
  const sw = (n: string) => maps.switch.get(n) ?? n;
  const vms = clip.vms.map(
    (v, i): Vm => ({
      ...v,
      name: vmNames[i]!,
      nics: v.nics.map((n): Nic => ('switch' in n ? { switch: sw(n.switch) } : { bridged: true })),
      volumes: v.volumes.flatMap((vol) => (maps.volume.has(vol) ? [maps.volume.get(vol)!] : [])),
      apartFrom: v.apartFrom.map((o) => maps.vm.get(o) ?? o),
    }),
  );
  const routers = clip.routers.map((r) => ({ ...r, name: name('router', r.name), interfaces: r.interfaces.map((itf) => ({ ...itf, switch: sw(itf.switch) })) }));

  const placement = { ...doc.placement };
  for (const [vm, host] of Object.entries(clip.placement)) {
    const copyName = maps.vm.get(vm);
    if (copyName) placement[copyName] = host;
  }
  let next: Datacenter = {
    ...doc,
    vms: [...doc.vms, ...vms],
    switches: [...doc.switches, ...switches],
    routers: [...doc.routers, ...routers],
    volumes: [...doc.volumes, ...volumes],
    placement,
  };
  const ids: string[] = [];
  for (const kind of ['vm', 'switch', 'router', 'volume'] as const) {
    for (const [old, fresh] of maps[kind]) {
      const id = nodeId(kind, fresh);
      ids.push(id);
      const p = clip.layout[nodeId(kind, old)];
      if (!p) continue;
      const moved = { x: p.x + offset.x, y: p.y + offset.y };
      // A copy inside a host takes a free cell there rather than covering its original.
      const host = kind === 'vm' ? placement[fresh] : undefined;
      next = withLayout(next, { [id]: host === undefined ? moved : freeSlot(next, host, snap(moved), fresh) });
    }
  }
  return { doc: next, ids };
}
