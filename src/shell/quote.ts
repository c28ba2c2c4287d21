/**
 * Turning an argv list into one command line for a remote shell, so that user text (VM names, paths,
 * snapshot names) always arrives as exactly the argument it was and can never become shell syntax.
 * SSH hands the server one string, which the account's shell parses: a POSIX shell on Linux/macOS hosts,
 * cmd.exe (the Win32-OpenSSH default) on Windows hosts.
 */

import { DcodError } from '../errors';

/** Thrown for text that no quoting can carry safely through the target shell (a BAD_REQUEST). */
export class UnquotableArgumentError extends DcodError {
  constructor(
    readonly argument: string,
    reason: string,
  ) {
    super('BAD_REQUEST', `cannot pass ${JSON.stringify(argument)} on a command line: ${reason}`);
    this.name = 'UnquotableArgumentError';
  }
}

// Words made only of these need no quotes in sh, bash or zsh. A leading "=" is excluded because zsh
// expands `=cmd` to the path of cmd.
const POSIX_SAFE = /^[A-Za-z0-9_@%+:,./-][A-Za-z0-9_@%+=:,./-]*$/;

/**
 * One word for a POSIX shell (dash, bash, zsh as `sh -c`): bare when it is plainly safe, otherwise in
 * single quotes, inside which nothing is special; a `'` closes the quotes, adds an escaped quote and
 * reopens them (`'\''`). fish and csh are not POSIX shells and are not targets.
 */
export function quotePosixArg(arg: string): string {
  if (arg.includes('\0')) throw new UnquotableArgumentError(arg, 'it contains a NUL character, which no argv can hold');
  if (arg === '') return "''";
  if (POSIX_SAFE.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

export function quotePosix(argv: readonly string[]): string {
  return argv.map(quotePosixArg).join(' ');
}

/*
 * cmd.exe, then the program's own argv parser (the MSVCRT / CommandLineToArgvW rules, which VBoxManage's
 * runtime follows), each read the line. The rule used here:
 *
 * 1. Each argument is first quoted for the MSVCRT parser: bare if it is non-empty and has no space, tab or
 *    `"`; otherwise in double quotes, where a `"` becomes `\"`, and backslashes are doubled when they stand
 *    before a `"` (embedded or the closing one), since only there are they escapes.
 * 2. Then every cmd metacharacter in that text, `"` included, gets a caret: `^" ^^ ^& ^| ^< ^> ^( ^)`.
 *    Because even the quotes are escaped, cmd never enters its quoted state, so it removes every caret
 *    and runs the rest as plain text; no `&` or `|` can end the command whatever the argument held.
 * 3. `%` and `!` are refused: cmd expands `%NAME%` before it looks at carets or quotes, and `!NAME!` when
 *    delayed expansion is on (a registry setting the caller can't see), and no encoding is right in every
 *    configuration. CR, LF, NUL and the other control characters are refused too (a line break ends the
 *    command). Pass such values some other way, e.g. by UUID.
 * 4. The program (argv[0]) is read by CreateProcess, not the MSVCRT rules: it is put in plain double quotes
 *    when it needs them, and then prefixed with `@` so the line never starts with `"`. `cmd /c` strips the
 *    first and last quote of a line that starts with one, and Win32-OpenSSH versions differ in whether they
 *    wrap the command in an extra pair first; a line that doesn't start with a quote is safe both ways.
 */

const CMD_METACHARS = /[\^&|<>()"]/g;
// Characters cmd expands or treats as line ends, and C0 controls other than tab.
// eslint-disable-next-line no-control-regex
const CMD_FORBIDDEN = /[%!\u0000-\u0008\u000a-\u001f\u007f]/;
/** cmd.exe refuses longer command lines. */
export const CMD_MAX_LINE = 8191;

function refuseForCmd(arg: string): void {
  const bad = CMD_FORBIDDEN.exec(arg);
  if (!bad) return;
  const ch = bad[0];
  const reason =
    ch === '%' || ch === '!'
      ? `cmd.exe expands "${ch}" even inside quotes, and no escape works in every cmd configuration`
      : `it contains the control character U+${ch.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}, which cmd.exe cannot carry inside one command`;
  throw new UnquotableArgumentError(arg, reason);
}

function quoteForMsvcrt(arg: string): string {
  if (arg !== '' && !/[ \t"]/.test(arg)) return arg;
  let out = '"';
  let backslashes = 0;
  for (const ch of arg) {
    if (ch === '\\') {
      backslashes++;
      continue;
    }
    out += ch === '"' ? `${'\\'.repeat(backslashes * 2 + 1)}"` : `${'\\'.repeat(backslashes)}${ch}`;
    backslashes = 0;
  }
  return `${out}${'\\'.repeat(backslashes * 2)}"`;
}

function quoteProgramForCmd(program: string): string {
  refuseForCmd(program);
  if (program === '') throw new UnquotableArgumentError(program, 'the program name is empty');
  if (program.includes('"')) throw new UnquotableArgumentError(program, 'a program path cannot contain a double quote on Windows');
  // Inside quotes cmd takes every character literally; `;,=` would otherwise end the command name.
  return /[ \t&|<>()^;,=]/.test(program) ? `@"${program}"` : program;
}

/** One cmd.exe command line for `argv`, whose first element is the program. See the rule above. */
export function quoteCmd(argv: readonly string[]): string {
  const [program, ...args] = argv;
  if (program === undefined) throw new UnquotableArgumentError('', 'the argv list is empty');
  const parts = [quoteProgramForCmd(program)];
  for (const arg of args) {
    refuseForCmd(arg);
    parts.push(quoteForMsvcrt(arg).replace(CMD_METACHARS, '^$&'));
  }
  const line = parts.join(' ');
  if (line.length > CMD_MAX_LINE) {
    throw new UnquotableArgumentError(line.slice(0, 80), `the command line is ${line.length} characters, over cmd.exe's limit of ${CMD_MAX_LINE}`);
  }
  return line;
}
