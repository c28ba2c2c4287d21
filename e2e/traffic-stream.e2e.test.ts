/**
 * SshRunner.execStream against the lab's real sshd: the one long-lived channel the traffic samplers and
 * captures are built on. It must stream as output comes, end the far command when stopped or when the
 * connection dies, and leave nothing running on the host either way.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { KnownHosts } from '../src/ssh/known-hosts';
import { SshRunner } from '../src/ssh/ssh-runner';
import { run } from './lab/run';
import { currentLab } from './support/lab';

const lab = currentLab();
const host = lab.hosts.find((h) => h.kind === 'virtualbox')!;
const runners: SshRunner[] = [];
afterAll(async () => Promise.all(runners.map((r) => r.close())));

async function connect(): Promise<SshRunner> {
  const r = new SshRunner({ host: host.address, port: host.port, username: lab.user, auth: { kind: 'password', password: lab.password }, shell: 'posix' }, { knownHosts: await KnownHosts.open(undefined) });
  runners.push(r);
  return r;
}

/** Command lines of the processes in the host's namespace that contain `marker`. */
async function remoteProcesses(marker: string): Promise<string[]> {
  const pids = (await run(['ip', 'netns', 'pids', host.netns])).stdout.split('\n').filter(Boolean);
  const found: string[] = [];
  for (const pid of pids) {
    const cmd = (await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replaceAll('\0', ' ');
    if (cmd.includes(marker)) found.push(cmd);
  }
  return found;
}

/** A loop that prints a line every 0.1 s until its stdin closes, like the samplers. */
const loop = (marker: string) => `sh -c 'echo ${marker} >/dev/null; ( while :; do echo tick; sleep 0.1; done ) </dev/null & p=$!; cat >/dev/null; kill $p'`;

function ticks(): { onStdout: (c: Buffer) => void; count: () => number; seen: (n: number) => Promise<void> } {
  let text = '';
  const waiters: { n: number; resolve: () => void }[] = [];
  return {
    onStdout: (c) => {
      text += c.toString();
      const n = text.split('tick\n').length - 1;
      for (const w of waiters.filter((x) => x.n <= n)) w.resolve();
    },
    count: () => text.split('tick\n').length - 1,
    seen: (n) => new Promise((resolve) => waiters.push({ n, resolve })),
  };
}

describe('SshRunner.execStream against a real sshd', () => {
  it('streams output as it comes and ends the far command when stopped', async () => {
    const r = await connect();
    const t = ticks();
    const stream = r.execStream(loop('dcod-e2e-stream-stop'), { onStdout: t.onStdout });
    await t.seen(5);
    expect(await remoteProcesses('dcod-e2e-stream-stop')).not.toEqual([]);
    await stream.stop();
    expect(await stream.done).toEqual({ code: 0 });
    await expect.poll(() => remoteProcesses('dcod-e2e-stream-stop'), { timeout: 3000 }).toEqual([]);
    // The connection is still good for ordinary commands.
    expect((await r.run(['echo', 'still here'])).stdout).toBe('still here\n');
  });

  it('fails the stream when the connection dies, and the far command goes with it', async () => {
    const r = await connect();
    const t = ticks();
    const stream = r.execStream(loop('dcod-e2e-stream-cut'), { onStdout: t.onStdout });
    await t.seen(3);
    const outcome = stream.done.catch((e: unknown) => e);
    for (const pid of (await run(['ip', 'netns', 'pids', host.netns])).stdout.split('\n').filter(Boolean)) {
      const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
      if (cmd.startsWith(`sshd: ${lab.user}`)) process.kill(Number(pid), 'SIGKILL');
    }
    expect(await outcome).toMatchObject({ code: 'HOST_UNREACHABLE' });
    await expect.poll(() => remoteProcesses('dcod-e2e-stream-cut'), { timeout: 5000 }).toEqual([]);
  });

  it('gives up the channel of a command that ignores its stdin once the grace period is over', async () => {
    const r = await connect();
    // `sleep 3`, not longer: the lab user is uid 0, and OpenSSH refuses signal requests to sessions
    // without privilege separation (root's), so the far command can only be left to end by itself.
    const stream = r.execStream('echo dcod-e2e-stream-deaf >/dev/null; exec sleep 3', { onStdout: () => {} });
    await expect.poll(() => remoteProcesses('sleep 3'), { timeout: 3000 }).not.toEqual([]);
    const started = performance.now();
    await stream.stop(300);
    expect(performance.now() - started).toBeLessThan(2500);
    expect(await stream.done).toEqual({ code: null });
    expect((await r.run(['echo', 'slot free'])).stdout).toBe('slot free\n');
  });
});
