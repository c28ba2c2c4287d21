import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BLOCK, END_OF_ARCHIVE, padded, parseTarHeader, tarHeader } from './tar';

describe('tar headers', () => {
  it('reads back what it writes', () => {
    expect(parseTarHeader(tarHeader('vms/web1.ova', 123456))).toEqual({ kind: 'entry', name: 'vms/web1.ova', size: 123456, type: '0' });
  });

  it('writes sizes of 8 GiB and more in base-256', () => {
    const h = tarHeader('vms/big.ova', 20 * 2 ** 30 + 7);
    expect(h[124]).toBe(0x80);
    expect(parseTarHeader(h)).toMatchObject({ size: 20 * 2 ** 30 + 7 });
  });

  it('knows the end of an archive, and refuses a damaged header', () => {
    expect(parseTarHeader(Buffer.alloc(BLOCK))).toEqual({ kind: 'end' });
    const h = tarHeader('datacenter.yaml', 10);
    h[3]! ^= 1;
    expect(() => parseTarHeader(h)).toThrow(/checksum/);
    expect(() => parseTarHeader(h.subarray(0, 100))).toThrow(/truncated/);
  });

  it('refuses a name ustar cannot hold', () => {
    expect(() => tarHeader('x'.repeat(101), 1)).toThrow(/100/);
  });

  it('makes archives GNU tar lists', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'dcod-tar-'));
    try {
      const data = Buffer.from('hello\n');
      const file = path.join(dir, 'a.tar');
      await writeFile(file, Buffer.concat([tarHeader('vms/a.txt', data.length), data, Buffer.alloc(padded(data.length) - data.length), END_OF_ARCHIVE]));
      expect(execFileSync('tar', ['-tvf', file], { encoding: 'utf8' })).toMatch(/ 6 .* vms\/a\.txt\n$/);
      expect(execFileSync('tar', ['-xOf', file, 'vms/a.txt'], { encoding: 'utf8' })).toBe('hello\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
