import type { z } from 'zod';

/**
 * One finding about user input: where (a JSON path like `hosts[2].port`, or `file:line`), what is wrong,
 * and how to fix it. Validation returns all of them instead of throwing at the first.
 */
export interface Diagnostic {
  readonly severity: 'error' | 'warning';
  readonly path: string;
  readonly message: string;
  readonly fix?: string;
}

/** `hosts[2].auth.method` from zod's path segments. */
export function jsonPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of segments) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (typeof seg === 'string' && /^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out || '(root)';
}

export function fromZodIssues(issues: readonly z.core.$ZodIssue[], fixes: (path: string, issue: z.core.$ZodIssue) => string | undefined = () => undefined): Diagnostic[] {
  return issues.map((issue) => {
    const path = jsonPath(issue.path);
    const fix = fixes(path, issue);
    return { severity: 'error', path, message: issue.message, ...(fix ? { fix } : {}) };
  });
}

export function formatDiagnostics(source: string, diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((d) => `${source}: ${d.severity} at ${d.path}: ${d.message}${d.fix ? ` (fix: ${d.fix})` : ''}`).join('\n');
}
