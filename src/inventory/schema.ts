/**
 * The inventory's schema: the hosts DCoD may use, how to reach them and which secret to log in with. It
 * holds references to secrets (an environment variable, a key file, the app's keychain…), never a secret.
 * Pure (no I/O), so the service contract and the renderer can share it.
 */
import { z } from 'zod';
import { SecretRef } from '../secrets/secret-ref';

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
