import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { formatDiagnostics, fromZodIssues, type Diagnostic } from '../diagnostics';
import { DcodError } from '../errors';
import { writeFileAtomic } from '../fsx/atomic';
import { SecretRef } from '../secrets/secret-ref';

/**
 * The inventory: the hosts DCoD may use, how to reach them and which secret to log in with. It holds
 * references to secrets (an environment variable, a key file, the app's keychain…), never a secret.
 */
export const HostOs = z.enum(['linux', 'windows', 'macos']);
export type HostOs = z.infer<typeof HostOs>;

const HostName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'use letters, digits, ".", "_" or "-" (at most 63), starting with a letter or digit');

export const Auth = z.discriminatedUnion('method', [
  z.object({ method: z.literal('key'), keyFile: z.string().min(1), passphrase: SecretRef.optional() }).strict(),
  z.object({ method: z.literal('password'), password: SecretRef }).strict(),
  z.object({ method: z.literal('agent'), socket: z.string().min(1).optional() }).strict(),
]);
export type Auth = z.infer<typeof Auth>;

export const InventoryHost = z
  .object({
    name: HostName,
    address: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(22),
    os: HostOs.default('linux'),
    user: z.string().min(1),
    auth: Auth,
    /** Where VBoxManage is when it isn't on the PATH (Windows hosts default to Program Files). */
    vboxmanage: z.string().min(1).optional(),
  })
  .strict();
export type InventoryHost = z.infer<typeof InventoryHost>;

export const Inventory = z
  .object({
    apiVersion: z.literal('dcod/v1'),
    kind: z.literal('Inventory'),
    hosts: z.array(InventoryHost).default([]),
  })
  .strict()
  .superRefine((inv, ctx) => {
    const seen = new Map<string, number>();
    inv.hosts.forEach((h, i) => {
      const first = seen.get(h.name);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['hosts', i, 'name'], message: `host name "${h.name}" is already used by hosts[${first}]` });
      else seen.set(h.name, i);
    });
  });
export type Inventory = z.infer<typeof Inventory>;

export const EMPTY_INVENTORY: Inventory = { apiVersion: 'dcod/v1', kind: 'Inventory', hosts: [] };

export function defaultInventoryPath(): string {
  const base = process.env.XDG_CONFIG_HOME || (process.platform === 'win32' ? process.env.APPDATA : undefined) || path.join(os.homedir(), '.config');
  return path.join(base!, 'dcod', 'inventory.yaml');
}

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
