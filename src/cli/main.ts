import { Command, CommanderError } from 'commander';
import { toDcodError } from '../errors';
import { version } from '../version';
import { addGlobalOptions } from './context';
import { registerDiscover } from './discover';
import { registerHosts, registerInventory } from './hosts';
import { registerServe } from './serve';
import { registerCapture } from './capture';
import { registerTraffic } from './traffic';
import { registerAdopt } from './adopt';
import { registerApply } from './apply';
import { registerDestroy } from './destroy';
import { registerPlan } from './plan';
import { registerStatus } from './status';
import { registerValidate } from './validate';
import { registerSnapshot } from './snapshot';
import { registerExport } from './export';
import { registerImport } from './import';

/** Builds the `dcod` program; each verb lives in a file of its own and registers itself here. */
export function program(): Command {
  const cmd = new Command('dcod')
    .description('DCoD — Datacenter on Desk: VirtualBox hosts on a LAN as one virtual datacenter')
    .version(version, '-V, --version')
    .showHelpAfterError()
    .exitOverride();
  addGlobalOptions(cmd);
  registerServe(cmd);
  registerDiscover(cmd);
  registerHosts(cmd);
  registerInventory(cmd);
  registerValidate(cmd);
  registerPlan(cmd);
  registerApply(cmd);
  registerStatus(cmd);
  registerDestroy(cmd);
  registerAdopt(cmd);
  registerTraffic(cmd);
  registerCapture(cmd);
  registerSnapshot(cmd);
  registerExport(cmd);
  registerImport(cmd);
  return cmd;
}

/** Runs the CLI and returns the exit code: 0 ok, 1 failed, 2 bad usage. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await program().parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    const e = toDcodError(err);
    process.stderr.write(`dcod: ${e.toString()} [${e.code}${e.retryable ? ', retryable' : ''}]\n`);
    return 1;
  }
}
