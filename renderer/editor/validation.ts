/**
 * Validation as the editor shows it: the document's diagnostics, each put on the node it is about (and the
 * inspector field, by its path inside that node), or on the datacenter as a whole.
 */
import { nodeId, type EntityKind } from './ids';
import { validateDocument, type Datacenter, type Diagnostic, type ValidationContext } from './model';

/** A diagnostic placed on one node: `field` is its path inside the entity (`nics[0].switch`, `host`). */
export interface Problem extends Diagnostic {
  readonly field: string;
}

export interface Placed {
  readonly byNode: ReadonlyMap<string, readonly Problem[]>;
  /** About the datacenter itself (its name, its MTU), or a path the editor can't place. */
  readonly general: readonly Diagnostic[];
}

/** `vms[2].nics[0]` → ['vms', 2, 'nics', 0]; `placement["web 1"]` → ['placement', 'web 1']. */
export function pathSegments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /([A-Za-z_$][\w$-]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g;
  for (const m of path.matchAll(re)) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[3] !== undefined) out.push(JSON.parse(`"${m[3]}"`) as string);
  }
  return out;
}

const KIND_OF: Readonly<Record<string, EntityKind>> = { vms: 'vm', switches: 'switch', routers: 'router', volumes: 'volume' };

function fieldPath(segments: readonly (string | number)[]): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i ? `.${s}` : s)).join('');
}

/** Puts each diagnostic on its node: an entity by index, a VM's placement on the VM, a layout key on its node. */
export function placeDiagnostics(doc: Datacenter, diagnostics: readonly Diagnostic[]): Placed {
  const byNode = new Map<string, Problem[]>();
  const general: Diagnostic[] = [];
  const put = (id: string, d: Diagnostic, field: string) => {
    const list = byNode.get(id);
    if (list) list.push({ ...d, field });
    else byNode.set(id, [{ ...d, field }]);
  };
  for (const d of diagnostics) {
    const [head, index, ...rest] = pathSegments(d.path);
    const kind = typeof head === 'string' ? KIND_OF[head] : undefined;
    if (kind && typeof index === 'number') {
      const list = doc[head as 'vms' | 'switches' | 'routers' | 'volumes'] as readonly { name: string }[];
      const name = list[index]?.name;
      if (name !== undefined) {
        put(nodeId(kind, name), d, fieldPath(rest));
        continue;
      }
    }
    if (head === 'placement' && typeof index === 'string' && doc.vms.some((v) => v.name === index)) {
      put(nodeId('vm', index), d, 'host');
      continue;
    }
    general.push(d);
  }
  return { byNode, general };
}

/**
 * The document's diagnostics: the core's own validation (schema and cross-references, placement against
 * the inventory, memory against what the hosts last reported), so the editor says exactly what
 * `dcod validate` and the planner will.
 */
export function validate(doc: Datacenter, ctx: ValidationContext = {}): Diagnostic[] {
  return [...validateDocument(doc, ctx).diagnostics];
}
