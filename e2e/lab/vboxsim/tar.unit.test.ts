import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTar, writeTar } from './tar';

describe('ustar archives', () => {
  it('round-trips files of any length, in order', () => {
    const entries = [
      { name: 'vm.ovf', data: Buffer.from('<Envelope/>\n'), mtime: 1700000000 },
      { name: 'vm-disk001.vmdk', data: Buffer.alloc(1025, 7), mtime: 1700000000 },
      { name: 'vm.mf', data: Buffer.alloc(0), mtime: 1700000000 },
    ];
    const tar = writeTar(entries);
    expect(tar.length % 512).toBe(0);
    expect(readTar(tar)).toEqual(entries);
  });

  it('is readable by GNU tar, and reads what GNU tar writes', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vboxsim-tar-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.ova'), writeTar([{ name: 'x.ovf', data: Buffer.from('hello') }]));
      expect(execFileSync('tar', ['-xOf', path.join(dir, 'a.ova'), 'x.ovf'], { encoding: 'utf8' })).toBe('hello');
      fs.writeFileSync(path.join(dir, 'y.txt'), 'from gnu tar');
      execFileSync('tar', ['--format=ustar', '-cf', path.join(dir, 'b.tar'), '-C', dir, 'y.txt']);
      expect(readTar(fs.readFileSync(path.join(dir, 'b.tar')))).toMatchObject([{ name: 'y.txt', data: Buffer.from('from gnu tar') }]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a damaged header', () => {
    const tar = writeTar([{ name: 'x', data: Buffer.from('1') }]);
    tar[0] = 'y'.charCodeAt(0);
    expect(() => readTar(tar)).toThrow(/checksum/);
  });
});
