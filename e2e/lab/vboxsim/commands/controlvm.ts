// `VBoxManage controlvm <vm> <action>` for a running VM (VBoxManageControlVM.cpp). Errors inside
// the action loop end the command with exit 1, syntax errors included (the handler maps them).
import path from 'node:path';
import { comFailure, msgError, plainFailure, syntaxError, VBoxError } from '../errors';
import { parseBool } from '../getopt';
import { dropTransient } from '../guestprops';
import { machineDir, maxNics, NETWORK_FIELD, type Attachment, type Machine, type Nic } from '../machine';
import { findMachine, PROGRESS_OK, site, type Ctx } from './context';
import { setAttachment } from './modifyvm';

const F = 'VBoxManageControlVM.cpp';
const FIND = site(F, 365, 'FindMachine(Bstr(a->argv[0]).raw(), machine.asOutParam())');

function consoleError(text: string, at: ReturnType<typeof site>): VBoxError {
  return comFailure({ text, code: 'VBOX_E_INVALID_VM_STATE', component: 'ConsoleWrap', iface: 'IConsole', callee: 'nsISupports' }, at);
}

/** Console::powerDown and friends: the VM process is gone, transient guest properties with it. */
export function powerDown(ctx: Ctx, m: Machine, state: 'poweroff' | 'saved'): void {
  ctx.runtime.stop(m);
  m.running = null;
  m.state = state;
  m.stateChangeTime = ctx.now();
  m.sessionName = '';
  m.guestProperties = dropTransient(m.guestProperties);
}

function savedStateFile(m: Machine, now: number): string {
  // e.g. Snapshots/2018-04-23T09-29-48-014952000Z.sav
  const iso = new Date(now).toISOString();
  const stamp = `${iso.slice(0, 19).replace(/:/g, '-')}-${iso.slice(20, 23)}000000Z`;
  return path.join(machineDir(m), 'Snapshots', `${stamp}.sav`);
}

/** `controlvm nicN <type>` spellings (hostif is the old name of bridged). */
const NIC_ATTACHMENTS: Record<string, Attachment> = {
  null: 'null', nat: 'nat', bridged: 'bridged', hostif: 'bridged', intnet: 'intnet', hostonly: 'hostonly', generic: 'generic', natnetwork: 'natnetwork',
};

/** controlvm's parseNum: "Invalid NIC number 'x'." and the action fails. */
function nicSlot(m: Machine, text: string): number {
  const n = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (n >= 1 && n <= maxNics(m)) return n;
  throw new VBoxError(msgError(`Invalid NIC number '${text}'.`), 1);
}

function nicAction(ctx: Ctx, m: Machine, action: string, rest: string[]): void {
  const slot = nicSlot(m, action.slice(3));
  const v = ctx.config.version;
  if (rest.length === 0) throw syntaxError(v, `Missing argument to '${action}'.`, 1);
  const nic = m.nics[slot - 1] as Nic;
  if (!nic.enabled) {
    ctx.err(msgError(`The NIC ${slot} is currently disabled and thus its attachment type can't be changed.`));
    return;
  }
  const [type, net] = rest as [string, string | undefined];
  const attachment = NIC_ATTACHMENTS[type];
  if (!attachment) throw syntaxError(v, `Invalid type '${type}' specfied for NIC ${slot}.`, 1);
  const field = NETWORK_FIELD[attachment];
  if (field) {
    if (net === undefined) throw syntaxError(v, `Missing argument to '${type}'.`, 1);
    nic[field] = net;
  }
  setAttachment(nic, attachment);
  ctx.runtime.applyNic(m, slot);
}

export function controlvm(args: string[], ctx: Ctx): void {
  if (args.length < 2) throw syntaxError(ctx.config.version, 'Not enough parameters.');
  const [vm, action, ...rest] = args as [string, string, ...string[]];
  const m = findMachine(ctx, vm, FIND);
  if (!m.running) throw plainFailure(`Machine '${vm}' is not currently running.`);
  const v = ctx.config.version;
  if (action === 'pause') {
    if (m.state === 'paused') throw consoleError('Already paused', site(F, 390, 'Pause()'));
    ctx.runtime.pause(m);
    m.state = 'paused';
    m.stateChangeTime = ctx.now();
  } else if (action === 'resume') {
    if (m.state !== 'paused')
      throw consoleError('Cannot resume the machine as it is not paused (machine state: Running)', site(F, 395, 'Resume()'));
    ctx.runtime.resume(m);
    m.state = 'running';
    m.stateChangeTime = ctx.now();
  } else if (action === 'reset') {
    // A reset reboots the guest in place: nothing the simulator models changes.
  } else if (action === 'poweroff' || action === 'acpipowerbutton') {
    // The simulated guest honours the ACPI power button at once and powers off.
    powerDown(ctx, m, 'poweroff');
    if (action === 'poweroff') ctx.err(PROGRESS_OK);
  } else if (action === 'savestate') {
    powerDown(ctx, m, 'saved');
    m.stateFile = savedStateFile(m, ctx.now());
    ctx.err(PROGRESS_OK);
  } else if (action.startsWith('setlinkstate')) {
    const slot = nicSlot(m, action.slice(12));
    if (rest.length === 0) throw syntaxError(v, `Missing argument to '${action}'.`, 1);
    const on = parseBool(rest[0] as string);
    if (on === undefined) throw syntaxError(v, `Invalid link state '${rest[0]}'.`, 1);
    (m.nics[slot - 1] as Nic).cable = on;
    ctx.runtime.applyNic(m, slot);
  } else if (/^nic[0-9]/.test(action) || action === 'nic') {
    nicAction(ctx, m, action, rest);
  } else {
    throw syntaxError(v, `Invalid parameter '${action}'.`, 1);
  }
  ctx.tx.save(m);
}
