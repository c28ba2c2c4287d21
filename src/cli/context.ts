import type { Command } from 'commander';
import { inProcessClient } from '../api/client';
import type { ApiClient } from '../api/contract';
import { createService, type Core } from '../api/service';
import { promptSecret } from './prompt';

export interface GlobalOptions {
  readonly inventory?: string;
  readonly knownHosts?: string;
}

export function addGlobalOptions(program: Command): void {
  program
    .option('--inventory <file>', 'the inventory file (default: ~/.config/dcod/inventory.yaml)')
    .option('--known-hosts <file>', 'pinned host keys (default: ~/.config/dcod/known_hosts)');
}

/**
 * Runs `work` with a core built from the global options and a client to it; the core (and its SSH
 * connections) is closed afterwards whatever happens.
 */
export async function withClient<T>(cmd: Command, work: (client: ApiClient, core: Core) => Promise<T>): Promise<T> {
  const g = cmd.optsWithGlobals<GlobalOptions>();
  const core = await createService({
    paths: { ...(g.inventory ? { inventory: g.inventory } : {}), ...(g.knownHosts ? { knownHosts: g.knownHosts } : {}) },
    prompt: promptSecret,
  });
  try {
    return await work(inProcessClient(core), core);
  } finally {
    await core.close();
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** A plain text table: columns padded to their widest cell. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n') + '\n';
}
