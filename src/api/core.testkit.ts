import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createService, type Core, type CoreOptions } from './service';

/** A core whose inventory, known_hosts and keychain live in a fresh temp folder, removed by `dispose`. */
export async function tempCore(opts: Omit<CoreOptions, 'paths'> = {}): Promise<{ core: Core; dir: string; dispose(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dcod-core-'));
  const core = await createService({
    ...opts,
    paths: { inventory: path.join(dir, 'inventory.yaml'), knownHosts: path.join(dir, 'known_hosts'), keychain: path.join(dir, 'keychain.json') },
  });
  return {
    core,
    dir,
    async dispose() {
      await core.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
