// Process entry of the bundled simulator. As `VBoxManage` it runs one command; started by the
// simulator itself inside a guest namespace (DCOD_SIM_GUEST set) it runs one of the guest's own
// programs instead (runtime/guest.ts).
import { loadConfig } from './config';
import { linuxHost } from './host';
import { runVBoxManage } from './cli';
import { namespaceRuntime } from './runtime/namespaces';
import { runGuestProgram } from './runtime/guest';

function main(): number {
  const env = process.env;
  const config = loadConfig(env);
  if (env.DCOD_SIM_GUEST) return runGuestProgram(env.DCOD_SIM_GUEST, process.argv.slice(2), config, env);
  const r = runVBoxManage(process.argv.slice(2), { config, host: linuxHost(config), runtime: namespaceRuntime(config) });
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  return r.code;
}

try {
  process.exitCode = main();
} catch (e) {
  // A simulator bug, not a VirtualBox error: say so plainly.
  process.stderr.write(`vboxsim: internal error: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 70;
}
