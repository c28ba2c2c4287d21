/**
 * One batch of operations (one host, one DAG level) as ONE script run in ONE exec, and the reader of its
 * output. Like the observation script (../hosts/observe), the script prints markers around each
 * operation so one stream carries every operation's result:
 *
 *     \x1eDCOD-OP <operation id>
 *     \x1eDCOD-CMD 0            ← before each command; the last one seen names the command that failed
 *     …the command's output (stdout and stderr)…
 *     \x1eDCOD-OP-RC <exit status of the first failing command, or 0>
 *
 * An operation stops at its first failing command; the script goes on with the next operation (a batch
 * holds one level, whose operations never depend on each other).
 *
 * Everything is written to stderr, because the runner streams stderr chunk by chunk (`onStderr`): that is
 * what lets the engine report each operation as it starts and ends rather than when the batch ends.
 */
import { quoteArgv } from '../shell/argv';
import { quotePosix, quotePosixArg } from '../shell/quote';
import type { Command } from '../plan/plan';
import type { HostShell } from '../hosts/runner';

const MARK = '\x1eDCOD-';

export interface BatchOperation {
  readonly id: string;
  /** Each argv exactly as it will run (the VBoxManage path already substituted). */
  readonly commands: readonly Command[];
}

/**
 * The POSIX script. The whole body is one brace group, so the shell has read all of it before the first
 * command runs; that group's stdin is /dev/null, so no command can swallow the rest of the script (it
 * arrives on the shell's stdin).
 */
export function posixApplyScript(ops: readonly BatchOperation[]): string {
  const lines = [
    '{',
    'export LANG=C LC_ALL=C',
    `m() { printf '\\036DCOD-%s\\n' "$*"; }`,
  ];
  for (const op of ops) {
    const steps = op.commands.map((argv, i) => `m CMD ${i} && ${quotePosix(argv)}`);
    lines.push(`m OP ${quotePosixArg(op.id)}`);
    lines.push(`{ ${steps.length ? steps.join(' && ') : ':'}; } 2>&1`);
    lines.push(`printf '\\n\\036DCOD-OP-RC %s\\n' "$?"`);
  }
  lines.push('} </dev/null 1>&2', '');
  return lines.join('\n');
}

const psQuote = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/**
 * The same for Windows hosts, in PowerShell. `Cmd` returns the command's exit status, 127 when it could
 * not be started at all; output goes to stderr through [Console]::Error like the POSIX variant.
 */
export function powershellApplyScript(ops: readonly BatchOperation[]): string {
  const lines = [
    '[Console]::OutputEncoding = [Text.Encoding]::UTF8',
    '$env:LANG = "C"',
    '$E = [Console]::Error',
    '$M = [char]30 + "DCOD-"',
    'function Cmd($i, $exe) { $E.WriteLine("${M}CMD $i"); try { $out = (& $exe @args 2>&1 | Out-String); $code = $LASTEXITCODE } catch { $out = $_.ToString(); $code = 127 }; $E.Write($out); return $code }',
  ];
  for (const op of ops) {
    lines.push(`$E.WriteLine("\${M}OP " + ${psQuote(op.id)}); $rc = 0`);
    op.commands.forEach((argv, i) => lines.push(`if ($rc -eq 0) { $rc = Cmd ${i} ${argv.map(psQuote).join(' ')} }`));
    lines.push('$E.WriteLine(""); $E.WriteLine("${M}OP-RC $rc")');
  }
  return lines.join('\n');
}

/** The one command line (and its stdin) that runs a batch on a host of the given shell. */
export function applyCommand(shell: HostShell, ops: readonly BatchOperation[]): { commandLine: string; stdin?: string } {
  if (shell === 'posix') return { commandLine: 'sh -s', stdin: posixApplyScript(ops) };
  // -EncodedCommand: base64 of UTF-16LE, so no quoting of the script itself ever reaches cmd.exe.
  const encoded = Buffer.from(powershellApplyScript(ops), 'utf16le').toString('base64');
  return { commandLine: quoteArgv('cmd', ['powershell', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', encoded]) };
}

export type BatchEvent =
  | { readonly kind: 'started'; readonly id: string }
  | {
      readonly kind: 'finished';
      readonly id: string;
      readonly rc: number;
      /** Everything the operation's commands printed. */
      readonly output: string;
      /** The index of the command that ran last: the failing one when rc ≠ 0. */
      readonly command: number | undefined;
    };

export interface BatchReader {
  /** Feeds output exactly as it arrives; returns the events it completed. */
  push(chunk: string): BatchEvent[];
  /** The operation that started and has not finished (the stream was cut inside it), if any. */
  readonly open: { readonly id: string; readonly output: string; readonly command: number | undefined } | undefined;
}

/** Reads a batch's output incrementally; a marker cut between two chunks waits for its line's end. */
export function createBatchReader(): BatchReader {
  let pending = '';
  let current: { id: string; output: string; command: number | undefined } | undefined;
  const take = (text: string) => {
    if (current) current.output += text;
  };
  return {
    push(chunk: string): BatchEvent[] {
      const events: BatchEvent[] = [];
      pending += chunk.replace(/\r\n/g, '\n');
      for (;;) {
        const at = pending.indexOf(MARK);
        if (at < 0) {
          // Keep back a tail that may be the start of a marker the next chunk completes.
          const cut = pending.lastIndexOf('\x1e');
          const keep = cut >= 0 && MARK.startsWith(pending.slice(cut)) ? cut : pending.length;
          take(pending.slice(0, keep));
          pending = pending.slice(keep);
          return events;
        }
        const eol = pending.indexOf('\n', at);
        if (eol < 0) {
          take(pending.slice(0, at));
          pending = pending.slice(at);
          return events;
        }
        take(pending.slice(0, at));
        const [word = '', ...rest] = pending.slice(at + MARK.length, eol).split(' ');
        const arg = rest.join(' ');
        pending = pending.slice(eol + 1);
        if (word === 'OP') {
          current = { id: arg, output: '', command: undefined };
          events.push({ kind: 'started', id: arg });
        } else if (word === 'CMD' && current) {
          if (current.output !== '' && !current.output.endsWith('\n')) current.output += '\n';
          current.command = Number(arg);
        } else if (word === 'OP-RC' && current) {
          // The script prints a newline before the RC marker so that it starts a line; trailing newlines
          // carry nothing anyway.
          events.push({ kind: 'finished', id: current.id, rc: Number(arg), output: current.output.replace(/\n+$/, ''), command: current.command });
          current = undefined;
        }
      }
    },
    get open() {
      return current && { ...current };
    },
  };
}
