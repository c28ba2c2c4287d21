import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { SFTPWrapper } from 'ssh2';
import { afterAll, describe, expect, it } from 'vitest';
import { fileSink } from './file-sink';
import { pipelinedCopy } from './pipelined-copy';
import { hostPath, sftpMakeFolder, sftpOpen, sftpPath } from './remote-files';

const dir = await mkdtemp(path.join(os.tmpdir(), 'dcod-remote-files-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** An SFTP server holding one file, answering reads late, out of order, sometimes short, and 0 bytes at its end (as ssh2 reports EOF). */
function fakeSftp(data: Buffer, opts: { failAt?: number } = {}) {
  let closed = 0;
  const s = {
    open: (_p: string, _m: string, cb: (err: Error | undefined, h: Buffer) => void) => cb(undefined, Buffer.from('h')),
    fstat: (_h: Buffer, cb: (err: Error | undefined, st: { size: number }) => void) => cb(undefined, { size: data.length }),
    close: (_h: Buffer, cb: (err?: Error) => void) => {
      closed++;
      cb();
    },
    read: (_h: Buffer, buf: Buffer, off: number, len: number, pos: number, cb: (err: Error | undefined, n: number) => void) =>
      setTimeout(() => {
        if (opts.failAt !== undefined && pos >= opts.failAt) return cb(new Error('connection lost'), 0);
        const n = Math.max(0, Math.min(len, Math.max(1, len - (pos % 7) * 1000), data.length - pos));
        data.copy(buf, off, pos, pos + n);
        cb(undefined, n);
      }, Math.random() * 3),
  } as unknown as Pick<SFTPWrapper, 'open' | 'fstat' | 'read' | 'close'>;
  return { s, closed: () => closed };
}

describe('an SFTP download', () => {
  it('lands whole and hashed in a file, through many reads in flight', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 12345);
    const fake = fakeSftp(data);
    const src = await sftpOpen(fake.s, '/f');
    const file = path.join(dir, 'a');
    const sink = fileSink(file);
    await pipelinedCopy(src, sink);
    expect(await sink.end()).toEqual({ bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') });
    await src.close();
    expect(fake.closed()).toBe(1);
    expect((await readFile(file)).equals(data)).toBe(true);
  });

  it('fails when a read fails', async () => {
    const src = await sftpOpen(fakeSftp(randomBytes(1 << 20), { failAt: 500_000 }).s, '/f');
    const sink = fileSink(path.join(dir, 'b'));
    await expect(pipelinedCopy(src, sink)).rejects.toThrow(/connection lost/);
    await sink.abort();
  });
});

describe('host paths over SFTP', () => {
  it('name a Windows file as its OpenSSH does, and leave a POSIX one alone', () => {
    expect(sftpPath('C:\\Users\\me\\VirtualBox VMs\\a.ova')).toBe('/C:/Users/me/VirtualBox VMs/a.ova');
    expect(sftpPath('D:/vms/a.ova')).toBe('/D:/vms/a.ova');
    expect(sftpPath('/home/me/a.ova')).toBe('/home/me/a.ova');
  });

  it("drop the slash SFTP puts before a Windows drive on the way back, and leave POSIX paths alone", () => {
    expect(hostPath('/C:/Users/me/.dcod/appliance')).toBe('C:/Users/me/.dcod/appliance');
    expect(hostPath('/home/me/.dcod/appliance')).toBe('/home/me/.dcod/appliance');
  });

  it('make a missing folder from the deepest one that exists, never touching those above', async () => {
    const have = new Set(['/C:', '/C:/Users']);
    const calls: string[] = [];
    const s = {
      stat: (p: string, cb: (err: Error | undefined, st?: { isDirectory(): boolean }) => void) => {
        calls.push(`stat ${p}`);
        cb(have.has(p) ? undefined : new Error('No such file'), { isDirectory: () => true });
      },
      mkdir: (p: string, cb: (err?: Error) => void) => {
        calls.push(`mkdir ${p}`);
        have.add(p);
        cb();
      },
    } as unknown as Pick<SFTPWrapper, 'stat' | 'mkdir'>;
    await sftpMakeFolder(s, '/C:/Users/me/dcod-dc');
    expect(calls).toEqual(['stat /C:/Users/me/dcod-dc', 'stat /C:/Users/me', 'stat /C:/Users', 'mkdir /C:/Users/me', 'mkdir /C:/Users/me/dcod-dc']);
  });
});
