// `VBoxManage showvminfo <vm> [--details] [--machinereadable]` (VBoxManageInfo.cpp handleShowVMInfo).
import { syntaxError } from '../errors';
import { getopt, type OptDef } from '../getopt';
import { isProxyAppliance } from '../dmi';
import type { Machine } from '../machine';
import type { Medium } from '../store';
import { formatVmInfo, type GuestAdditions, type VmInfoContext } from '../vminfo';
import { findMachine, site, type Ctx } from './context';

const OPTS: OptDef[] = [
  { name: '--details', id: 'details', kind: 'none' },
  { name: '-details', id: 'details', kind: 'none' },
  { name: '--machinereadable', id: 'mr', kind: 'none' },
  { name: '-machinereadable', id: 'mr', kind: 'none' },
  { name: '--log', id: 'log', kind: 'uint32' },
];

const FIND = site('VBoxManageInfo.cpp', 3138, 'FindMachine(Bstr(VMNameOrUuid).raw(), machine.asOutParam())');

/**
 * The console's view of the guest. Ordinary simulated guests run the stand-in for the Guest
 * Additions (they publish GuestInfo properties); the proxy appliance has none.
 */
export function guestAdditionsOf(m: Machine, version: string, revision: number): GuestAdditions | undefined {
  if (!m.running) return undefined;
  if (isProxyAppliance(m.extradata)) return { runLevel: 0, version: '', facilities: [] };
  const t = m.running.startedAt;
  return {
    runLevel: 2,
    version: `${version} r${revision}`,
    facilities: [
      { name: 'VirtualBox Base Driver', status: 50, lastUpdatedMs: t },
      { name: 'VirtualBox System Service', status: 50, lastUpdatedMs: t },
      { name: 'Seamless Mode', status: 0, lastUpdatedMs: t },
      { name: 'Graphics Mode', status: 0, lastUpdatedMs: t },
    ],
  };
}

export function mediaMap(media: readonly Medium[]): Map<string, Medium> {
  return new Map(media.map((m) => [m.uuid, m]));
}

export function vmInfoContext(ctx: Ctx, m: Machine): VmInfoContext {
  const guest = guestAdditionsOf(m, ctx.config.version, ctx.config.revision);
  return guest ? { media: mediaMap(ctx.tx.registry.media), guest } : { media: mediaMap(ctx.tx.registry.media) };
}

export function showvminfo(args: string[], ctx: Ctx): void {
  let vm: string | undefined;
  let mr = false;
  let log = false;
  let details = false;
  for (const r of getopt(args, OPTS)) {
    if (r.type === 'error') throw syntaxError(ctx.config.version, r.message);
    if (r.type === 'arg') {
      if (vm !== undefined) throw syntaxError(ctx.config.version, `Invalid parameter '${r.value}'`);
      vm = r.value;
    } else if (r.id === 'mr') mr = true;
    else if (r.id === 'details') details = true;
    else if (r.id === 'log') log = true;
  }
  if (vm === undefined) throw syntaxError(ctx.config.version, 'VM name or UUID required');
  const m = findMachine(ctx, vm, FIND);
  if (log && (mr || details)) throw syntaxError(ctx.config.version, 'Option --log is exclusive');
  // The simulated VM process writes no VBox.log; --log prints nothing, like an empty log.
  if (log) return;
  ctx.out(formatVmInfo(m, mr ? 'machinereadable' : 'standard', vmInfoContext(ctx, m)));
}
