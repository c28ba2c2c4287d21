/**
 * The datacenter document on disk (`datacenter.yaml`): read with every problem located (YAML syntax
 * errors by line and column, then each schema and semantic diagnostic by path *and* line), written
 * atomically in one canonical form, and versioned by the sha256 of that form — so a plan made from one
 * version is never applied to another.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isCollection, LineCounter, parseDocument, stringify } from 'yaml';
import type { Diagnostic } from '../diagnostics';
import { DcodError } from '../errors';
import { writeFileAtomic } from '../fsx/atomic';
import { Datacenter } from './document';
import { validateDocument, type ValidationContext } from './validate';

/** A diagnostic with where it is in the file (1-based), when it can be placed. */
export interface LocatedDiagnostic extends Diagnostic {
  readonly line?: number;
  readonly column?: number;
}

export interface ParsedDocument {
  /** Present only when there is no error (warnings may remain). */
  readonly document?: Datacenter;
  readonly version?: string;
  readonly diagnostics: readonly LocatedDiagnostic[];
}

/** `vms[2].nics[0]["odd key"]` → ['vms', 2, 'nics', 0, 'odd key'] (the inverse of ../diagnostics' jsonPath). */
export function pathSegments(p: string): (string | number)[] {
  if (p === '(root)') return [];
  const out: (string | number)[] = [];
  for (const m of p.matchAll(/\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\.?([^.[\]]+)/g)) {
    if (m[1] !== undefined) out.push(Number(m[1]));
    else if (m[2] !== undefined) out.push(JSON.parse(m[2]) as string);
    else if (m[3] !== undefined) out.push(m[3]);
  }
  return out;
}

/**
 * Parses and validates a document's text; never throws for bad input, it reports it. With the inventory
 * (and the last observation) in `ctx`, placement is checked too.
 */
export function parseDocumentText(text: string, ctx: ValidationContext = {}): ParsedDocument {
  const lines = new LineCounter();
  const yaml = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => {
    const pos = lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  if (yaml.errors.length) {
    return {
      diagnostics: yaml.errors.map((e) => {
        const where = at(e.pos[0]);
        return { severity: 'error', path: `line ${where.line}, column ${where.column}`, message: e.message, ...where };
      }),
    };
  }
  const { document, diagnostics } = validateDocument(yaml.toJS(), ctx);
  // Each diagnostic at its node, or the nearest enclosing one that exists (a missing key: its object).
  const locate = (d: Diagnostic): LocatedDiagnostic => {
    const segs = pathSegments(d.path);
    for (let n = segs.length; n >= 0; n--) {
      const node = n === 0 ? yaml.contents : yaml.getIn(segs.slice(0, n), true);
      const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
      if (range && (n === segs.length || isCollection(node))) return { ...d, ...at(range[0]) };
    }
    return d;
  };
  const located = diagnostics.map(locate);
  if (!document || located.some((d) => d.severity === 'error')) return { diagnostics: located };
  return { document, version: documentVersion(document), diagnostics: located };
}

/** `datacenter.yaml:14:7: error at vms[2].memoryMb: … (fix: …)`, one line each. */
export function formatLocated(file: string, diagnostics: readonly LocatedDiagnostic[]): string {
  return diagnostics
    .map((d) => `${file}${d.line === undefined ? '' : `:${d.line}:${d.column}`}: ${d.severity} at ${d.path}: ${d.message}${d.fix ? ` (fix: ${d.fix})` : ''}`)
    .join('\n');
}

export interface LoadedDocument {
  readonly file: string;
  readonly document: Datacenter;
  readonly version: string;
  /** Warnings only: a document with errors does not load. */
  readonly diagnostics: readonly LocatedDiagnostic[];
}

async function readText(file: string): Promise<string> {
  return readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new DcodError(err.code === 'ENOENT' ? 'NOT_FOUND' : 'FILE_ERROR', `can't read the document ${file}: ${err.code ?? err.message}`);
  });
}

