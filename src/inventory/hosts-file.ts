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
  // The yaml library's own messages quote the offending source line, and YAML.parse prints warnings with it
  // to stderr: in this file that line may hold a password. So parse quietly and say only where.
  const lines = new YAML.LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const refuse = (message: string) => ({ entries: [], passwords: new Map<string, string>(), diagnostics: [{ severity: 'error' as const, path: '(file)', message }] });
  const syntax = doc.errors[0];
  if (syntax) {
    const at = lines.linePos(syntax.pos[0]);
    return refuse(`not valid YAML at line ${at.line}, column ${at.col} (${syntax.code.toLowerCase().replaceAll('_', ' ')})`);
  }
  let raw: unknown;
  try {
    raw = doc.toJS();
  } catch {
    // Alias trouble (an alias before its anchor, an alias bomb). The library's message quotes the alias,
    // which is whatever text followed the `*`, a password included.
    return refuse('not valid YAML: an alias (*name) names no anchor defined before it, or aliases expand too far');
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
