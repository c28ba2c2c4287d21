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
  /** Called with each chunk of stderr as it arrives (VBoxManage reports progress there). */
  readonly onStderr?: (chunk: string) => void;
}

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
