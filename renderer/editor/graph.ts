/**
 * The document merged with what the hosts report, as React Flow nodes and edges — a pure function.
 *
 * Node `data` holds only primitives, so "did this node change" is a shallow compare; a rebuild hands back
 * the previous node object for every node that didn't change, so React Flow (and each memoised node)
 * re-renders only what an edit touched. With 1,000 nodes this is the difference between an edit costing
 * one node's render and costing a thousand.
 */
import type { Edge, Node } from '@xyflow/react';
import type { HostView, ObservedHost } from '../../src/api/contract';
import { hostStatus, type Tone } from '../hosts/status';
import { HOST_HEADER, HOST_PAD, hostSize, NODE_SIZE, type Point, type Size } from './geometry';
import { edgeId, nodeId } from './ids';
import type { Datacenter } from './model';
import type { Problem } from './validation';

// ------------------------------------------------------------------------------------------- node data

/** What every node shows of validation: the first message, and how many there are. */
type Flagged = {
  readonly problem?: string;
  readonly problems: number;
};

export type HostData = Flagged & {
  readonly kind: 'host';
  readonly name: string;
  /** False for a host the document places VMs on that is not in the inventory. */
  readonly known: boolean;
  readonly tone: Tone;
  readonly status: string;
  /** vCPUs and memory of the document's VMs placed here, against what the host has (undefined: not read yet). */
  readonly cpuWanted: number;
  readonly cpuTotal?: number;
  readonly memWantedMb: number;
  readonly memTotalMb?: number;
  readonly vmCount: number;
};

/**
 * How a VM compares with what its host reports (for display; the plan says exactly what will happen):
 * `new` not on any host yet, `ok` as desired, `drift` there but not in the desired power state, `moving`
 * on another host than placed, `unknown` its host can't be read, `orphan` on a host but no longer in the
 * document (the plan deletes it; undoing the edit that removed it brings it back).
 */
export type VmStatus = 'new' | 'ok' | 'drift' | 'moving' | 'unknown' | 'orphan';

export type VmData = Flagged & {
  readonly kind: 'vm';
  readonly name: string;
  readonly cpus: number;
  readonly memoryMb: number;
  readonly image?: string;
  readonly power: 'running' | 'stopped';
  /** VirtualBox's state where it was found (`running`, `poweroff`, …). */
  readonly observed?: string;
  readonly observedHost?: string;
  readonly status: VmStatus;
  readonly nics: number;
  readonly bridged: number;
  readonly disks: number;
};

export type SwitchData = Flagged & {
  readonly kind: 'switch';
  readonly name: string;
  readonly vni: number;
  readonly subnet?: string;
  readonly dhcp: boolean;
  readonly mtu?: number;
  /** NICs and router interfaces on it. */
  readonly ports: number;
};

export type RouterData = Flagged & {
  readonly kind: 'router';
  readonly name: string;
  readonly interfaces: number;
  readonly natUplink: boolean;
};

export type VolumeData = Flagged & {
  readonly kind: 'volume';
  readonly name: string;
  readonly sizeMb: number;
  readonly format: 'vdi' | 'vmdk';
  readonly attached: number;
};

export type NodeData = HostData | VmData | SwitchData | RouterData | VolumeData;
export type EditorNode = Node<NodeData, NodeData['kind']>;

/** What an edge stands for, and the short label drawn on it. */
export type LinkData = {
  readonly kind: 'nic' | 'rif' | 'disk';
  readonly label?: string;
};
export type EditorEdge = Edge<LinkData, 'link'>;

// ------------------------------------------------------------------------------------------- observed

/**
 * The extradata keys the core tags a datacenter's VMs with (and `vm`, the role of a document VM as
 * opposed to an overlay proxy). The contract doesn't export them (they live in src/model/tags.ts, out of
 * the renderer's reach), so they are repeated here.
 */
export const EXTRA_DATACENTER = 'dcod/datacenter';
export const EXTRA_ROLE = 'dcod/role';

export interface SeenVm {
  readonly host: string;
  readonly state: string;
}

/** Where each of this datacenter's VMs is, by what the hosts report (a VM seen twice: the first host wins). */
export function observedVms(datacenter: string, hosts: readonly HostView[]): Map<string, SeenVm> {
  const seen = new Map<string, SeenVm>();
  for (const h of hosts) {
    for (const vm of h.observed?.vms ?? []) {
      if (vm.extraData[EXTRA_DATACENTER] === datacenter && vm.extraData[EXTRA_ROLE] === 'vm' && !seen.has(vm.name)) seen.set(vm.name, { host: h.host.name, state: vm.state });
    }
  }
  return seen;
}

