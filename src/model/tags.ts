/**
 * How DCoD marks what it owns on a host, so the planner never touches anything else:
 * - VMs (and proxy VMs) are in the VirtualBox group `/dcod/<datacenter>` (showvminfo prints groups, so an
 *   inventory refresh can tell them apart cheaply) and carry extradata naming their datacenter and role;
 * - internal networks are `dcod-vni-<VNI>`;
 * - volumes live under a `dcod-<datacenter>` folder and are named after the volume.
 */
import { DCOD_GROUP } from '../hosts/observe';
import type { ObservedVm } from '../hosts/observed';

export const EXTRA_DATACENTER = 'dcod/datacenter';
/** `vm` for a document VM, `proxy` for the host's overlay proxy. */
export const EXTRA_ROLE = 'dcod/role';

export type Role = 'vm' | 'proxy';

export function dcodGroup(datacenter: string): string {
  return `${DCOD_GROUP}/${datacenter}`;
}

/** Whether a VM on a host belongs to this datacenter (and in which role), by its tags. */
export function ownership(vm: ObservedVm, datacenter: string): Role | undefined {
  if (vm.extraData[EXTRA_DATACENTER] !== datacenter) return undefined;
  const role = vm.extraData[EXTRA_ROLE];
  return role === 'vm' || role === 'proxy' ? role : undefined;
}

export { vniIntnetName as intnetName } from '../vbox/commands';
