import { readFile } from 'node:fs/promises';
import YAML from 'yaml';
import { formatDiagnostics, fromZodIssues, type Diagnostic } from '../diagnostics';
import { DcodError } from '../errors';
import { writeFileAtomic } from '../fsx/atomic';
import { Inventory, type InventoryHost } from './schema';

export * from './schema';

export const EMPTY_INVENTORY: Inventory = { apiVersion: 'dcod/v1', kind: 'Inventory', hosts: [] };

/** Parses inventory text; every problem is reported with its path, not just the first. */
export function parseInventory(text: string): { inventory?: Inventory; diagnostics: Diagnostic[] } {
  let raw: unknown;
  try {
    raw = YAML.parse(text) ?? { apiVersion: 'dcod/v1', kind: 'Inventory' };
  } catch (err) {
    return { diagnostics: [{ severity: 'error', path: '(file)', message: `not valid YAML: ${(err as Error).message}`, fix: 'check indentation and quoting near the line named' }] };
  }
  const parsed = Inventory.safeParse(raw);
  if (!parsed.success) return { diagnostics: fromZodIssues(parsed.error.issues) };
  return { inventory: parsed.data, diagnostics: [] };
}

export async function loadInventory(file: string): Promise<Inventory> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw new DcodError('FILE_ERROR', `can't read the inventory ${file}: ${err.message}`);
  });
  if (text === undefined) return EMPTY_INVENTORY;
  const { inventory, diagnostics } = parseInventory(text);
  if (!inventory) throw new DcodError('INVALID_DOCUMENT', `the inventory is invalid:\n${formatDiagnostics(file, diagnostics)}`);
  return inventory;
}

export async function saveInventory(file: string, inventory: Inventory): Promise<void> {
  await writeFileAtomic(file, YAML.stringify(Inventory.parse(inventory)), { mode: 0o600 });
}

/** Adds or replaces (by name) one host. */
export function upsertHost(inv: Inventory, host: InventoryHost): Inventory {
  const hosts = inv.hosts.some((h) => h.name === host.name) ? inv.hosts.map((h) => (h.name === host.name ? host : h)) : [...inv.hosts, host];
  return { ...inv, hosts };
}

export function removeHost(inv: Inventory, name: string): Inventory {
  if (!inv.hosts.some((h) => h.name === name)) throw new DcodError('NOT_FOUND', `no host named "${name}" in the inventory (dcod hosts list shows them)`);
  return { ...inv, hosts: inv.hosts.filter((h) => h.name !== name) };
}