function vmStatus(power: 'running' | 'stopped', placedOn: string | undefined, seen: SeenVm | undefined, hostObserved: ObservedHost | undefined): VmStatus {
  if (!seen) return placedOn !== undefined && hostObserved && !hostObserved.reachable ? 'unknown' : 'new';
  if (placedOn !== undefined && seen.host !== placedOn) return 'moving';
  const running = seen.state === 'running' || seen.state === 'paused';
  return running === (power === 'running') ? 'ok' : 'drift';
}

// -------------------------------------------------------------------------------------------- building

export interface GraphInput {
  readonly doc: Datacenter;
  readonly hosts: readonly HostView[];
  readonly problems: ReadonlyMap<string, readonly Problem[]>;
  readonly selection: ReadonlySet<string>;
  /** Lower-case search text; nodes whose name doesn't hold it are dimmed. Empty: nothing dimmed. */
  readonly search: string;
}

export interface Graph {
  readonly nodes: EditorNode[];
  readonly edges: EditorEdge[];
}

const flagged = (problems: readonly Problem[] | undefined): Flagged => {
  const first = problems?.[0];
  return first ? { problem: first.field ? `${first.field}: ${first.message}` : first.message, problems: problems.length } : { problems: 0 };
};

/**
 * Stacking (the canvas runs React Flow's manual z-index mode): cables above the host boxes they cross but
 * under every node, so a click on a VM never lands on a cable drawn over it; the selection on top.
 */
const Z = { host: 0, edge: 1, node: 2, selected: 3 } as const;

/** Where things with no saved position go until someone lays them out: rows by kind above the hosts. */
const ROW_Y = { router: -360, switch: -220, vm: -520, volume: -640 } as const;
const ROW_GAP = 40;

function fallback(kind: keyof typeof ROW_Y, index: number): Point {
  return { x: index * (NODE_SIZE[kind].width + ROW_GAP), y: ROW_Y[kind] };
}

