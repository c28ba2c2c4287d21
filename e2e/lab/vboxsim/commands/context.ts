// What every command handler gets: the locked state, the host it pretends to run on, and the two
// output streams. Also the lookups and session locks whose failures VirtualBox reports the same way
// from every command (only the CHECK_ERROR site differs).
import { comFailure, type ErrorContext } from '../errors';
import { isUuid } from '../getopt';
import { allSnapshots, type Machine, type Snapshot } from '../machine';
import type { Tx } from '../store';
import type { SimConfig } from '../config';
import type { HostProbe } from '../host';
import type { VmRuntime } from '../runtime/runtime';

export interface Ctx {
  readonly config: SimConfig;
  readonly tx: Tx;
  readonly host: HostProbe;
  readonly runtime: VmRuntime;
  now(): number;
  uuid(): string;
  out(s: string): void;
  err(s: string): void;
}

/** CHECK_ERROR sites in the 7.0.14 VBoxManage sources: the stringised call, its line, its file. */
export function site(file: string, line: number, call: string): ErrorContext {
  return { file, line, call };
}

/** IVirtualBox::FindMachine: by UUID (braces optional), else by name, else by settings file path. */
export function lookupMachine(ctx: Ctx, nameOrUuid: string): Machine | undefined {
  const all = ctx.tx.allMachines();
  if (isUuid(nameOrUuid)) {
    const u = nameOrUuid.replace(/[{}]/g, '').toLowerCase();
    return all.find((m) => m.uuid === u);
  }
  return all.find((m) => m.name === nameOrUuid) ?? all.find((m) => m.cfgFile === nameOrUuid);
}

export function findMachine(ctx: Ctx, nameOrUuid: string, at: ErrorContext): Machine {
  const m = lookupMachine(ctx, nameOrUuid);
  if (m) return m;
  const text = isUuid(nameOrUuid)
    ? `Could not find a registered machine with UUID {${nameOrUuid.replace(/[{}]/g, '').toLowerCase()}}`
    : `Could not find a registered machine named '${nameOrUuid}'`;
  throw comFailure({ text, code: 'VBOX_E_OBJECT_NOT_FOUND', component: 'VirtualBoxWrap', iface: 'IVirtualBox', callee: 'nsISupports' }, at);
}

/** LockMachine(LockType_Write): refused while the VM process holds its session. */
export function lockForWrite(m: Machine, at: ErrorContext): void {
  if (!m.running) return;
  throw comFailure(
    {
      text: `The machine '${m.name}' is already locked for a session (or being unlocked)`,
      code: 'VBOX_E_INVALID_OBJECT_STATE',
      component: 'MachineWrap',
      iface: 'IMachine',
      callee: 'nsISupports',
    },
    at,
  );
}

/** Machine::i_checkStateDependency(MutableStateDep) for a setter on a locked session machine. */
export function requireMutable(m: Machine, at: ErrorContext): void {
  if (m.state === 'poweroff' || m.state === 'aborted') return;
  const names: Record<Machine['state'], string> = {
    poweroff: 'PoweredOff',
    aborted: 'Aborted',
    saved: 'Saved',
    running: 'Running',
    paused: 'Paused',
  };
  throw comFailure(
    {
      text: `The machine is not mutable (state is ${names[m.state]})`,
      code: 'VBOX_E_INVALID_VM_STATE',
      component: 'SessionMachine',
      iface: 'IMachine',
      callee: 'nsISupports',
    },
    at,
  );
}

/** IMachine::FindSnapshot: by UUID or name; the empty string means the root. */
export function lookupSnapshot(m: Machine, nameOrUuid: string): Snapshot | undefined {
  const u = nameOrUuid.replace(/[{}]/g, '').toLowerCase();
  for (const { snap } of allSnapshots(m.snapshots)) if (snap.uuid === u) return snap;
  for (const { snap } of allSnapshots(m.snapshots)) if (snap.name === nameOrUuid) return snap;
  return undefined;
}

export function findSnapshot(m: Machine, nameOrUuid: string, at: ErrorContext, component = 'SessionMachine'): Snapshot {
  const s = lookupSnapshot(m, nameOrUuid);
  if (s) return s;
  const text = !m.snapshots
    ? 'This machine does not have any snapshots'
    : isUuid(nameOrUuid)
    ? `Could not find a snapshot with UUID {${nameOrUuid.replace(/[{}]/g, '').toLowerCase()}}`
    : `Could not find a snapshot named '${nameOrUuid}'`;
  throw comFailure({ text, code: 'VBOX_E_OBJECT_NOT_FOUND', component, iface: 'IMachine', callee: 'nsISupports' }, at);
}

/** showProgress() of an operation that succeeds: the percentages, then 100%, on stderr. */
export const PROGRESS_OK = '0%...10%...20%...30%...40%...50%...60%...70%...80%...90%...100%\n';
