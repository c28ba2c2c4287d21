// `VBoxManage list [--long] [--sorted] <what>` (VBoxManageList.cpp handleList).
import { syntaxError } from '../errors';
import { getopt, type OptDef } from '../getopt';
import {
  formatHdds,
  formatHostInfo,
  formatHostInterfaces,
  formatIntnets,
  formatMedia,
  formatOsTypes,
  formatSystemProperties,
  formatVmList,
  internalNetworks,
  type MediumState,
} from '../list';
import { isRunningState, type Machine } from '../machine';
import type { Medium } from '../store';
import { formatVmInfo } from '../vminfo';
import type { Ctx } from './context';
import { defaultMachineFolder } from './createvm';
import { vmInfoContext } from './showvminfo';

const WHAT = [
  'vms', 'runningvms', 'ostypes', 'hostdvds', 'hostfloppies', 'intnets', 'hostifs', 'bridgedifs', 'hostonlyifs',
  'natnetworks', 'natnets', 'hostinfo', 'hdds', 'dvds', 'floppies', 'usbhost', 'usbfilters', 'systemproperties',
  'dhcpservers', 'extpacks', 'groups',
];

const OPTS: OptDef[] = [
  { name: '--long', id: 'long', kind: 'none' },
  { name: '-l', id: 'long', kind: 'none' },
  { name: '--sorted', id: 'sorted', kind: 'none' },
  { name: '-s', id: 'sorted', kind: 'none' },
  ...WHAT.map((w) => ({ name: w, id: w, kind: 'none' as const })),
];

/** Medium states as VirtualBox reports them: a running VM write-locks its disks and read-locks their parents. */
export function mediumStates(machines: readonly Machine[], media: readonly Medium[]): (m: Medium) => MediumState {
  const write = new Set<string>();
  for (const vm of machines)
    if (vm.running) for (const c of vm.storage) for (const a of c.attachments) if (a.kind === 'hdd' && a.medium) write.add(a.medium);
  const read = new Set<string>();
  const byId = new Map(media.map((m) => [m.uuid, m]));
  for (const id of write) {
    let p = byId.get(id)?.parent ?? null;
    while (p) {
      read.add(p);
      p = byId.get(p)?.parent ?? null;
    }
  }
  return (m) => (write.has(m.uuid) ? 'locked write' : read.has(m.uuid) ? 'locked read' : 'created');
}

function byName(ms: Machine[]): Machine[] {
  return [...ms].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function list(args: string[], ctx: Ctx): void {
  let long = false;
  let sorted = false;
  let what: string | undefined;
  for (const r of getopt(args, OPTS)) {
    if (r.type === 'error') throw syntaxError(ctx.config.version, r.message);
    if (r.type === 'arg') throw syntaxError(ctx.config.version, `Unknown subcommand "${r.value}".`);
    if (r.id === 'long') long = true;
    else if (r.id === 'sorted') sorted = true;
    else what = r.id;
  }
  if (!what) throw syntaxError(ctx.config.version, 'Missing subcommand for "list" command.\n');
  const machines = ctx.tx.allMachines();
  const vms = (ms: Machine[]) => {
    const shown = sorted ? byName(ms) : ms;
    if (!long) return formatVmList(shown);
    return shown.map((m) => formatVmInfo(m, 'standard', vmInfoContext(ctx, m))).join('');
  };
  switch (what) {
    case 'vms':
      return ctx.out(vms(machines));
    case 'runningvms':
      return ctx.out(vms(machines.filter((m) => isRunningState(m.state))));
    case 'ostypes':
      return ctx.out(formatOsTypes());
    case 'intnets':
      return ctx.out(formatIntnets(internalNetworks(machines)));
    case 'hostifs':
    case 'bridgedifs':
      return ctx.out(formatHostInterfaces(ctx.host.bridgedInterfaces()));
    case 'hostinfo': {
      const running = machines.filter((m) => m.running).reduce((s, m) => s + m.memory, 0);
      return ctx.out(formatHostInfo(ctx.host.hostInfo(running)));
    }
    case 'hdds':
      return ctx.out(formatHdds(ctx.tx.registry.media, mediumStates(machines, ctx.tx.registry.media)));
    case 'dvds':
      return ctx.out(formatMedia(ctx.tx.registry.media, 'DVD', mediumStates(machines, ctx.tx.registry.media)));
    case 'floppies':
      return ctx.out(formatMedia(ctx.tx.registry.media, 'Floppy', mediumStates(machines, ctx.tx.registry.media)));
    case 'systemproperties':
      return ctx.out(formatSystemProperties({ defaultMachineFolder: defaultMachineFolder(ctx.config.home) }));
    case 'extpacks':
      return ctx.out('Extension Packs: 0\n');
    case 'groups': {
      const groups = [...new Set(machines.flatMap((m) => m.groups))].sort();
      return ctx.out(groups.map((g) => `"${g}"\n`).join(''));
    }
    default:
      // No host-only adapters, NAT networks, DHCP servers, DVD/floppy images or USB on a lab host.
      return;
  }
}
