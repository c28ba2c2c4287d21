import os from 'node:os';
import path from 'node:path';

/** Where DCoD keeps its own files: `$XDG_CONFIG_HOME/dcod`, `%APPDATA%\dcod`, or `~/.config/dcod`. */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || (process.platform === 'win32' ? env.APPDATA : undefined) || path.join(os.homedir(), '.config');
  return path.join(base, 'dcod');
}

export interface ConfigPaths {
  readonly inventory: string;
  readonly knownHosts: string;
  /** Secrets sealed with the OS keychain (the app only). */
  readonly keychain: string;
}

export function configPaths(overrides: Partial<ConfigPaths> = {}, env: NodeJS.ProcessEnv = process.env): ConfigPaths {
  const dir = configDir(env);
  return {
    inventory: overrides.inventory ?? path.join(dir, 'inventory.yaml'),
    knownHosts: overrides.knownHosts ?? path.join(dir, 'known_hosts'),
    keychain: overrides.keychain ?? path.join(dir, 'keychain.json'),
  };
}
