import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SFTPWrapper } from 'ssh2';
import { sftpReader } from './remote-files';

/** An SFTP server holding one file, answering reads out of order and sometimes short, like a busy link. */
function fakeSftp(data: Buffer, opts: { failAt?: number } = {}) {
  let maxInFlight = 0;
  let inFlight = 0;
  const s = {
    open: (_p: string, _m: string, cb: (err: Error | undefined, h: Buffer) => void) => cb(undefined, Buffer.from('h')),
    fstat: (_h: Buffer, cb: (err: Error | undefined, st: { size: number }) => void) => cb(undefined, { size: data.length }),
    close: (_h: Buffer, cb: (err?: Error) => void) => cb(),
    read: (_h: Buffer, buf: Buffer, off: number, len: number, pos: number, cb: (err: Error | undefined, n: number) => void) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => {
        inFlight--;
        if (opts.failAt !== undefined && pos >= opts.failAt) return cb(new Error('connection lost'), 0);
        const n = Math.min(len, Math.max(1, len - (pos % 7) * 1000), data.length - pos); // some short reads
        data.copy(buf, off, pos, pos + n);
        cb(undefined, n);
      }, Math.random() * 3);
    },
  } as unknown as Pick<SFTPWrapper, 'open' | 'fstat' | 'read' | 'close'>;
  return { s, maxInFlight: () => maxInFlight };
}

async function collect(r: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of r) parts.push(c);
  return Buffer.concat(parts);
}

describe('sftpReader', () => {
  it('gives the bytes in order with many reads in flight, short reads included', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 12345);
    const fake = fakeSftp(data);
    const got = await collect(sftpReader(fake.s, '/f'));
    expect(createHash('sha256').update(got).digest('hex')).toBe(createHash('sha256').update(data).digest('hex'));
    expect(fake.maxInFlight()).toBeGreaterThan(8);
  });

  it('fails the stream when a read fails', async () => {
    await expect(collect(sftpReader(fakeSftp(randomBytes(1 << 20), { failAt: 500_000 }).s, '/f'))).rejects.toThrow(/connection lost/);
  });
});
