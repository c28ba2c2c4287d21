/**
 * One batch of operations (one host, one DAG level) as ONE script run in ONE exec, and the reader of its
 * output. Like the observation script (../hosts/observe), the script prints markers so one stream carries
 * every operation's result:
 *
 *     \x1eDCOD-OP <operation id>      ← when the operation starts
 *     …
 *     \x1eDCOD-OUT <operation id>     ← its result, once it ended:
 *     \x1eDCOD-CMD 0                  ← before each command; the last one seen names the command that failed
 *     …the command's output (stdout and stderr)…
 *     \x1eDCOD-OP-RC <exit status of the first failing command, or 0>
 *     \x1eDCOD-ALIVE                  ← now and then while lanes print to their files
 *
 * An operation stops at its first failing command; the others go on (a batch holds one level, whose
 * operations never depend on each other). On POSIX hosts the batch's operations run side by side, in
 * lanes (see BatchOperation.lane): a level of twelve VM creations costs the host the time of its slowest,
 * not the sum. Each operation's output goes to a file of its own and is printed whole once its lane is
 * reaped, lanes in order, so outputs never interleave; only the one-line start markers do, and a marker
 * line is one write (atomic on a pipe), which the reader takes out wherever it lands.
 *
 * Everything is written to stderr, because the runner streams stderr chunk by chunk (`onStderr`): that is
 * what lets the engine report each operation as it starts and ends rather than when the batch ends.
 */
import { quoteArgv } from '../shell/argv';
import { quotePosix, quotePosixArg } from '../shell/quote';
import type { Command } from '../plan/plan';
import type { HostShell } from '../hosts/runner';

const MARK = '\x1eDCOD-';

/** Lanes a POSIX batch runs at once; more wait for the oldest to end (a host is not a build farm). */
export const MAX_LANES = 8;
/** Seconds between checks that a POSIX batch's lanes still print something. */
const HEARTBEAT_S = 10;

export interface BatchOperation {
  readonly id: string;
  /** Each argv exactly as it will run (the VBoxManage path already substituted). */
  readonly commands: readonly Command[];
  /** Operations of one lane run one after another, in batch order; without a lane, an operation has its own. */
  readonly lane?: string;
}

/**
 * The POSIX script. The whole body is one brace group, so the shell has read all of it before the first
 * command runs; that group's stdin is /dev/null, so no command can swallow the rest of the script (it
 * arrives on the shell's stdin).
 */
export function posixApplyScript(ops: readonly BatchOperation[], { maxLanes = MAX_LANES, heartbeatS = HEARTBEAT_S } = {}): string {
  const lanes = new Map<string, number[]>();
  ops.forEach((op, i) => {
    const key = op.lane === undefined ? `own ${i}` : `lane ${op.lane}`;
    const lane = lanes.get(key);
    if (lane) lane.push(i);
    else lanes.set(key, [i]);
  });
  const lines = [
    '{',
    'export LANG=C LC_ALL=C',
    `m() { printf '\\036DCOD-%s\\n' "$*"; }`,
    'd=$(mktemp -d "${TMPDIR:-/tmp}/dcod-apply.XXXXXX") || exit 1',
    // While lanes run, their output goes to files: say the batch is alive whenever any of it grew, so a
    // VBoxManage printing progress is never taken for a hung one (the engine gives a silent batch up).
    // The heartbeat ends with this shell; its sleep holds none of the stream, which would keep the exec open.
    `( o=; while sleep ${heartbeatS} </dev/null >/dev/null 2>&1 && kill -0 $$ 2>/dev/null; do n=$(ls -l "$d" 2>/dev/null | cksum); [ "$n" = "$o" ] || m ALIVE; o=$n; done ) & hb=$!`,
    `trap 'kill $hb 2>/dev/null; rm -rf "$d"' EXIT`,
    // A lost connection kills the shell by a signal, which skips EXIT traps: exit instead (the lanes,
    // with default handlers, still die at their next write, so no operation starts after that).
    `trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 141' PIPE; trap 'exit 143' TERM`,
    // An operation's result, from its files: a missing status means its lane was killed.
    `r() { m OUT "$2"; cat "$d/$1" 2>/dev/null; printf '\\n\\036DCOD-OP-RC %s\\n' "$(cat "$d/$1.rc" 2>/dev/null || echo 255)"; }`,
  ];
  const order = [...lanes.values()];
  const reap = (n: number) => lines.push(`wait $p${n}; ${order[n]!.map((i) => `r ${i} ${quotePosixArg(ops[i]!.id)}`).join('; ')}`);
  order.forEach((members, n) => {
    if (n >= maxLanes) reap(n - maxLanes);
    const body = members.map((i) => {
      const steps = ops[i]!.commands.map((argv, k) => `m CMD ${k} && ${quotePosix(argv)}`);
      return `m OP ${quotePosixArg(ops[i]!.id)}; { ${steps.length ? steps.join(' && ') : ':'}; } >"$d/${i}" 2>&1; echo $? >"$d/${i}.rc"`;
    });
    lines.push(`( ${body.join('\n  ')}\n) &`, `p${n}=$!`);
  });
  for (let n = Math.max(0, order.length - maxLanes); n < order.length; n++) reap(n);
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
    lines.push(`$E.WriteLine("\${M}OP " + ${psQuote(op.id)}); $E.WriteLine("\${M}OUT " + ${psQuote(op.id)}); $rc = 0`);
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

export interface Unfinished {
  readonly id: string;
  /** What it printed before the stream was cut (only while its result was being printed). */
  readonly output: string;
  readonly command: number | undefined;
}

export interface BatchReader {
  /** Feeds output exactly as it arrives; returns the events it completed. */
  push(chunk: string): BatchEvent[];
  /** Operations that started and have not finished (the stream was cut before their end), in start order. */
  readonly unfinished: readonly Unfinished[];
}

/** Reads a batch's output incrementally; a marker cut between two chunks waits for its line's end. */
export function createBatchReader(): BatchReader {
  let pending = '';
  const started = new Set<string>();
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
          // A start marker may land inside another operation's output (lanes start while results print).
          started.add(arg);
          events.push({ kind: 'started', id: arg });
        } else if (word === 'OUT') {
          current = { id: arg, output: '', command: undefined };
        } else if (word === 'CMD' && current) {
          if (current.output !== '' && !current.output.endsWith('\n')) current.output += '\n';
          current.command = Number(arg);
        } else if (word === 'OP-RC' && current) {
          // The script prints a newline before the RC marker so that it starts a line; trailing newlines
          // carry nothing anyway.
          events.push({ kind: 'finished', id: current.id, rc: Number(arg), output: current.output.replace(/\n+$/, ''), command: current.command });
          started.delete(current.id);
          current = undefined;
        }
      }
    },
    get unfinished() {
      return [...started].map((id) => (current?.id === id ? { ...current } : { id, output: '', command: undefined }));
    },
  };
}
