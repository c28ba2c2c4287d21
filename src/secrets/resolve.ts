import { readFile } from 'node:fs/promises';
import { DcodError } from '../errors';
import { parseHostsFile } from '../inventory/hosts-file';
import type { Keychain } from './keychain';
import type { SecretRef } from './secret-ref';

export interface SecretSources {
  readonly env?: NodeJS.ProcessEnv;
  readonly keychain?: Keychain;
  /** Asks a person; absent where nobody can answer (CI, the app's core without a window). */
  readonly prompt?: (question: string) => Promise<string>;
}

/** Turns a reference into the secret, at the moment it is needed; the value is never stored or logged. */
export async function resolveSecret(ref: SecretRef, what: string, sources: SecretSources): Promise<string> {
  const colon = ref.indexOf(':');
  const scheme = colon < 0 ? ref : ref.slice(0, colon);
  const rest = colon < 0 ? '' : ref.slice(colon + 1);
  const missing = (how: string) => new DcodError('AUTH_FAILED', `no secret for ${what}: ${how}`);
  switch (scheme) {
    case 'env': {
      const value = (sources.env ?? process.env)[rest];
      if (value === undefined) throw missing(`the environment variable ${rest} is not set`);
      return value;
    }
    case 'file':
      return (await readFile(rest, 'utf8').catch(() => Promise.reject(missing(`can't read ${rest}`)))).replace(/\r?\n$/, '');
    case 'keychain': {
      if (!sources.keychain) throw missing('the keychain is only available in the app (use env:NAME or prompt on the command line)');
      const value = await sources.keychain.get(rest);
      if (value === undefined) throw missing(`nothing is stored under "${rest}" in the keychain: enter it again`);
      return value;
    }
    case 'hosts-file': {
      const hash = rest.lastIndexOf('#');
      const file = rest.slice(0, hash);
      const address = rest.slice(hash + 1);
      const text = await readFile(file, 'utf8').catch(() => Promise.reject(missing(`can't read the hosts file ${file}`)));
      const value = parseHostsFile(text).passwords.get(address);
      if (value === undefined) throw missing(`${file} has no password for ${address}`);
      return value;
    }
    case 'prompt':
      if (!sources.prompt) throw missing('it is set to be asked for, and nobody can answer here');
      return sources.prompt(`Password for ${what}: `);
    default:
      throw new DcodError('BAD_REQUEST', `unknown secret reference "${scheme}:" for ${what}`);
  }
}
