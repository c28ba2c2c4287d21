/**
 * `VBoxManage import <ovf|ova> --dry-run`: what an appliance holds and the unit numbers by which
 * `--vsys N --unit M …` options change it. After a progress bar and `Interpreting …` / `OK.`:
 *
 *     Disks:
 *       vmdisk1  85899345920  -1  http://www.vmware.com/…#streamOptimized  box-disk1.vmdk  -1  -1
 *
 *     Virtual system 0:
 *      0: Suggested OS type: "Ubuntu_64"
 *         (change with "--vsys 0 --ostype <type>"; use "list ostypes" to list all possible values)
 *      …
 *     10: IDE controller, type PIIX4
 *
 * Unit numbers are right-aligned (so ≥ 10 lose the leading space); hints in parentheses follow on
 * indented lines and may span two.
 */
import { compact, int } from './fields';

export interface ApplianceDisk {
  readonly id: string;
  readonly capacityBytes?: number;
  /** The OVF disk format URI. */
  readonly format?: string;
  /** File name inside the appliance. */
  readonly href?: string;
}

export interface ImportUnit {
  readonly index: number;
  /** The unit line after `N: `, e.g. `Guest memory: 384 MB`. */
  readonly text: string;
  /** The parenthesised hint lines, joined, without the parentheses. */
  readonly hint?: string;
}

export interface ImportDisk {
  readonly unit: number;
  readonly sourceImage: string;
  readonly targetPath: string;
  /** Unit number of the controller it attaches to. */
  readonly controllerUnit?: number;
  readonly channel?: number;
}

export interface VirtualSystem {
  readonly index: number;
  readonly units: readonly ImportUnit[];
  readonly osType?: string;
  readonly name?: string;
  readonly group?: string;
  readonly settingsFile?: string;
  readonly baseFolder?: string;
  readonly cpus?: number;
  readonly memoryMb?: number;
  /** Units that are network adapters, with their text (`orig NAT, config 3, extra slot=0;type=NAT`). */
  readonly networkAdapters: readonly { readonly unit: number; readonly description: string }[];
  readonly disks: readonly ImportDisk[];
}

export interface ImportDryRun {
  readonly disks: readonly ApplianceDisk[];
  readonly systems: readonly VirtualSystem[];
}

const UNIT_LINE = /^\s*(\d+): (.*)$/;
const VSYS_LINE = /^Virtual system (\d+):\s*$/;

interface UnitBuilder {
  index: number;
  text: string;
  hint: string[];
}

function quoted(text: string, label: string): string | undefined {
  const m = new RegExp(`^${label}:? "(.*)"$`).exec(text);
  return m?.[1];
}

function describeSystem(index: number, units: readonly ImportUnit[]): VirtualSystem {
  const find = (pick: (text: string) => string | undefined): string | undefined => {
    for (const u of units) {
      const v = pick(u.text);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  const after = (prefix: string) => (text: string) => (text.startsWith(prefix) ? text.slice(prefix.length) : undefined);
  const osType = find((t) => quoted(t, 'Suggested OS type'));
  const name = find((t) => quoted(t, 'Suggested VM name'));
  const group = find((t) => quoted(t, 'Suggested VM group'));
  const settingsFile = find((t) => quoted(t, 'Suggested VM settings file name'));
  const baseFolder = find((t) => quoted(t, 'Suggested VM base folder'));
  const cpus = int(find(after('Number of CPUs: ')));
  const memoryMb = int(find(after('Guest memory: ')));
  const disks: ImportDisk[] = [];
  const networkAdapters: { unit: number; description: string }[] = [];
  for (const u of units) {
    const nic = after('Network adapter: ')(u.text);
    if (nic !== undefined) networkAdapters.push({ unit: u.index, description: nic });
    const disk = /^Hard disk image: source image=(.*?), target path=(.*?)(?:, controller=(\d+);channel=(\d+))?$/.exec(u.text);
    if (disk) {
      disks.push({
        unit: u.index,
        sourceImage: disk[1]!,
        targetPath: disk[2]!,
        ...(disk[3] === undefined ? {} : { controllerUnit: Number(disk[3]), channel: Number(disk[4]) }),
      });
    }
  }
  return compact({ index, units, osType, name, group, settingsFile, baseFolder, cpus, memoryMb, networkAdapters, disks });
}

export function parseImportDryRun(text: string): ImportDryRun {
  const disks: ApplianceDisk[] = [];
  const systems: VirtualSystem[] = [];
  let section: 'none' | 'disks' | 'system' = 'none';
  let systemIndex = -1;
  let units: UnitBuilder[] = [];
  const closeSystem = (): void => {
    if (systemIndex < 0) return;
    systems.push(describeSystem(systemIndex, units.map((u) => ({ index: u.index, text: u.text, ...(u.hint.length > 0 ? { hint: u.hint.join(' ') } : {}) }))));
    units = [];
  };

  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    const vsys = VSYS_LINE.exec(trimmed);
    if (vsys) {
      closeSystem();
      section = 'system';
      systemIndex = Number(vsys[1]);
    } else if (trimmed === 'Disks:') {
      section = 'disks';
    } else if (section === 'disks' && trimmed !== '') {
      const [id, capacity, , format, href] = trimmed.split(/\s+/);
      const capacityBytes = int(capacity);
      disks.push({ id: id!, ...(capacityBytes === undefined ? {} : { capacityBytes }), ...(format ? { format } : {}), ...(href ? { href } : {}) });
    } else if (section === 'system') {
      const unit = UNIT_LINE.exec(line);
      const last = units.at(-1);
      if (unit) units.push({ index: Number(unit[1]), text: unit[2]!.trim(), hint: [] });
      else if (last && trimmed !== '') last.hint.push(trimmed.replace(/^\(/, '').replace(/\)$/, ''));
    }
  }
  closeSystem();
  return { disks, systems };
}
