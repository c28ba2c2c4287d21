import YAML from 'yaml';
import { z } from 'zod';
import { fromZodIssues, type Diagnostic } from '../diagnostics';

/**
 * DCoD's hosts file, for importing many hosts at once:
 *   hosts:
 *     "192.168.1.20": { os: "linux", user: "vbox", password: "…" }
 * Every value is a string (as people write them by hand). The password stays in that file: the
 * inventory refers to it (`hosts-file:/path#address`) instead of copying it anywhere.
 */
const HostsFileEntry = z
  .object({
    os: z.enum(['linux', 'windows', 'macos'], { message: 'os must be "linux", "windows" or "macos"' }),
    user: z.string().min(1),
    password: z.string().optional(),
    port: z.string().regex(/^\d{1,5}$/, 'port must be a number written as a string, like "22"').optional(),
  })
  .strict();

export const HostsFile = z.object({ hosts: z.record(z.string(), HostsFileEntry) }).strict();
export type HostsFile = z.infer<typeof HostsFile>;

export interface HostsFileEntry {
  readonly address: string;
  readonly os: 'linux' | 'windows' | 'macos';
  readonly user: string;
  readonly port: number;
  readonly hasPassword: boolean;
}

export function parseHostsFile(text: string): { entries: HostsFileEntry[]; diagnostics: Diagnostic[]; passwords: Map<string, string> } {
  let raw: unknown;
  try {
    raw = YAML.parse(text);
  } catch (err) {
    return { entries: [], passwords: new Map(), diagnostics: [{ severity: 'error', path: '(file)', message: `not valid YAML: ${(err as Error).message}` }] };
  }
  const parsed = HostsFile.safeParse(raw);
  if (!parsed.success) {
    return { entries: [], passwords: new Map(), diagnostics: fromZodIssues(parsed.error.issues, () => 'write it as hosts: { "<ip>": { os: "linux", user: "…", password: "…" } }') };
  }
  const passwords = new Map<string, string>();
  const entries = Object.entries(parsed.data.hosts).map(([address, e]) => {
    if (e.password !== undefined) passwords.set(address, e.password);
    return { address, os: e.os, user: e.user, port: e.port ? Number(e.port) : 22, hasPassword: e.password !== undefined };
  });
  return { entries, passwords, diagnostics: [] };
}
