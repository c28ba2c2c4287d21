/**
 * Host file work as a Windows host gets it — SFTP for everything, downloads included — against a lab
 * host's real sshd: the runner says its shell is cmd, so no POSIX command is used. (Only the path form
 * differs on Windows, and `sftpPath` is unit-tested for that.)
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { download, intoFile, removeHostFile, upload } from '../src/bundle/remote-files';
import { KnownHosts } from '../src/ssh/known-hosts';
import { SshRunner } from '../src/ssh/ssh-runner';
import { currentLab } from './support/lab';

const lab = currentLab();
const host = lab.hosts.find((h) => h.kind === 'virtualbox')!;
const local = await mkdtemp(path.join(os.tmpdir(), 'dcod-host-files-'));
const runners: SshRunner[] = [];
afterAll(async () => {
  await Promise.all(runners.map((r) => r.close()));
  await rm(local, { recursive: true, force: true });
});

async function connect(shell: 'posix' | 'cmd'): Promise<SshRunner> {
  const r = new SshRunner({ host: host.address, port: host.port, username: lab.user, auth: { kind: 'password', password: lab.password }, shell }, { knownHosts: await KnownHosts.open(undefined) });
  runners.push(r);
  return r;
}

describe('host files over SFTP (a Windows host\'s way)', () => {
  it('uploads into folders it makes, replaces a file already there, reads it back, and removes it (twice is fine)', async () => {
    const sftpOnly = await connect('cmd');
    const shell = await connect('posix');
    const dir = `/tmp/dcod-host-files-${process.pid}`;
    const target = `${dir}/a/b/disk.ova`;
    try {
      const first = path.join(local, 'first');
      const second = path.join(local, 'second');
      await writeFile(first, 'an older copy');
      const bytes = randomBytes((2 << 20) + 17);
      await writeFile(second, bytes);
      await upload(sftpOnly, { file: first, start: 0, bytes: 13 }, target);
      const sent = await upload(sftpOnly, { file: second, start: 0, bytes: bytes.length }, target);
      expect(sent.bytes).toBe(bytes.length);
      expect((await shell.run(['ls', '-A', `${dir}/a/b`])).stdout).toBe('disk.ova\n'); // no .dcod-part left

      const back = path.join(local, 'back');
      const got = await download(sftpOnly, target, intoFile(back));
      expect(got).toEqual(sent);
      expect(Buffer.compare(await readFile(back), bytes)).toBe(0);

      await removeHostFile(sftpOnly, target);
      await removeHostFile(sftpOnly, target);
      expect((await shell.run(['ls', '-A', `${dir}/a/b`])).stdout).toBe('');
    } finally {
      await shell.run(['rm', '-rf', '--', dir]);
    }
  });

  it('says which file it could not remove, and why', async () => {
    const sftpOnly = await connect('cmd');
    await expect(removeHostFile(sftpOnly, '/proc/version')).rejects.toMatchObject({ code: 'FILE_ERROR', message: expect.stringMatching(/^removing \/proc\/version: /) });
  });
});
