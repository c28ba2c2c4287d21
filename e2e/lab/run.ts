/** Runs one command to completion, for the lab's `ip`, `ssh-keygen`, `openssl` and test helpers. */
import { spawn } from 'node:child_process';
import { DcodError } from '../../src/errors';

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

export interface RunOptions {
  /** Written to stdin, which is then closed. */
  readonly input?: string;
  /** Resolve with the exit code instead of rejecting when it is not 0. */
  readonly allowFailure?: boolean;
  readonly timeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
}

export function run(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const [file, ...args] = argv;
  if (!file) return Promise.reject(new DcodError('INTERNAL', 'run: empty command'));
  const shown = argv.join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'], env: opts.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer =
      opts.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            child.kill('SIGKILL');
            reject(new DcodError('TIMEOUT', `\`${shown}\` took longer than ${opts.timeoutMs} ms`));
          }, opts.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new DcodError('COMMAND_FAILED', `\`${shown}\` could not start: ${err.message}`, { cause: err }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const exit = code ?? 128;
      if (exit !== 0 && !opts.allowFailure) {
        const why = signal ? `was killed by ${signal}` : `exited ${exit}`;
        reject(new DcodError('COMMAND_FAILED', `\`${shown}\` ${why}: ${stderr.trim() || stdout.trim()}`));
      } else {
        resolve({ stdout, stderr, code: exit });
      }
    });
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}