/** Builds the canvas from scratch; `reuse` then swaps in every previous node and edge that didn't change. */
export function buildGraph(input: GraphInput): Graph {
  const { doc, hosts, problems, selection, search } = input;
  const seen = observedVms(doc.metadata.name, hosts);
  const nodes: EditorNode[] = [];
  const edges: EditorEdge[] = [];
  const dim = (name: string) => (search && !name.toLowerCase().includes(search) ? 'dim' : undefined);
  const base = (id: string, name: string, host = false) => {
    const className = dim(name);
    const selected = selection.has(id);
    return { id, selected, zIndex: host ? Z.host : selected ? Z.selected : Z.node, ...(className ? { className } : {}) };
  };

  // Hosts: the inventory's, then any the document places VMs on that the inventory doesn't have.
  const views = new Map(hosts.map((h) => [h.host.name, h]));
  const hostNames = [...views.keys()];
  for (const host of new Set(Object.values(doc.placement))) if (!views.has(host)) hostNames.push(host);
  const vmsOn = new Map<string, Datacenter['vms'][number][]>(hostNames.map((h) => [h, []]));
  /** Each placed VM's index among its host's VMs (its grid cell when it has no position). */
  const slot = new Map<string, number>();
  for (const vm of doc.vms) {
    const h = doc.placement[vm.name];
    if (h === undefined) continue;
    const list = vmsOn.get(h)!;
    slot.set(vm.name, list.length);
    list.push(vm);
  }

  let nextHostX = 0;
  for (const name of hostNames) {
    const id = nodeId('host', name);
    const view = views.get(name);
    const placed = vmsOn.get(name)!;
    const size: Size = hostSize(placed.map((vm, i) => doc.layout[nodeId('vm', vm.name)] ?? gridSlot(i)));
    const position = doc.layout[id] ?? { x: nextHostX, y: 0 };
    nextHostX = Math.max(nextHostX, position.x + size.width + 2 * ROW_GAP);
    const status = view ? hostStatus(view) : { tone: 'error' as const, label: 'Not in the inventory' };
    const info = view?.observed?.hostInfo;
    const data: HostData = {
      kind: 'host',
      name,
      known: Boolean(view),
      tone: status.tone,
      status: status.label,
      cpuWanted: placed.reduce((n, vm) => n + vm.cpus, 0),
      ...(info?.processorCount === undefined ? {} : { cpuTotal: info.processorCount }),
      memWantedMb: placed.reduce((n, vm) => n + vm.memoryMb, 0),
      ...(info?.memorySizeMb === undefined ? {} : { memTotalMb: info.memorySizeMb }),
      vmCount: placed.length,
      ...flagged(problems.get(id)),
    };
    nodes.push({ ...base(id, name, true), type: 'host', position, width: size.width, height: size.height, data, selectable: true, connectable: false });
  }

  const observedHost = (name: string | undefined) => (name === undefined ? undefined : views.get(name)?.observed);
  const unplacedIndex = { n: 0 };
  for (const vm of doc.vms) {
    const id = nodeId('vm', vm.name);
    const host = doc.placement[vm.name];
    const s = seen.get(vm.name);
    const position = doc.layout[id] ?? (host === undefined ? fallback('vm', unplacedIndex.n++) : gridSlot(slot.get(vm.name)!));
    const data: VmData = {
      kind: 'vm',
      name: vm.name,
      cpus: vm.cpus,
      memoryMb: vm.memoryMb,
      ...(vm.image === undefined ? {} : { image: vm.image }),
      power: vm.power,
      ...(s ? { observed: s.state, observedHost: s.host } : {}),
      status: vmStatus(vm.power, host, s, observedHost(host)),
      nics: vm.nics.length,
      bridged: vm.nics.filter((n) => 'bridged' in n).length,
      disks: vm.volumes.length,
      ...flagged(problems.get(id)),
    };
    nodes.push({ ...base(id, vm.name), type: 'vm', position, width: NODE_SIZE.vm.width, height: NODE_SIZE.vm.height, data, ...(host === undefined ? {} : { parentId: nodeId('host', host) }) });
  }

  // The datacenter's VMs the hosts still run that the document no longer has: shown where they are,
  // read-only, so what an apply will delete is on the canvas before it happens.
  const inDoc = new Set(doc.vms.map((v) => v.name));
  const orphanIndex = new Map<string, number>();
  for (const [name, s] of seen) {
    if (inDoc.has(name) || !vmsOn.has(s.host)) continue;
    const i = (vmsOn.get(s.host)!.length) + (orphanIndex.get(s.host) ?? 0);
    orphanIndex.set(s.host, (orphanIndex.get(s.host) ?? 0) + 1);
    const id = nodeId('vm', name);
    const data: VmData = { kind: 'vm', name, cpus: 0, memoryMb: 0, power: 'stopped', observed: s.state, observedHost: s.host, status: 'orphan', nics: 0, bridged: 0, disks: 0, problems: 0 };
    nodes.push({ ...base(id, name), type: 'vm', position: gridSlot(i), width: NODE_SIZE.vm.width, height: NODE_SIZE.vm.height, data, parentId: nodeId('host', s.host), draggable: false, connectable: false });
  }

  const ports = new Map<string, number>();
  const port = (sw: string) => ports.set(sw, (ports.get(sw) ?? 0) + 1);
  const switches = new Set(doc.switches.map((s) => s.name));
  const volumes = new Set(doc.volumes.map((v) => v.name));
  const edgeBase = (id: string) => ({ id, type: 'link' as const, selected: selection.has(id), zIndex: Z.edge });
  for (const vm of doc.vms) {
    vm.nics.forEach((nic, index) => {
      if (!('switch' in nic) || !switches.has(nic.switch)) return;
      port(nic.switch);
      const data: LinkData = { kind: 'nic', label: nic.address ?? `nic${index + 1}` };
      edges.push({ ...edgeBase(edgeId({ kind: 'nic', vm: vm.name, index })), source: nodeId('vm', vm.name), target: nodeId('switch', nic.switch), data });
    });
    for (const volume of vm.volumes) {
      if (!volumes.has(volume)) continue;
      edges.push({ ...edgeBase(edgeId({ kind: 'disk', vm: vm.name, volume })), source: nodeId('volume', volume), target: nodeId('vm', vm.name), data: { kind: 'disk' } });
    }
  }
  for (const r of doc.routers) {
    r.interfaces.forEach((itf, index) => {
      if (!switches.has(itf.switch)) return;
      port(itf.switch);
      const data: LinkData = itf.address ? { kind: 'rif', label: itf.address } : { kind: 'rif' };
      edges.push({ ...edgeBase(edgeId({ kind: 'rif', router: r.name, index })), source: nodeId('router', r.name), target: nodeId('switch', itf.switch), data });
    });
  }

  doc.switches.forEach((sw, i) => {
    const id = nodeId('switch', sw.name);
    const data: SwitchData = {
      kind: 'switch',
      name: sw.name,
      vni: sw.vni,
      ...(sw.subnet === undefined ? {} : { subnet: sw.subnet }),
      dhcp: sw.dhcp,
      ...(sw.mtu === undefined ? {} : { mtu: sw.mtu }),
      ports: ports.get(sw.name) ?? 0,
      ...flagged(problems.get(id)),
    };
    nodes.push({ ...base(id, sw.name), type: 'switch', position: doc.layout[id] ?? fallback('switch', i), width: NODE_SIZE.switch.width, height: NODE_SIZE.switch.height, data });
  });
  doc.routers.forEach((r, i) => {
    const id = nodeId('router', r.name);
    const data: RouterData = { kind: 'router', name: r.name, interfaces: r.interfaces.length, natUplink: r.natUplink, ...flagged(problems.get(id)) };
    nodes.push({ ...base(id, r.name), type: 'router', position: doc.layout[id] ?? fallback('router', i), width: NODE_SIZE.router.width, height: NODE_SIZE.router.height, data });
  });
  const attached = new Map<string, number>();
  for (const vm of doc.vms) for (const v of vm.volumes) attached.set(v, (attached.get(v) ?? 0) + 1);
  doc.volumes.forEach((v, i) => {
    const id = nodeId('volume', v.name);
    const data: VolumeData = { kind: 'volume', name: v.name, sizeMb: v.sizeMb, format: v.format, attached: attached.get(v.name) ?? 0, ...flagged(problems.get(id)) };
    nodes.push({ ...base(id, v.name), type: 'volume', position: doc.layout[id] ?? fallback('volume', i), width: NODE_SIZE.volume.width, height: NODE_SIZE.volume.height, data });
  });
  return { nodes, edges };
}

