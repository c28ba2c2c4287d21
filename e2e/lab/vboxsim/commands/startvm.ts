// `VBoxManage startvm <vm>… [--type gui|headless|sdl|separate]` (VBoxManageMisc.cpp handleStartVM).
// Each VM is handled in turn; a failure is printed and the next VM still starts; exit 1 if any failed.
import { comFailure, formatErrorInfo, syntaxError, VBoxError } from '../errors';
import { getopt, type OptDef } from '../getopt';
import { additionsProps, dropTransient, hostInfoProps, nanoTimestamp } from '../guestprops';
import { isProxyAppliance } from '../dmi';
import { maxNics, type Machine } from '../machine';
import { PowerUpError } from '../runtime/runtime';
import { findMachine, site, type Ctx } from './context';

const OPTS: OptDef[] = [
  { name: '--type', id: 'type', kind: 'string' },
  { name: '-type', id: 'type', kind: 'string' },
  { name: '--putenv', id: 'putenv', kind: 'string' },
  { name: '-E', id: 'putenv', kind: 'string' },
];

const F = 'VBoxManageMisc.cpp';
const FIND = site(F, 867, 'FindMachine(Bstr(pszVM).raw(), machine.asOutParam())');
const LAUNCH = site(F, 880, 'LaunchVMProcess(a->session, sessionType.raw(), ComSafeArrayAsInParam(aBstrEnv), progress.asOutParam())');

/** Session names IMachine::SessionName reports for each front end. */
const SESSION_NAMES: Record<string, string> = { gui: 'GUI/Qt', headless: 'headless', sdl: 'GUI/SDL', separate: 'GUI/Qt' };

/** Powers a VM up through the runtime and records the new state and the properties a VM process sets. */
export function powerUp(ctx: Ctx, m: Machine, sessionName: string): void {
  // Console::i_configConstructor: a bridged adapter needs an existing host interface.
  const hostIfs = new Set(ctx.host.bridgedInterfaces().map((i) => i.name));
  for (const nic of m.nics.slice(0, maxNics(m)))
    if (nic.enabled && nic.attachment === 'bridged' && !hostIfs.has(nic.bridgeAdapter))
      throw new PowerUpError(`Nonexistent host networking interface, name '${nic.bridgeAdapter}' (VERR_INTERNAL_ERROR)`, 'NS_ERROR_FAILURE', 'ConsoleWrap', 'IConsole');
  m.running = ctx.runtime.start(m);
  m.state = 'running';
  m.stateChangeTime = ctx.now();
  m.stateFile = '';
  m.sessionName = sessionName;
  const ts = nanoTimestamp(ctx.now());
  m.guestProperties = { ...dropTransient(m.guestProperties), ...hostInfoProps(ctx.config.version, ctx.config.revision, ts) };
  // Ordinary simulated guests run the stand-in for the Guest Additions, which announce themselves.
  if (!isProxyAppliance(m.extradata)) Object.assign(m.guestProperties, additionsProps(ctx.config.version, ctx.config.revision, ts));
}

export function startvm(args: string[], ctx: Ctx): void {
  const vms: string[] = [];
  let type = 'gui';
  for (const r of getopt(args, OPTS)) {
    if (r.type === 'error') throw syntaxError(ctx.config.version, r.message);
    if (r.type === 'arg') vms.push(r.value);
    else if (r.id === 'type') type = String(r.value);
  }
  if (vms.length === 0) throw syntaxError(ctx.config.version, 'at least one VM name or uuid required');
  let failures = '';
  for (const name of vms) {
    try {
      const m = findMachine(ctx, name, FIND);
      if (m.running) {
        throw comFailure(
          {
            text: `The machine '${m.name}' is already locked by a session (or being locked or unlocked)`,
            code: 'VBOX_E_INVALID_OBJECT_STATE',
            component: 'MachineWrap',
            iface: 'IMachine',
            callee: 'nsISupports',
          },
          LAUNCH,
        );
      }
      ctx.out(`Waiting for VM "${name}" to power on...\n`);
      try {
        powerUp(ctx, m, SESSION_NAMES[type] ?? type);
      } catch (e) {
        if (!(e instanceof PowerUpError)) throw e;
        // The VM process failed: the error comes from the progress object (no call context), and
        // the machine stays powered off.
        throw new VBoxError(formatErrorInfo({ text: e.text, code: e.code, component: e.component, iface: e.iface }), 1);
      }
      ctx.tx.save(m);
      ctx.out(`VM "${name}" has been successfully started.\n`);
    } catch (e) {
      if (!(e instanceof VBoxError)) throw e;
      failures += e.stderr;
    }
  }
  if (failures) throw new VBoxError(failures, 1);
}
