/**
 * Canvas ids. Every node is `<kind>:<name>` — names are unique per kind in a document (and per inventory
 * for hosts), and a name can't hold `:` — so an id says what it points at without a lookup, and the same
 * ids key the document's `layout`.
 */
export type NodeKind = 'host' | 'vm' | 'switch' | 'router' | 'volume';
/** The kinds the document holds (hosts come from the inventory). */
export type EntityKind = Exclude<NodeKind, 'host'>;

export const ENTITY_KINDS: readonly EntityKind[] = ['vm', 'switch', 'router', 'volume'];

export interface NodeRef {
  readonly kind: NodeKind;
  readonly name: string;
}

export const nodeId = (kind: NodeKind, name: string): string => `${kind}:${name}`;

const KINDS: ReadonlySet<string> = new Set<NodeKind>(['host', 'vm', 'switch', 'router', 'volume']);

export function parseNodeId(id: string): NodeRef | undefined {
  const i = id.indexOf(':');
  const kind = id.slice(0, i);
  return i > 0 && KINDS.has(kind) ? { kind: kind as NodeKind, name: id.slice(i + 1) } : undefined;
}

/**
 * Edges are the document's references, so their ids say which reference:
 * - `nic:<vm>:<index>`: a VM's NIC on a switch;
 * - `rif:<router>:<index>`: a router's interface on a switch;
 * - `disk:<vm>:<volume>`: a volume attached to a VM.
 */
export type EdgeRef =
  | { readonly kind: 'nic'; readonly vm: string; readonly index: number }
  | { readonly kind: 'rif'; readonly router: string; readonly index: number }
  | { readonly kind: 'disk'; readonly vm: string; readonly volume: string };

export function edgeId(ref: EdgeRef): string {
  switch (ref.kind) {
    case 'nic':
      return `nic:${ref.vm}:${ref.index}`;
    case 'rif':
      return `rif:${ref.router}:${ref.index}`;
    case 'disk':
      return `disk:${ref.vm}:${ref.volume}`;
  }
}

export function parseEdgeId(id: string): EdgeRef | undefined {
  const [kind, a, b, ...rest] = id.split(':');
  if (!a || b === undefined || rest.length) return undefined;
  const index = /^\d+$/.test(b) ? Number(b) : NaN;
  if (kind === 'nic' && Number.isInteger(index)) return { kind, vm: a, index };
  if (kind === 'rif' && Number.isInteger(index)) return { kind, router: a, index };
  if (kind === 'disk' && b) return { kind, vm: a, volume: b };
  return undefined;
}
