// `VBoxManage guestproperty get|set|unset|delete|enumerate …` (VBoxManageGuestProp.cpp).
import { syntaxError } from '../errors';
import { getopt, type OptDef } from '../getopt';
import { formatEnumerate, nanoTimestamp } from '../guestprops';
import { findMachine, site, type Ctx } from './context';

const F = 'VBoxManageGuestProp.cpp';
const FIND_GET = site(F, 77, 'FindMachine(Bstr(a->argv[0]).raw(), machine.asOutParam())');
const FIND_SET = site(F, 140, 'FindMachine(Bstr(a->argv[0]).raw(), machine.asOutParam())');
const FIND_DEL = site(F, 186, 'FindMachine(Bstr(a->argv[0]).raw(), machine.asOutParam())');
const FIND_ENUM = site(F, 325, 'FindMachine(Bstr(pszVmNameOrUuid).raw(), machine.asOutParam())');

const ENUM_OPTS: OptDef[] = [
  { name: '--old-format', id: 'old', kind: 'none' },
  { name: '--sort', id: 'sort', kind: 'none' },
  { name: '--unsort', id: 'unsort', kind: 'none' },
  { name: '--timestamp', id: 'ts', kind: 'none' },
  { name: '--ts', id: 'ts', kind: 'none' },
  { name: '--no-timestamp', id: 'nots', kind: 'none' },
  { name: '--no-ts', id: 'nots', kind: 'none' },
  { name: '--abs', id: 'abs', kind: 'none' },
  { name: '--absolute', id: 'abs', kind: 'none' },
  { name: '--flags', id: 'flags', kind: 'none' },
  { name: '--no-flags', id: 'noflags', kind: 'none' },
  { name: '--patterns', id: 'pattern', kind: 'string' },
  { name: '-patterns', id: 'pattern', kind: 'string' },
];

function get(args: string[], ctx: Ctx): void {
  const verbose = args.length === 3 && (args[2] === '--verbose' || args[2] === '-verbose');
  if (!verbose && args.length !== 2) throw syntaxError(ctx.config.version, 'Incorrect parameters');
  const m = findMachine(ctx, args[0] as string, FIND_GET);
  const p = m.guestProperties[args[1] as string];
  if (!p || !p.value) {
    ctx.out('No value set!\n');
    return;
  }
  ctx.out(`Value: ${p.value}\n`);
  if (verbose) ctx.out(`Timestamp: ${p.timestamp}\nFlags: ${p.flags}\n`);
}

function set(args: string[], ctx: Ctx): void {
  const ok = args.length === 2 || args.length === 3 || (args.length === 5 && (args[3] === '--flags' || args[3] === '-flags'));
  if (!ok) throw syntaxError(ctx.config.version, 'Incorrect parameters');
  const m = findMachine(ctx, args[0] as string, FIND_SET);
  const name = args[1] as string;
  const value = args[2];
  if (value === undefined || value === '') delete m.guestProperties[name];
  else m.guestProperties[name] = { value, timestamp: nanoTimestamp(ctx.now()), flags: args[4] ?? m.guestProperties[name]?.flags ?? '' };
  ctx.tx.save(m);
}

function unset(args: string[], ctx: Ctx): void {
  if (args.length !== 2) throw syntaxError(ctx.config.version, 'Incorrect parameters');
  const m = findMachine(ctx, args[0] as string, FIND_DEL);
  delete m.guestProperties[args[1] as string];
  ctx.tx.save(m);
}

function enumerate(args: string[], ctx: Ctx): void {
  let vm: string | undefined;
  const o = { oldFormat: false, timestamps: true, flags: true, patterns: [] as string[] };
  for (const r of getopt(args, ENUM_OPTS)) {
    if (r.type === 'error') throw syntaxError(ctx.config.version, r.message);
    if (r.type === 'arg') {
      if (vm === undefined) vm = r.value;
      else o.patterns.push(r.value);
      continue;
    }
    if (r.id === 'old') o.oldFormat = true;
    if (r.id === 'ts') o.timestamps = true;
    if (r.id === 'nots') o.timestamps = false;
    if (r.id === 'flags') o.flags = true;
    if (r.id === 'noflags') o.flags = false;
    if (r.id === 'pattern') o.patterns.push(String(r.value));
  }
  if (vm === undefined) throw syntaxError(ctx.config.version, 'No VM name or UUID was specified');
  const m = findMachine(ctx, vm, FIND_ENUM);
  ctx.out(formatEnumerate(m.guestProperties, o));
}

export function guestproperty(args: string[], ctx: Ctx): void {
  const [sub, ...rest] = args;
  if (sub === undefined) throw syntaxError(ctx.config.version, 'No subcommand specified');
  if (sub === 'get') return get(rest, ctx);
  if (sub === 'set') return set(rest, ctx);
  if (sub === 'unset' || sub === 'delete') return unset(rest, ctx);
  if (sub === 'enumerate') return enumerate(rest, ctx);
  throw syntaxError(ctx.config.version, `Unknown subcommand: ${sub}`);
}
