import { memo, type ReactNode } from 'react';
import { nodeId } from '../editor/ids';
import NodeOpStatus from '../review/NodeOpStatus';
import Port from './Port';
import ProblemBadge from './ProblemBadge';

/**
 * The card every document node is drawn as: its port, its kind's icon, its name, a few lines of facts,
 * the apply's progress on it, and the problem badge. `modifiers` are extra classes (a VM's status), `attrs` extra data-* attributes.
 */
function NodeCard({ kind, name, selected, problem, problems, port, modifiers = '', attrs, children }: {
  kind: 'vm' | 'switch' | 'router' | 'volume';
  name: string;
  selected: boolean;
  problem: string | undefined;
  problems: number;
  port: 'top' | 'bottom';
  modifiers?: string;
  attrs?: Readonly<Record<`data-${string}`, string | undefined>>;
  children: ReactNode;
}) {
  return (
    <div className={`node node-${kind}${modifiers}${selected ? ' is-selected' : ''}${problem ? ' has-problem' : ''}`} data-testid={`node-${kind}-${name}`} {...attrs}>
      <Port side={port} />
      <span className={`node-icon node-icon-${kind}`} aria-hidden="true" />
      <div className="node-text">
        <div className="node-name">{name}</div>
        {children}
        <NodeOpStatus id={nodeId(kind, name)} />
      </div>
      <ProblemBadge problem={problem} count={problems} />
    </div>
  );
}

export default memo(NodeCard);
