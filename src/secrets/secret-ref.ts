import { z } from 'zod';

/**
 * Where a secret lives, written as `scheme:rest`. The inventory and documents hold these, never secrets:
 * - `env:NAME` — an environment variable (the CLI's way to pass a password);
 * - `file:/path` — a file holding it (a password file; key files are named by `keyFile`);
 * - `keychain:ID` — the app's keychain, encrypted with the OS keychain (Electron safeStorage);
 * - `hosts-file:/path#address` — the password of that address in a DCoD hosts.yaml the user imported;
 * - `prompt` — ask the person at the terminal each time.
 */
export const SecretRef = z
  .string()
  .regex(/^(env:[A-Za-z_][A-Za-z0-9_]*|file:.+|keychain:[A-Za-z0-9._:-]+|hosts-file:.+#.+|prompt)$/, 'a secret reference is env:NAME, file:/path, keychain:ID, hosts-file:/path#address or prompt — never the secret itself');
export type SecretRef = z.infer<typeof SecretRef>;
