import { Option, type Command } from 'commander';
import { DcodError } from '../errors';
import type { AuthInput } from '../hosts/inputs';

export interface AuthFlags {
  readonly key?: string;
  readonly passwordEnv?: string;
  readonly passwordPrompt?: boolean;
  readonly agent?: boolean;
}

/** --key, --password-env, --password-prompt, --agent: a password is never an argument (it would show in ps). */
export function addAuthOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--key <file>', 'log in with this private key file'))
    .addOption(new Option('--password-env <name>', 'log in with the password in this environment variable'))
    .addOption(new Option('--password-prompt', 'ask for the password each time it is needed'))
    .addOption(new Option('--agent', 'log in with the SSH agent ($SSH_AUTH_SOCK)'));
}

export function authFrom(flags: AuthFlags): AuthInput | undefined {
  const given = [flags.key !== undefined, flags.passwordEnv !== undefined, flags.passwordPrompt === true, flags.agent === true].filter(Boolean).length;
  if (given > 1) throw new DcodError('BAD_REQUEST', 'choose one of --key, --password-env, --password-prompt and --agent');
  if (flags.key) return { method: 'key', keyFile: flags.key };
  if (flags.passwordEnv) return { method: 'password', passwordRef: `env:${flags.passwordEnv}` };
  if (flags.passwordPrompt) return { method: 'password', passwordRef: 'prompt' };
  if (flags.agent) return { method: 'agent' };
  return undefined;
}
