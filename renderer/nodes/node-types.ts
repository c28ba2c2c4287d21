import type { NodeTypes } from '@xyflow/react';
import HostNode from './HostNode';
import RouterNode from './RouterNode';
import SwitchNode from './SwitchNode';
import VmNode from './VmNode';
import VolumeNode from './VolumeNode';

/** At module scope: React Flow must see the same object on every render, or it remounts every node. */
export const nodeTypes: NodeTypes = { host: HostNode, vm: VmNode, switch: SwitchNode, router: RouterNode, volume: VolumeNode };
