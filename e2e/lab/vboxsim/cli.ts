// VBoxManage's main(): global options, command lookup, then the handler inside one locked state
// session. Returns what the process prints and its exit code, so tests can run it in-process.
import { randomUUID } from 'node:crypto';
import { logo, syntaxError, VBoxError } from './errors';
import type { SimConfig } from './config';
import type { HostProbe } from './host';
import type { VmRuntime } from './runtime/runtime';
import { withState } from './store';
import { dropTransient } from './guestprops';
import type { Ctx } from './commands/context';
import { clonevm } from './commands/clonevm';
import { controlvm } from './commands/controlvm';
import { createvm } from './commands/createvm';
import { debugvm } from './commands/debugvm';
import { getextradata, setextradata } from './commands/extradata';
import { guestproperty } from './commands/guestproperty';
import { exportAppliance, importAppliance } from './commands/appliance';
import { list } from './commands/list';
import { closemedium, createmedium, modifymedium } from './commands/medium';
import { modifyvm } from './commands/modifyvm';
import { showvminfo } from './commands/showvminfo';
import { snapshot } from './commands/snapshot';
import { startvm } from './commands/startvm';
import { storageattach, storagectl } from './commands/storage';
import { unregistervm } from './commands/unregistervm';

type Handler = (args: string[], ctx: Ctx) => void;

const COMMANDS: Record<string, Handler> = {
  list,
  showvminfo,
  createvm,
  modifyvm,
  startvm,
  controlvm,
  unregistervm,
  clonevm,
  snapshot,
  createmedium,
  createhd: createmedium,
  closemedium,
  modifymedium,
  modifyhd: modifymedium,
  storagectl,
  storageattach,
  getextradata,
  setextradata,
  guestproperty,
  export: exportAppliance,
  import: importAppliance,
  debugvm,
};

/** A VM whose process vanished without a power-off is "aborted", as VBoxSVC reports it. */
function markAborted(ctx: Ctx): void {
  for (const m of ctx.tx.allMachines()) {
    if (!m.running || ctx.runtime.alive(m)) continue;
    m.running = null;
    m.state = 'aborted';
    m.stateChangeTime = ctx.now();
    m.sessionName = '';
    m.guestProperties = dropTransient(m.guestProperties);
    ctx.tx.save(m);
  }
}

export interface SimDeps {
  readonly config: SimConfig;
  readonly host: HostProbe;
  readonly runtime: VmRuntime;
  readonly now?: () => number;
  readonly uuid?: () => string;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  code: number;
}

export function runVBoxManage(argv: readonly string[], deps: SimDeps): RunResult {
  let stdout = '';
  let stderr = '';
  const version = deps.config.version;
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '-V' || a === '--version' || a === '-v' || a === '-version' || a === '-Version')
      return { stdout: `${version}r${deps.config.revision}\n`, stderr: '', code: 0 };
    // The logo is off by default in 7.0, so --nologo changes nothing; detailed progress isn't simulated.
    if (!['-q', '--nologo', '-nologo', '-d', '--detailed-progress'].includes(a)) break;
  }
  const name = argv[i];
  if (name === undefined || ['help', '--help', '-h', '-?', '-help'].includes(name)) {
    // VirtualBox follows this with the usage of every command; not reproduced.
    return { stdout: `${logo(version)}Usage - Oracle VM VirtualBox command-line interface:\n\n`, stderr: '', code: 0 };
  }
  const handler = COMMANDS[name];
  if (!handler) {
    const e = syntaxError(version, `Invalid command '${name}'`);
    return { stdout, stderr: e.stderr, code: e.exitCode };
  }
  const args = argv.slice(i + 1);
  // A command without arguments prints its usage and fails; `list`-like commands need one too.
  if (args.length === 0) return { stdout, stderr, code: 1 };
  try {
    withState(deps.config.stateDir, (tx) => {
      const ctx: Ctx = {
        config: deps.config,
        tx,
        host: deps.host,
        runtime: deps.runtime,
        now: deps.now ?? Date.now,
        uuid: deps.uuid ?? randomUUID,
        out: (s) => {
          stdout += s;
        },
        err: (s) => {
          stderr += s;
        },
      };
      markAborted(ctx);
      handler(args, ctx);
    });
    return { stdout, stderr, code: 0 };
  } catch (e) {
    if (e instanceof VBoxError) return { stdout, stderr: stderr + e.stderr, code: e.exitCode };
    throw e;
  }
}
