import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DcodError } from '../errors';
import type { InventoryHost } from '../inventory/inventory';
import { resolveSecret, type SecretSources } from '../secrets/resolve';
import type { KnownHosts } from '../ssh/known-hosts';
import { SshRunner, type SshAuth, type SshRunnerOptions } from '../ssh/ssh-runner';
import { LocalRunner } from './local-runner';
import { failedObservation, observeHost } from './observe';
import type { ObservedHost } from './observed';
import type { StreamingRunner } from './runner';

/** `address: local` in the inventory means this machine's own VirtualBox, reached without SSH. */
export const LOCAL_ADDRESS = 'local';

export interface HostPoolOptions {
  readonly knownHosts: KnownHosts;
  readonly secrets: SecretSources;
  readonly ssh?: Omit<SshRunnerOptions, 'knownHosts'>;
}

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p;
}

/** Turns an inventory entry's auth (references) into what SSH needs (secrets), at connect time. */
export async function sshAuthFor(host: InventoryHost, secrets: SecretSources): Promise<SshAuth> {
  const auth = host.auth;
  switch (auth.method) {
    case 'key': {
      const file = expandHome(auth.keyFile);
      const privateKey = await readFile(file).catch((err: NodeJS.ErrnoException) => {
        throw new DcodError('AUTH_FAILED', `can't read the SSH key ${file} for host ${host.name}: ${err.code ?? err.message}`);
      });
      return { kind: 'key', privateKey, ...(auth.passphrase ? { passphrase: await resolveSecret(auth.passphrase, `the key of ${host.name}`, secrets) } : {}) };
    }
    case 'password':
      return { kind: 'password', password: await resolveSecret(auth.password, `${host.user}@${host.name}`, secrets) };
    case 'agent': {
      const socket = auth.socket ?? process.env.SSH_AUTH_SOCK;
      if (!socket) throw new DcodError('AUTH_FAILED', `host ${host.name} uses the SSH agent, but SSH_AUTH_SOCK is not set: start an agent or choose a key`);
      return { kind: 'agent', socket };
    }
  }
}

/**
 * One runner per host, kept for the whole session (one SSH connection each), and the parallel refresh
 * of every host's observed state.
 */
export class HostPool {
  private readonly runners = new Map<string, { key: string; runner: Promise<StreamingRunner> }>();

  constructor(private readonly opts: HostPoolOptions) {}

  runnerFor(host: InventoryHost): Promise<StreamingRunner> {
    // A changed address, user or auth gets a new connection; the old one is closed.
    const key = JSON.stringify([host.address, host.port, host.user, host.auth, host.os]);
    const cached = this.runners.get(host.name);
    if (cached?.key === key) return cached.runner;
    if (cached) void cached.runner.then((r) => r.close(), () => undefined);
    const runner = this.makeRunner(host);
    this.runners.set(host.name, { key, runner });
    runner.catch(() => this.runners.delete(host.name));
    return runner;
  }

  private async makeRunner(host: InventoryHost): Promise<StreamingRunner> {
    if (host.address === LOCAL_ADDRESS) return new LocalRunner();
    const auth = await sshAuthFor(host, this.opts.secrets);
    return new SshRunner(
      { host: host.address, port: host.port, username: host.user, auth, shell: host.os === 'windows' ? 'cmd' : 'posix' },
      { ...this.opts.ssh, knownHosts: this.opts.knownHosts },
    );
  }

  /** Every host read in parallel, one exec each; failures are in the results, never thrown. */
  async observe(hosts: readonly InventoryHost[]): Promise<ObservedHost[]> {
    return Promise.all(
      hosts.map(async (host) => {
        try {
          const runner = await this.runnerFor(host);
          return await observeHost(host.name, runner, host.vboxmanage ? { vboxmanage: host.vboxmanage } : {});
        } catch (err) {
          return failedObservation(host.name, err, new Date());
        }
      }),
    );
  }

  async close(): Promise<void> {
    const all = [...this.runners.values()];
    this.runners.clear();
    await Promise.all(all.map((r) => r.runner.then((x) => x.close(), () => undefined)));
  }
}
