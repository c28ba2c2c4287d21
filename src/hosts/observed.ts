import type { HostInfo } from '../vbox/list';
import type { VmInfo } from '../vbox/showvminfo';
import type { ErrorInfo } from '../errors';

/** One VM as observed on a host: showvminfo, plus the extradata and guest properties DCoD reads. */
export interface ObservedVm extends Omit<VmInfo, 'raw'> {
  readonly raw: Readonly<Record<string, string>>;
  readonly extraData: Readonly<Record<string, string>>;
  /** Only for running VMs (Guest Additions publish them), e.g. `/VirtualBox/GuestInfo/Net/0/V4/IP`. */
  readonly guestProperties: Readonly<Record<string, string>>;
}

/** One registered hard disk image. */
export interface ObservedDisk {
  readonly uuid: string;
  readonly location: string;
  readonly capacityMb?: number;
  /** e.g. `VDI`, `VMDK`. */
  readonly format?: string;
  /** Set for differencing images (snapshots, linked clones). */
  readonly parentUuid?: string;
}

/** What one host looks like right now: the input the planner compares the document with. */
export interface ObservedHost {
  readonly host: string;
  readonly reachable: boolean;
  /** Why it isn't reachable, or what failed while reading it. */
  readonly error?: ErrorInfo;
  /** null: SSH works but there is no VBoxManage. */
  readonly vbox: { readonly version: string; readonly major: number; readonly minor: number; readonly patch: number } | null;
  readonly hostInfo?: Pick<HostInfo, 'processorCount' | 'processorCoreCount' | 'memorySizeMb' | 'memoryAvailableMb' | 'operatingSystem' | 'operatingSystemVersion'>;
  readonly bridgedInterfaces: readonly { readonly name: string; readonly status?: string; readonly ipv4?: string }[];
  readonly internalNetworks: readonly string[];
  /**
   * `list systemproperties`' "Default machine folder": where DCoD keeps a datacenter's volumes
   * (`<folder>/dcod-<datacenter>/`). Absent when the host could not say.
   */
  readonly machineFolder?: string;
  /** Registered hard disks (`list hdds`), so volumes that no VM has attached are seen too. */
  readonly disks?: readonly ObservedDisk[];
  readonly vms: readonly ObservedVm[];
  /** Problems with single items (a VM that vanished mid-read…) that don't make the host unreadable. */
  readonly warnings: readonly string[];
  /** When it was read, ISO 8601. */
  readonly observedAt: string;
}
