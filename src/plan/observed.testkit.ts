/**
 * Builders of observed hosts and VMs for planner tests: a VirtualBox host with sensible defaults, and VMs
 * described the way a test thinks of them (`nics: ['dcod-vni-10', 'bridged:br0']`), tagged as this
 * datacenter's unless told otherwise.
 */
import type { ObservedDisk, ObservedHost, ObservedVm } from '../hosts/observed';
import { dcodGroup, EXTRA_DATACENTER, EXTRA_ROLE } from '../model/tags';
import { NIC_SLOTS } from '../vbox/commands';
import type { Nic, StorageAttachment, VmState } from '../vbox/showvminfo';
import type { SnapshotNode, SnapshotTree } from '../vbox/snapshot';

export const MACHINE_FOLDER = '/home/dcod/VirtualBox VMs';

export interface VmShape {
  readonly name: string;
  readonly uuid?: string;
  readonly state?: VmState;
  readonly cpus?: number;
  readonly memoryMb?: number;
  readonly chipset?: 'piix3' | 'ich9';
  /** Per slot from 1: `dcod-vni-10` (intnet), `bridged:br0`, `null`, `nat`; `-` for a disabled slot. */
  readonly nics?: readonly string[];
  readonly macs?: readonly (string | undefined)[];
  readonly unplugged?: readonly number[];
  /** Volume disk paths on dcod-sata by port. */
  readonly volumes?: readonly (string | undefined)[];
  /** A boot disk on port 0 of a SATA controller of the VM's own ("SATA Controller"), as templates have. */
  readonly bootDisk?: string;
  /** `undefined`: this datacenter's VM (`dc`); `null`: no tags at all. */
  readonly owner?: string | null;
  readonly extraData?: Readonly<Record<string, string>>;
  readonly snapshots?: readonly string[];
}

/** Same name, same UUID and MACs: building the same hosts twice gives equal observations. */
const hashOf = (text: string) => [...text].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7);
const uuidFor = (name: string) => `${hashOf(name).toString(16).padStart(8, '0')}-0000-4000-8000-${hashOf(`${name}!`).toString(16).padStart(12, '0')}`;
const macFor = (name: string, slot: number) => `080027${(hashOf(`${name}#${slot}`) & 0xffffff).toString(16).toUpperCase().padStart(6, '0')}`;

export function observedVm(s: VmShape): ObservedVm {
  const chipset = s.chipset ?? 'piix3';
  const nics: Nic[] = [];
  for (let slot = 1; slot <= NIC_SLOTS[chipset]; slot++) {
    const text = s.nics?.[slot - 1] ?? '-';
    const [kind, adapter] = text.split(':');
    const attachment = text === '-' ? 'none' : text.startsWith('dcod-vni-') || kind === 'intnet' ? 'intnet' : (kind as Nic['attachment']);
    const network = attachment === 'intnet' ? (kind === 'intnet' ? adapter : text) : attachment === 'bridged' ? adapter : undefined;
    nics.push({
      slot,
      attachment,
      attachmentRaw: attachment,
      ...(network === undefined ? {} : { network }),
      mac: s.macs?.[slot - 1] ?? macFor(s.name, slot),
      cableConnected: !s.unplugged?.includes(slot),
      portForwards: [],
    });
  }
  const storageAttachments: StorageAttachment[] = [
    ...(s.bootDisk === undefined ? [] : [{ controller: 'SATA Controller', port: 0, device: 0, medium: s.bootDisk, options: {} }]),
    ...(s.volumes ?? []).flatMap((medium, port) => (medium === undefined ? [] : [{ controller: 'dcod-sata', port, device: 0, medium, options: {} }])),
  ];
  const owner = s.owner === undefined ? 'dc' : s.owner;
  const snapshots = s.snapshots ?? [];
  return {
    name: s.name,
    uuid: s.uuid ?? uuidFor(s.name),
    groups: owner === null ? ['/'] : [dcodGroup(owner)],
    state: s.state ?? 'running',
    memoryMb: s.memoryMb ?? 512,
    cpus: s.cpus ?? 1,
    chipset,
    nics,
    storageControllers: [
      ...(s.bootDisk === undefined ? [] : [{ index: 0, name: 'SATA Controller', type: 'IntelAhci', portCount: 30 }]),
      ...(s.volumes ? [{ index: 1, name: 'dcod-sata', type: 'IntelAhci', portCount: 30 }] : []),
    ],
    storageAttachments,
    snapshots: snapshotChain(snapshots),
    guestAdditions: { facilities: [] },
    raw: {},
    extraData: { ...(owner === null ? {} : { [EXTRA_DATACENTER]: owner, [EXTRA_ROLE]: 'vm' }), ...s.extraData },
    guestProperties: {},
  };
}

export interface HostShape {
  readonly host: string;
  readonly vms?: readonly ObservedVm[];
  readonly disks?: readonly ObservedDisk[];
  readonly cpus?: number;
  readonly memoryMb?: number;
  readonly reachable?: boolean;
  readonly machineFolder?: string | null;
}

export function observedHost(s: HostShape): ObservedHost {
  const reachable = s.reachable ?? true;
  return {
    host: s.host,
    reachable,
    vbox: reachable ? { version: '7.0.6', major: 7, minor: 0, patch: 6 } : null,
    ...(reachable ? { hostInfo: { processorCount: s.cpus ?? 8, memorySizeMb: s.memoryMb ?? 32768, memoryAvailableMb: s.memoryMb ?? 32768 } } : {}),
    bridgedInterfaces: reachable
      ? [
          { name: 'br0', status: 'Up', ipv4: '198.18.0.11' },
          { name: 'eno1', status: 'Up' },
        ]
      : [],
    internalNetworks: [],
    ...(reachable && s.machineFolder !== null ? { machineFolder: s.machineFolder ?? MACHINE_FOLDER } : {}),
    ...(reachable ? { disks: s.disks ?? [] } : {}),
    vms: reachable ? [...(s.vms ?? [])].sort((a, b) => a.name.localeCompare(b.name)) : [],
    warnings: [],
    observedAt: '2025-01-01T00:00:00.000Z',
  };
}

/** A volume disk of datacenter `dc` as `list hdds` shows it. */
export function observedDisk(name: string, sizeMb: number, format: 'vdi' | 'vmdk' = 'vdi'): ObservedDisk {
  return { uuid: uuidFor(name), location: `${MACHINE_FOLDER}/dcod-dc/${name}.${format}`, capacityMb: sizeMb, format: format.toUpperCase() };
}

export const volumeFile = (name: string, format: 'vdi' | 'vmdk' = 'vdi') => `${MACHINE_FOLDER}/dcod-dc/${name}.${format}`;

/** Snapshots taken one after another: each the child of the one before, the last one current. */
function snapshotChain(names: readonly string[]): SnapshotTree {
  const node = (i: number): SnapshotNode => ({ name: names[i]!, uuid: uuidFor(names[i]!), path: Array.from({ length: i }, () => 1), children: i + 1 < names.length ? [node(i + 1)] : [] });
  const last = names[names.length - 1];
  return names.length ? { root: node(0), current: { name: last!, uuid: uuidFor(last!) } } : { root: undefined, current: undefined };
}