/** A VM's place in its host when it has none saved: two columns under the header. */
function gridSlot(i: number): Point {
  return { x: HOST_PAD + (i % 2) * (NODE_SIZE.vm.width + HOST_PAD), y: HOST_HEADER + Math.floor(i / 2) * (NODE_SIZE.vm.height + HOST_PAD) };
}

// ---------------------------------------------------------------------------------------------- reuse

function shallowEqual(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

function sameNode(a: EditorNode, b: EditorNode): boolean {
  return (
    a.type === b.type &&
    a.parentId === b.parentId &&
    a.position.x === b.position.x &&
    a.position.y === b.position.y &&
    a.width === b.width &&
    a.height === b.height &&
    Boolean(a.selected) === Boolean(b.selected) &&
    a.className === b.className &&
    a.draggable === b.draggable &&
    shallowEqual(a.data, b.data)
  );
}

function sameEdge(a: EditorEdge, b: EditorEdge): boolean {
  return a.source === b.source && a.target === b.target && Boolean(a.selected) === Boolean(b.selected) && shallowEqual(a.data ?? {}, b.data ?? {});
}

/**
 * The new graph with every unchanged node and edge swapped for the previous object. A node being dragged
 * keeps its live position (a host report arriving mid-drag must not snap it back), and nodes keep what
 * React Flow measured. Returns the previous arrays themselves when nothing changed at all.
 */
export function reuse(prev: Graph, next: Graph): Graph {
  const oldNodes = new Map(prev.nodes.map((n) => [n.id, n]));
  let nodesChanged = prev.nodes.length !== next.nodes.length;
  const nodes = next.nodes.map((n, i) => {
    const old = oldNodes.get(n.id);
    if (!old) return ((nodesChanged = true), n);
    const live = old.dragging ? { ...n, position: old.position, dragging: true } : n;
    if (sameNode(old, live)) {
      if (prev.nodes[i] !== old) nodesChanged = true;
      return old;
    }
    nodesChanged = true;
    return old.measured ? { ...live, measured: old.measured } : live;
  });
  const oldEdges = new Map(prev.edges.map((e) => [e.id, e]));
  let edgesChanged = prev.edges.length !== next.edges.length;
  const edges = next.edges.map((e, i) => {
    const old = oldEdges.get(e.id);
    if (old && sameEdge(old, e)) {
      if (prev.edges[i] !== old) edgesChanged = true;
      return old;
    }
    edgesChanged = true;
    return e;
  });
  return { nodes: nodesChanged ? nodes : prev.nodes, edges: edgesChanged ? edges : prev.edges };
}

