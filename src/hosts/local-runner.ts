import { spawn, type ChildProcess } from 'node:child_process';
import { DcodError } from '../errors';
import { execDeadline } from './deadline';
import { STOP_GRACE_MS, type ExecOptions, type ExecResult, type ExecStream, type HostShell, type StreamHandlers, type StreamingRunner } from './runner';

/**
 * Runs commands on this machine, for a VirtualBox installed on the laptop itself. argv lists go straight
 * to the program with no shell in between; command lines (batched scripts) go to the platform's shell.
 */
export class LocalRunner implements StreamingRunner {
  readonly shell: HostShell = process.platform === 'win32' ? 'cmd' : 'posix';

  run(argv: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
    const [program, ...args] = argv;
    if (!program) return Promise.reject(new DcodError('BAD_REQUEST', 'an empty command line'));
    return collect(spawn(program, args, { stdio: 'pipe', env: { ...process.env, LANG: 'C', LC_ALL: 'C' } }), opts, program);
  }

  exec(commandLine: string, opts: ExecOptions = {}): Promise<ExecResult> {
    return collect(this.shellChild(commandLine), opts, 'shell');
  }

  execStream(commandLine: string, handlers: StreamHandlers): ExecStream {
    const child = this.shellChild(commandLine);
    child.stdin?.on('error', () => {});
    child.stdout?.on('data', (c: Buffer) => handlers.onStdout(c));
    child.stderr?.on('data', (c: Buffer) => handlers.onStderr?.(c.toString('utf8')));
    const done = new Promise<{ code: number | null }>((resolve, reject) => {
      child.on('error', (err: NodeJS.ErrnoException) => reject(new DcodError('COMMAND_FAILED', `shell: ${err.message}`, { cause: err })));
      child.on('close', (code) => resolve({ code }));
    });
    return {
      done,
      stop: async (graceMs = STOP_GRACE_MS) => {
        child.stdin?.end();
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await done.catch(() => undefined);
        clearTimeout(timer);
      },
    };
  }

  private shellChild(commandLine: string): ChildProcess {
    return this.shell === 'cmd'
      ? spawn('cmd.exe', ['/d', '/s', '/c', commandLine], { stdio: 'pipe', windowsVerbatimArguments: true })
      : spawn('/bin/sh', ['-c', commandLine], { stdio: 'pipe', env: { ...process.env, LANG: 'C', LC_ALL: 'C' } });
  }

  async close(): Promise<void> {}
}

function collect(child: ChildProcess, opts: ExecOptions, what: string): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const out: Buffer[] = [];
    const errOut: Buffer[] = [];
    const deadline = execDeadline(opts, what, (err) => {
      child.kill('SIGKILL');
      reject(err);
    });
    child.stdout?.on('data', (c: Buffer) => {
      deadline.touch();
      out.push(c);
    });
    child.stderr?.on('data', (c: Buffer) => {
      deadline.touch();
      errOut.push(c);
      opts.onStderr?.(c.toString('utf8'));
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      deadline.clear();
      reject(new DcodError(err.code === 'ENOENT' ? 'VBOX_MISSING' : 'COMMAND_FAILED', `${what}: ${err.message}`, { cause: err }));
    });
    child.on('close', (code) => {
      deadline.clear();
      resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(errOut).toString('utf8'), code });
    });
    // A program that exits without reading its input closes the pipe: EPIPE then is no failure of ours.
    child.stdin?.on('error', () => {});
    child.stdin?.end(opts.stdin ?? '');
  });
}
