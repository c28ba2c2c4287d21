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
