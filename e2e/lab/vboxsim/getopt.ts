// A small RTGetOpt: the option parser every VBoxManage command uses. Mirrors the parts whose
// behaviour users can see: `--opt value`, `--opt=value`, `--opt:value`, indexed options such as
// `--nic3`, options and operands mixed in any order, and the error each misuse produces.

export type OptKind = 'none' | 'string' | 'uint32' | 'bool' | 'onoff' | 'uuid';

export interface OptDef {
  /** Long spelling incl. dashes, e.g. `--name` or the deprecated `-name`. */
  readonly name: string;
  readonly id: string;
  readonly kind: OptKind;
  /** RTGETOPT_FLAG_INDEX: `--nic` also matches `--nic1`…`--nic36`, giving the index. */
  readonly indexed?: boolean;
}

export type GetOptResult =
  | { readonly type: 'opt'; readonly id: string; readonly name: string; readonly value: string | boolean | number | undefined; readonly index: number }
  | { readonly type: 'arg'; readonly value: string }
  | { readonly type: 'error'; readonly message: string };

const UUID_RE = /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i;

/** Short messages IPRT prints for RTGetOpt status codes (`%Rrs`). */
const MSG_MISSING = 'RTGetOpt: Command line option needs argument.';

/** RTGETOPT_REQ_BOOL (case-insensitive words, exact digits). */
export function parseBool(v: string): boolean | undefined {
  const l = v.toLowerCase();
  if (['true', 't', 'yes', 'y', 'enabled', 'enable', 'en', 'e', 'on'].includes(l) || v === '1') return true;
  if (['false', 'f', 'no', 'n', 'disabled', 'disable', 'dis', 'd', 'off'].includes(l) || v === '0') return false;
  return undefined;
}

function parseUint32(v: string): number | undefined {
  const m = /^(0x[0-9a-f]+|[0-9]+)$/i.exec(v.trim());
  if (!m) return undefined;
  const n = Number(v.trim());
  return n <= 0xffffffff ? n : undefined;
}

function match(defs: readonly OptDef[], arg: string): { def: OptDef; index: number; inline?: string } | undefined {
  const eq = arg.search(/[=:]/);
  const head = eq >= 0 ? arg.slice(0, eq) : arg;
  const inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
  for (const def of defs) {
    if (!def.indexed && head === def.name) return { def, index: 0, inline };
    if (def.indexed && head.startsWith(def.name)) {
      const rest = head.slice(def.name.length);
      if (/^[0-9]+$/.test(rest)) return { def, index: Number(rest), inline };
    }
  }
  return undefined;
}

/** Parses `args` against `defs`; one result per option or operand, stopping at the first error. */
export function getopt(args: readonly string[], defs: readonly OptDef[]): GetOptResult[] {
  const out: GetOptResult[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') {
      for (const rest of args.slice(i + 1)) out.push({ type: 'arg', value: rest });
      break;
    }
    // Some commands define bare words as options (`list vms`, `createmedium disk`).
    const bare = defs.find((d) => !d.name.startsWith('-') && d.name === arg);
    if (bare) {
      out.push({ type: 'opt', id: bare.id, name: bare.name, value: undefined, index: 0 });
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      out.push({ type: 'arg', value: arg });
      continue;
    }
    const m = match(defs, arg);
    if (!m) {
      out.push({ type: 'error', message: `Unknown option: ${arg}` });
      break;
    }
    const { def, index } = m;
    if (def.kind === 'none') {
      out.push({ type: 'opt', id: def.id, name: def.name, value: undefined, index });
      continue;
    }
    let raw = m.inline;
    if (raw === undefined) {
      if (i + 1 >= args.length) {
        out.push({ type: 'error', message: `${def.name}: ${MSG_MISSING}` });
        break;
      }
      raw = args[++i] as string;
    }
    let value: string | boolean | number | undefined = raw;
    if (def.kind === 'bool' || def.kind === 'onoff') {
      value = def.kind === 'bool' ? parseBool(raw) : raw.toLowerCase() === 'on' ? true : raw.toLowerCase() === 'off' ? false : undefined;
      // RTGetOpt reports a bad boolean as an unknown option named by the value.
      if (value === undefined) {
        out.push({ type: 'error', message: `Unknown option: ${raw}` });
        break;
      }
    }
    if (def.kind === 'uint32') value = parseUint32(raw);
    if (def.kind === 'uuid') value = UUID_RE.test(raw) ? raw.replace(/[{}]/g, '').toLowerCase() : undefined;
    if (value === undefined) {
      out.push({ type: 'error', message: `Invalid argument format: ${raw}` });
      break;
    }
    out.push({ type: 'opt', id: def.id, name: def.name, value, index });
  }
  return out;
}

export function isUuid(s: string): boolean {
  return UUID_RE.test(s);
}
