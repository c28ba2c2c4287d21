/**
 * Auto-layout in two steps. Inside each host the VMs go on a small grid, grouped by the switch they use
 * first, so a host reads like a rack. Then ELK's layered algorithm arranges the whole datacenter top
 * down — routers, then switches, then hosts (as fixed boxes), then volumes — with the edges between them
 * drawn as few crossings as it can. Laying hosts out as boxes keeps ELK's input small (a host with 200
 * VMs is one node to it), which is what keeps a 1,000-node document to a second or two.
 */
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import { HOST_HEADER, HOST_PAD, hostSize, NODE_SIZE, type Point } from './geometry';
import { nodeId } from './ids';
import type { Datacenter } from './model';

/** What `autoLayout` needs of ELK (its worker in the browser, the bundled one in tests). */
export interface ElkLike {
  layout(graph: ElkNode): Promise<ElkNode>;
}

/** Columns of a host's VM grid: enough to keep a host roughly as wide as it is tall, 2 to 6. */
export const gridColumns = (count: number) => Math.min(6, Math.max(2, Math.ceil(Math.sqrt(count))));

/** Each placed VM's position inside its host, grouped by first switch, then by name. */
export function hostGrids(doc: Datacenter, hosts: readonly string[]): Record<string, Point> {
  const out: Record<string, Point> = {};
  for (const host of hosts) {
    const vms = doc.vms
      .filter((vm) => doc.placement[vm.name] === host)
      .map((vm) => ({ name: vm.name, key: vm.nics.map((n) => ('switch' in n ? n.switch : '~bridged')).join(',') || '~' }))
      .sort((a, b) => a.key.localeCompare(b.key) || a.name.localeCompare(b.name));
    const cols = gridColumns(vms.length);
    vms.forEach((vm, i) => {
      out[nodeId('vm', vm.name)] = { x: HOST_PAD + (i % cols) * (NODE_SIZE.vm.width + HOST_PAD), y: HOST_HEADER + Math.floor(i / cols) * (NODE_SIZE.vm.height + HOST_PAD) };
    });
  }
  return out;
}

const ROOT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.edgeRouting': 'POLYLINE',
  'elk.spacing.nodeNode': '48',
  'elk.layered.spacing.nodeNodeBetweenLayers': '96',
  'elk.layered.crossingMinimization.strategy': 'LAYER_SWEEP',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.separateConnectedComponents': 'true',
  'elk.spacing.componentComponent': '96',
};

/**
 * ELK's input: every node but the VMs inside hosts, at its fixed size. A VM's edges count as its host's
 * (de-duplicated), and edges point downwards — router → switch → host/VM → volume — so layers come out
 * in that order.
 */
export function elkGraph(doc: Datacenter, hosts: readonly string[], grids: Readonly<Record<string, Point>>): ElkNode {
  const children: ElkNode[] = [];
  const home = new Map<string, string>(); // canvas id → the ELK node that stands for it
  for (const host of hosts) {
    const id = nodeId('host', host);
    const inner = doc.vms.filter((vm) => doc.placement[vm.name] === host).map((vm) => grids[nodeId('vm', vm.name)]!);
    children.push({ id, ...hostSize(inner) });
    for (const vm of doc.vms) if (doc.placement[vm.name] === host) home.set(nodeId('vm', vm.name), id);
  }
  const add = (id: string, size: { width: number; height: number }) => {
    children.push({ id, width: size.width, height: size.height });
    home.set(id, id);
  };
  for (const vm of doc.vms) if (!home.has(nodeId('vm', vm.name))) add(nodeId('vm', vm.name), NODE_SIZE.vm);
  for (const s of doc.switches) add(nodeId('switch', s.name), NODE_SIZE.switch);
  for (const r of doc.routers) add(nodeId('router', r.name), NODE_SIZE.router);
  for (const v of doc.volumes) add(nodeId('volume', v.name), NODE_SIZE.volume);

  const edges: ElkExtendedEdge[] = [];
  const seen = new Set<string>();
  const edge = (from: string, to: string) => {
    const a = home.get(from);
    const b = home.get(to);
    const key = `${a}>${b}`;
    if (!a || !b || a === b || seen.has(key)) return;
    seen.add(key);
    edges.push({ id: `e${edges.length}`, sources: [a], targets: [b] });
  };
  for (const r of doc.routers) for (const i of r.interfaces) edge(nodeId('router', r.name), nodeId('switch', i.switch));
  for (const vm of doc.vms) {
    for (const n of vm.nics) if ('switch' in n) edge(nodeId('switch', n.switch), nodeId('vm', vm.name));
    for (const v of vm.volumes) edge(nodeId('vm', vm.name), nodeId('volume', v));
  }
  return { id: 'root', layoutOptions: ROOT_OPTIONS, children, edges };
}

/** Every node's new position: ELK's for the top level, the grid's for VMs inside hosts. */
export async function autoLayout(elk: ElkLike, doc: Datacenter, hosts: readonly string[]): Promise<Record<string, Point>> {
  const grids = hostGrids(doc, hosts);
  const result = await elk.layout(elkGraph(doc, hosts, grids));
  const out: Record<string, Point> = { ...grids };
  for (const c of result.children ?? []) out[c.id] = { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) };
  return out;
}
