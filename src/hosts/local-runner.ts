import { spawn, type ChildProcess } from 'node:child_process';
import { DcodError } from '../errors';
import type { ExecOptions, ExecResult, HostRunner, HostShell } from './runner';

/**
 * Runs commands on this machine, for a VirtualBox installed on the laptop itself. argv lists go straight
 * to the program with no shell in between; command lines (batched scripts) go to the platform's shell.
 */
export class LocalRunner implements HostRunner {
  readonly shell: HostShell = process.platform === 'win32' ? 'cmd' : 'posix';

  run(argv: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
    const [program, ...args] = argv;
    if (!program) return Promise.reject(new DcodError('BAD_REQUEST', 'an empty command line'));
    return collect(spawn(program, args, { stdio: 'pipe', env: { ...process.env, LANG: 'C', LC_ALL: 'C' } }), opts, program);
  }

  exec(commandLine: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const child =
      this.shell === 'cmd'
        ? spawn('cmd.exe', ['/d', '/s', '/c', commandLine], { stdio: 'pipe', windowsVerbatimArguments: true })
        : spawn('/bin/sh', ['-c', commandLine], { stdio: 'pipe', env: { ...process.env, LANG: 'C', LC_ALL: 'C' } });
    return collect(child, opts, 'shell');
  }

  async close(): Promise<void> {}
}

function collect(child: ChildProcess, opts: ExecOptions, what: string): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    const errOut: Buffer[] = [];
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          child.kill('SIGKILL');
          reject(new DcodError('TIMEOUT', `${what} did not finish within ${opts.timeoutMs} ms`));
        }, opts.timeoutMs)
      : undefined;
    child.stdout?.on('data', (c: Buffer) => out.push(c));
    child.stderr?.on('data', (c: Buffer) => {
      errOut.push(c);
      opts.onStderr?.(c.toString('utf8'));
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new DcodError(err.code === 'ENOENT' ? 'VBOX_MISSING' : 'COMMAND_FAILED', `${what}: ${err.message}`, { cause: err }));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(errOut).toString('utf8'), code });
    });
    // A program that exits without reading its input closes the pipe: EPIPE then is no failure of ours.
    child.stdin?.on('error', () => {});
    child.stdin?.end(opts.stdin ?? '');
  });
}
