// `VBoxManage getextradata|setextradata global|<vm> …` (VBoxManageMisc.cpp).
import { syntaxError } from '../errors';
import { findMachine, site, type Ctx } from './context';

const F = 'VBoxManageMisc.cpp';
const FIND_GET = site(F, 1338, 'FindMachine(Bstr(a->argv[0]).raw(), machine.asOutParam())');
const FIND_SET = site(F, 1398, 'FindMachine(Bstr(a->argv[0]).raw(), machine.asOutParam())');

/** GetExtraDataKeys: the settings keep extra data in a sorted map. */
function sortedKeys(data: Record<string, string>): string[] {
  return Object.keys(data).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function getextradata(args: string[], ctx: Ctx): void {
  if (args.length !== 2) throw syntaxError(ctx.config.version, 'Incorrect number of parameters');
  const [target, key] = args as [string, string];
  const data = target === 'global' ? ctx.tx.registry.extradata : findMachine(ctx, target, FIND_GET).extradata;
  if (key === 'enumerate') {
    ctx.out(sortedKeys(data).map((k) => `Key: ${k}, Value: ${data[k]}\n`).join(''));
    return;
  }
  const v = data[key];
  ctx.out(v ? `Value: ${v}\n` : 'No value set!\n');
}

export function setextradata(args: string[], ctx: Ctx): void {
  if (args.length < 2) throw syntaxError(ctx.config.version, 'Not enough parameters');
  if (args.length > 3) throw syntaxError(ctx.config.version, 'Too many parameters');
  const [target, key, value] = args as [string, string, string | undefined];
  const apply = (data: Record<string, string>) => {
    // An empty or missing value deletes the key.
    if (value) data[key] = value;
    else delete data[key];
  };
  if (target === 'global') {
    apply(ctx.tx.registry.extradata);
    ctx.tx.touchRegistry();
    return;
  }
  const m = findMachine(ctx, target, FIND_SET);
  apply(m.extradata);
  ctx.tx.save(m);
}
