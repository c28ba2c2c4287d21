/**
 * SshRunner against servers that go away in the middle of a login: a real TCP server on loopback that
 * speaks SSH's first line and then hangs up, as an sshd killed (or restarting) mid-handshake does.
 * The full protocol against real sshd is in e2e/ssh-runner.e2e.test.ts.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { KnownHosts } from './known-hosts';
import { SshRunner } from './ssh-runner';

const servers: net.Server[] = [];

/** A server that sends its banner, then closes each connection once `when` happens. */
async function bannerThenHangUp(when: 'at once' | 'after the client speaks'): Promise<number> {
  const server = net.createServer((sock) => {
    sock.on('error', () => undefined);
    sock.resume(); // reads on, so the client's own close ends the socket here too
    sock.write('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n');
    if (when === 'at once') sock.end();
    else sock.once('data', () => sock.destroy());
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

describe('SshRunner, when the server hangs up during the login', () => {
  for (const when of ['at once', 'after the client speaks'] as const) {
    it(`fails the command with HOST_UNREACHABLE (banner, then the connection closed ${when})`, async () => {
      const port = await bannerThenHangUp(when);
      const runner = new SshRunner(
        { host: '127.0.0.1', port, username: 'dcod', auth: { kind: 'password', password: 'x' }, shell: 'posix' },
        { knownHosts: await KnownHosts.open(undefined), connectAttempts: 2, backoffMs: 10, connectTimeoutMs: 60_000 },
      );
      const started = performance.now();
      const failed = await runner.run(['true']).catch((err: unknown) => err);
      expect(failed).toMatchObject({ code: 'HOST_UNREACHABLE', message: expect.stringMatching(/^dcod@127\.0\.0\.1:\d+: /) });
      // Not the ready timeout (a minute here): the close itself ends the attempt.
      expect(performance.now() - started).toBeLessThan(5_000);
      await runner.close();
    });
  }
});
