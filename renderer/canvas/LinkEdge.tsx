import { BaseEdge, useInternalNode, type EdgeProps, type InternalNode } from '@xyflow/react';
import { memo } from 'react';
import type { EditorEdge } from '../editor/graph';
import { borderPoint } from './border-point';

const LABEL_OFFSET = 18;

const box = (n: InternalNode) => ({ x: n.internals.positionAbsolute.x, y: n.internals.positionAbsolute.y, width: n.measured.width ?? n.width ?? 0, height: n.measured.height ?? n.height ?? 0 });

/**
 * A straight cable between two nodes' borders, the way network diagrams draw links, wherever the nodes
 * are; its label (a NIC's name or address) sits at the middle.
 */
function LinkEdge({ id, source, target, data, selected }: EdgeProps<EditorEdge>) {
  const from = useInternalNode(source);
  const to = useInternalNode(target);
  if (!from || !to) return null;
  const a = box(from);
  const b = box(to);
  const p = borderPoint(a, { x: b.x + b.width / 2, y: b.y + b.height / 2 });
  const q = borderPoint(b, { x: a.x + a.width / 2, y: a.y + a.height / 2 });
  const kind = data?.kind ?? 'nic';
  // The label belongs to the source end (a VM's NIC, a router's address): just off that end, where it
  // stays clear of the host header a cable may cross.
  const len = Math.hypot(q.x - p.x, q.y - p.y) || 1;
  const along = Math.min(LABEL_OFFSET, len / 2);
  const lx = p.x + ((q.x - p.x) / len) * along;
  const ly = p.y + ((q.y - p.y) / len) * along;
  return (
    <>
      <BaseEdge id={id} path={`M${p.x},${p.y} L${q.x},${q.y}`} className={`link link-${kind}${selected ? ' is-selected' : ''}`} interactionWidth={14} />
      {data?.label && (
        <text x={lx} y={ly} className="link-label" textAnchor="middle" dominantBaseline="central">
          {data.label}
        </text>
      )}
    </>
  );
}

export default memo(LinkEdge);
