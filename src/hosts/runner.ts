/**
 * How the core runs commands on a host. Everything that touches a host goes through this interface,
 * with an SSH implementation (src/ssh/ssh-runner.ts) and a local one (src/hosts/local-runner.ts).
 */
export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
  /** The command's exit status; null when it died from a signal. */
  readonly code: number | null;
}

export interface ExecOptions {
  /** Bytes for the command's standard input (e.g. a script, or a secret that must not be on a command line). */
  readonly stdin?: string | Uint8Array;
  readonly timeoutMs?: number;
  /**
   * Gives the command up (TIMEOUT) when it prints nothing, on stdout or stderr, for this long
   * (DEFAULT_IDLE_TIMEOUT_MS unless given; 0: never): a hung program is found without cutting off a long
   * one that reports progress. WARNING: giving up closes the channel; a program that ignores that (a
   * hung VBoxManage does) may stay on the host.
   */
  readonly idleTimeoutMs?: number;
  /**
   * Gives the command up when aborted (BAD_REQUEST, "cancelled"), as a timeout would: its channel or
   * process is closed, and what it had done on the host stays done.
   */
  readonly signal?: AbortSignal;
  /** Called with each chunk of stderr as it arrives (VBoxManage reports progress there). */
  readonly onStderr?: (chunk: string) => void;
}

/**
 * No exec waits forever: a command silent for ten minutes is stuck (a VBoxManage waiting on a wedged
 * VBoxSVC), not slow — VBoxManage prints progress as it works, and every script DCoD runs prints as it
 * goes. WARNING: a script that holds its commands' output back until they end (to print it whole) must
 * print something meanwhile, at least every few minutes, or pass its own idleTimeoutMs.
 */
export const DEFAULT_IDLE_TIMEOUT_MS = 10 * 60_000;

/** The command language a host's login shell speaks: it decides how argv is quoted. */
export type HostShell = 'posix' | 'cmd';

export interface HostRunner {
  readonly shell: HostShell;
  /** Runs an argv list: quoted for `shell` by the one tested quoting function, never concatenated. */
  run(argv: readonly string[], opts?: ExecOptions): Promise<ExecResult>;
  /** Runs a command line that is already quoted for `shell` (scripts built from quoted argv). */
  exec(commandLine: string, opts?: ExecOptions): Promise<ExecResult>;
  close(): Promise<void>;
}

export interface StreamHandlers {
  /** Each chunk of stdout as it arrives, as bytes: a stream may be binary (a pcap). */
  readonly onStdout: (chunk: Buffer) => void;
  readonly onStderr?: (chunk: string) => void;
}

/** A command that runs for as long as it is wanted, its output delivered as it comes. */
export interface ExecStream {
  /**
   * Settles when the command has ended: with its exit status (null after a signal, or when `stop` had
   * to close it by force), or rejects HOST_UNREACHABLE when the channel could not be opened or died.
   */
  readonly done: Promise<{ readonly code: number | null }>;
  /**
   * Ends the command's stdin — a streaming command is written to exit when its stdin closes, which also
   * happens by itself when the connection drops, so nothing is left running on the host — and, if it
   * has not ended `graceMs` later, closes its channel (SSH) or kills it (local). Resolves once it ended.
   */
  stop(graceMs?: number): Promise<void>;
}

/** A runner that can also keep a command running and stream its output (samplers, captures). */
export interface StreamingRunner extends HostRunner {
  /** Runs a command line (already quoted for `shell`) with stdin left open until `stop`. */
  execStream(commandLine: string, handlers: StreamHandlers): ExecStream;
}

/** How long `stop` waits for a command to end on its own before forcing it. */
export const STOP_GRACE_MS = 2000;
