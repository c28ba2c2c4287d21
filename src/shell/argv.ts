import type { HostShell } from '../hosts/runner';
import { quoteCmd, quotePosix } from './quote';

/** The one way argv becomes a command line for a host's shell. */
export function quoteArgv(shell: HostShell, argv: readonly string[]): string {
  return shell === 'cmd' ? quoteCmd(argv) : quotePosix(argv);
}
