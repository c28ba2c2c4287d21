import { describe, expect, it } from 'vitest';
import { LocalRunner } from './local-runner';

describe('LocalRunner', () => {
  const runner = new LocalRunner();

  it('passes argv straight to the program: no shell ever parses it', async () => {
    const hostile = 'x"; touch /tmp/dcod-pwned-local; "$(id)`id`';
    const res = await runner.run(['printf', '%s', hostile]);
    expect(res).toEqual({ stdout: hostile, stderr: '', code: 0 });
  });

  it('feeds stdin and reports exit codes and stderr', async () => {
    const res = await runner.exec('cat; echo oops >&2; exit 3', { stdin: 'secret-from-stdin' });
    expect(res).toEqual({ stdout: 'secret-from-stdin', stderr: 'oops\n', code: 3 });
  });

  it('says VBOX_MISSING when the program is not installed, and TIMEOUT when it hangs', async () => {
    await expect(runner.run(['VBoxManage-not-installed-here'])).rejects.toMatchObject({ code: 'VBOX_MISSING' });
    await expect(runner.exec('sleep 5', { timeoutMs: 100 })).rejects.toMatchObject({ code: 'TIMEOUT', retryable: true });
  });
});

describe('LocalRunner.execStream', () => {
  const runner = new LocalRunner();

  it('delivers output as it comes and ends the command by closing its stdin', async () => {
    const chunks: string[] = [];
    let first!: () => void;
    const gotFirst = new Promise<void>((r) => (first = r));
    const s = runner.execStream('echo ready; cat >/dev/null; echo bye', {
      onStdout: (c) => {
        chunks.push(c.toString());
        first();
      },
    });
    await gotFirst;
    await s.stop();
    expect(await s.done).toEqual({ code: 0 });
    expect(chunks.join('')).toBe('ready\nbye\n');
  });

  it('forces a command that ignores its stdin once the grace period is over', async () => {
    const s = runner.execStream('exec sleep 30', { onStdout: () => {} });
    const started = performance.now();
    await s.stop(100);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(await s.done).toEqual({ code: null });
  });

  it('reports the exit status of a command that ends by itself, with its stderr', async () => {
    const err: string[] = [];
    const s = runner.execStream('echo oops >&2; exit 4', { onStdout: () => {}, onStderr: (c) => err.push(c) });
    expect(await s.done).toEqual({ code: 4 });
    expect(err.join('')).toBe('oops\n');
  });
});