/** Reads and validates a document file: the diagnostics, and the document when it has no error. */
export async function readDocumentFile(file: string, ctx: ValidationContext = {}): Promise<ParsedDocument & { readonly file: string }> {
  const absolute = path.resolve(file);
  return { file: absolute, ...parseDocumentText(await readText(absolute), ctx) };
}

/** Reads a document that must be valid; throws INVALID_DOCUMENT listing every error otherwise. */
export async function loadDocumentFile(file: string, ctx: ValidationContext = {}): Promise<LoadedDocument> {
  const read = await readDocumentFile(file, ctx);
  if (!read.document || !read.version) {
    const errors = read.diagnostics.filter((d) => d.severity === 'error');
    throw new DcodError('INVALID_DOCUMENT', `${errors.length} error${errors.length === 1 ? '' : 's'} in the document:\n${formatLocated(read.file, read.diagnostics)}`);
  }
  return { file: read.file, document: read.document, version: read.version, diagnostics: read.diagnostics };
}

/** Drops empty lists and maps (every one of them is a default), so the file says only what was chosen. */
function withoutEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmpty);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) continue;
    out[k] = withoutEmpty(v);
  }
  return out;
}

/** The one way a document is written: schema field order, no unknown field, no empty list. */
export function canonicalYaml(document: Datacenter): string {
  return stringify(withoutEmpty(Datacenter.parse(document)), { lineWidth: 0 });
}

/** JSON with object keys sorted at every depth: the same document always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The document's version: sha256 of its canonical form (defaults filled in, keys sorted). */
export function documentVersion(document: Datacenter): string {
  return createHash('sha256').update(canonicalJson(Datacenter.parse(document))).digest('hex');
}

/** Writes the document atomically (a crash leaves the old file or the new one); returns its version. */
export async function saveDocumentFile(file: string, document: Datacenter): Promise<string> {
  return saveCanonical(path.resolve(file), document);
}

async function saveCanonical(file: string, document: Datacenter): Promise<string> {
  const parsed = validateDocument(Datacenter.parse(document));
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
  if (!parsed.document || errors.length) throw new DcodError('INVALID_DOCUMENT', `refusing to save an invalid document:\n${formatLocated(file, errors)}`);
  await writeFileAtomic(file, canonicalYaml(parsed.document));
  return documentVersion(parsed.document);
}

/** Saves in this process, by absolute path: each waits for the one before, so check-then-write is not torn. */
const saving = new Map<string, Promise<unknown>>();

/**
 * The editor's save: writes only if the file is still at `baseVersion` (`null`: there must be no file
 * yet), so a change made elsewhere since the editor read it — a text editor, another window, `dcod
 * adopt` — is refused with INVALID_STATE instead of silently overwritten. A file that no longer parses
 * counts as changed. Returns the new version.
 */
export async function saveDocumentFileFrom(file: string, document: Datacenter, baseVersion: string | null): Promise<string> {
  const absolute = path.resolve(file);
  const save = async () => {
    const text = await readText(absolute).catch((err: unknown) => {
      if (err instanceof DcodError && err.code === 'NOT_FOUND') return null;
      throw err;
    });
    const current = text === null ? null : (parseDocumentText(text).version ?? 'unreadable');
    if (current !== baseVersion) {
      const was = baseVersion === null ? 'did not exist' : `was at version ${baseVersion.slice(0, 12)}`;
      const now = current === null ? 'is gone' : current === 'unreadable' ? 'no longer parses' : `is at version ${current.slice(0, 12)}`;
      throw new DcodError('INVALID_STATE', `${absolute} changed since it was read (it ${was}, it ${now}): reopen it to see the change, or save under another name`);
    }
    return saveCanonical(absolute, document);
  };
  const queued = (saving.get(absolute) ?? Promise.resolve()).then(save, save);
  const tail = queued.catch(() => undefined);
  saving.set(absolute, tail);
  void tail.then(() => saving.get(absolute) === tail && saving.delete(absolute));
  return queued;
}
