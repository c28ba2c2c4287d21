/**
 * What the service API accepts for hosts and discovery. Pure schemas (no I/O), shared with the contract.
 */
import { z } from 'zod';
import { HostOs, InventoryHost } from '../inventory/schema';
import { SecretRef } from '../secrets/secret-ref';

/** How a UI or the CLI gives credentials: a reference, or (UI only) the secret itself, which goes to the keychain. */
export const AuthInput = z.discriminatedUnion('method', [
  z.object({ method: z.literal('key'), keyFile: z.string().min(1), passphrase: SecretRef.optional() }).strict(),
  z.object({ method: z.literal('password'), password: z.string().min(1).optional(), passwordRef: SecretRef.optional() }).strict(),
  z.object({ method: z.literal('agent'), socket: z.string().min(1).optional() }).strict(),
]);
export type AuthInput = z.infer<typeof AuthInput>;

export const HostInput = InventoryHost.omit({ auth: true }).extend({ auth: AuthInput, port: z.number().int().min(1).max(65535).optional(), os: HostOs.optional() });
export type HostInput = z.input<typeof HostInput>;

export const DiscoverInput = z
  .object({
    cidrs: z.array(z.string()).max(64).default([]),
    force: z.boolean().optional(),
    hostsFile: z.string().min(1).optional(),
    /** Also browse mDNS/DNS-SD for SSH servers and workstations on this machine's LANs. */
    mdns: z.boolean().optional(),
    user: z.string().min(1).optional(),
    auth: AuthInput.optional(),
  })
  .strict();
export type DiscoverInput = z.input<typeof DiscoverInput>;
