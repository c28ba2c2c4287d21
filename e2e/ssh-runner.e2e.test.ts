import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KnownHosts } from '../src/ssh/known-hosts';
import { SshRunner, type SshAuth } from '../src/ssh/ssh-runner';
import { injectFault } from './support/faults';
import { currentLab, processesIn } from './support/lab';

const lab = currentLab();
const host = lab.hosts.find((h) => h.kind === 'virtualbox')!;
const runners: SshRunner[] = [];
afterAll(async () => Promise.all(runners.map((r) => r.close())));

async function connect(auth: SshAuth, maxChannels?: number): Promise<SshRunner> {
  const r = new SshRunner(
    { host: host.address, port: host.port, username: lab.user, auth, shell: 'posix' },
    { knownHosts: await KnownHosts.open(undefined), ...(maxChannels ? { maxChannels } : {}) },
  );
  runners.push(r);
  return r;
}

const password: SshAuth = { kind: 'password', password: lab.password };

/** The per-connection sshd processes of the lab user on that host only (never another lab's). */
async function sessionDaemons(): Promise<number[]> {
  return (await processesIn(host.netns)).filter((p) => p.args.startsWith(`sshd: ${lab.user}`)).map((p) => p.pid);
}

describe('SshRunner against a real sshd', () => {
  it('multiplexes many commands over one connection, never more channels at once than its bound', async () => {
    const r = await connect(password, 4);
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => r.run(['sh', '-c', `sleep 0.2; echo ${i}`])));
    const elapsed = performance.now() - started;
    expect(results.map((x) => x.stdout.trim())).toEqual(Array.from({ length: 12 }, (_, i) => String(i)));
    expect(elapsed).toBeGreaterThanOrEqual(3 * 200 - 20); // 12 commands, 4 at a time: three rounds of 200 ms
    expect(await sessionDaemons()).toHaveLength(1); // one connection for all of them
  });

  it('reconnects by itself after the connection dies, and keeps passwords off every command line', async () => {
    const r = await connect(password);
    expect((await r.run(['echo', 'before'])).stdout).toBe('before\n');
    const args = (await r.run(['ps', '-eo', 'args'])).stdout;
    expect(args).not.toContain(lab.password);
    for (const pid of await sessionDaemons()) process.kill(pid, 'SIGKILL');
    // The command in flight when it dropped fails; the next one gets a new connection.
    let after = await r.run(['echo', 'after']).catch((e: unknown) => e);
    if (after instanceof Error) after = await r.run(['echo', 'after']);
    expect(after).toMatchObject({ stdout: 'after\n', code: 0 });
  });

  it('logs in through a real ssh-agent', async () => {
    const sock = path.join(os.tmpdir(), `dcod-agent-${process.pid}.sock`);
    await rm(sock, { force: true });
    const agent: ChildProcess = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 50 && !(await readdir(os.tmpdir())).includes(path.basename(sock)); i++) await new Promise((res) => setTimeout(res, 20));
      await new Promise<void>((resolve, reject) =>
        spawn('ssh-add', ['-q', lab.keyPath], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' }).on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ssh-add exited ${code}`)))),
      );
      const r = await connect({ kind: 'agent', socket: sock });
      expect((await r.run(['sh', '-c', 'echo $USER'])).stdout.trim()).toBe(lab.user);
    } finally {
      agent.kill();
      await rm(sock, { force: true });
    }
  });

  it('says AUTH_FAILED for a wrong password, TIMEOUT for a hung command, and refuses work after close', async () => {
    await expect((await connect({ kind: 'password', password: 'wrong' })).run(['true'])).rejects.toMatchObject({ code: 'AUTH_FAILED', retryable: false });
    const r = await connect(password);
    await expect(r.run(['sleep', '5'], { timeoutMs: 200 })).rejects.toMatchObject({ code: 'TIMEOUT', retryable: true });
    expect((await r.run(['true'])).code).toBe(0);
    await r.close();
    await expect(r.run(['true'])).rejects.toThrow(/the connection was closed/);
  });

  it('closes within its grace when the peer vanished, instead of waiting out TCP on a half-closed socket', async () => {
    const r = await connect(password);
    expect((await r.run(['true'])).code).toBe(0);
    const cut = injectFault(lab, 'link-down', host.name); // like a proxy VM deleted under its connection
    try {
      const started = performance.now();
      await r.close();
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      await cut.clear();
    }
  });

  it('times out a command sent on a connection whose peer vanished, and the next command connects afresh', async () => {
    const r = await connect(password);
    try {
      expect((await r.run(['true'])).code).toBe(0);
      const cut = injectFault(lab, 'link-down', host.name);
      let failed: unknown;
      try {
        // The channel's opening is never answered; SSH's keepalive would need ~30 s to notice.
        const started = performance.now();
        failed = await r.run(['true'], { timeoutMs: 1500 }).catch((err: unknown) => err);
        expect(performance.now() - started).toBeLessThan(4_000);
      } finally {
        await cut.clear();
      }
      expect(failed).toMatchObject({ code: 'TIMEOUT', message: expect.stringContaining('did not finish within 1500 ms') });
      expect((await r.run(['echo', 'back'], { timeoutMs: 15_000 })).stdout).toBe('back\n');
    } finally {
      await r.close();
    }
  });

  it('reads a command\'s output as a stream at the reader\'s pace, and a cancel ends it and frees its channel', async () => {
    const r = await connect(password, 1);
    // 16 MiB read slowly: SSH's window holds the host back, so the reader never holds more than it asks for.
    const read = await r.readOutput('head -c 16777216 /dev/zero', async (stdout) => {
      let bytes = 0;
      for await (const piece of stdout) {
        bytes += (piece as Buffer).length;
        if (bytes % (4 << 20) < (piece as Buffer).length) await new Promise((res) => setTimeout(res, 20));
      }
      return bytes;
    });
    expect(read).toEqual({ value: 16 << 20, code: 0, stderr: '' });
    // A reader that stops early: the rest is not read, the command is ended, and its channel is free again.
    const early = await r.readOutput('cat /dev/zero', async (stdout) => ((await stdout[Symbol.asyncIterator]().next()).value as Buffer).length > 0);
    expect(early.value).toBe(true);
    expect(early.code).not.toBe(0);

    const ctl = new AbortController();
    const endless = r.readOutput('cat /dev/zero', async (stdout) => {
      let bytes = 0;
      for await (const piece of stdout) if ((bytes += (piece as Buffer).length) > 1 << 20) ctl.abort();
      return bytes;
    }, { signal: ctl.signal });
    await expect(endless).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('cancelled') });
    // The one channel is free again: the next command runs; and no cat is left on the host.
    expect((await r.run(['echo', 'next'], { timeoutMs: 10_000 })).stdout).toBe('next\n');
    expect((await processesIn(host.netns)).filter((p) => p.args === 'cat /dev/zero')).toEqual([]);
    await r.close();
  });

  it('reports an unreachable host as HOST_UNREACHABLE, retryable', async () => {
    const r = new SshRunner({ host: lab.gateway, port: 22, username: lab.user, auth: password, shell: 'posix' }, { knownHosts: await KnownHosts.open(undefined), connectAttempts: 2, backoffMs: 50 });
    await expect(r.run(['true'])).rejects.toMatchObject({ code: 'HOST_UNREACHABLE', retryable: true });
  });
});
