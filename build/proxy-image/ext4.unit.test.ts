import { describe, expect, it } from 'vitest';
import { timestampScript, usedInodes } from './ext4';

const DUMP = `Inode count:              6
Inodes per group:         3
Group 0: (Blocks 1-8191) csum 0xe662 [ITABLE_ZEROED]
  Primary superblock at 1, Group descriptors at 2-2
  Free blocks: 1000-8191
  Free inodes: 3
Group 1: (Blocks 8192-16383) csum 0x1234 [INODE_UNINIT]
  Free blocks: 8192-16383
  Free inodes: 4-5
`;

describe('usedInodes', () => {
  it('is every inode of every group but the free ones', () => {
    expect(usedInodes(DUMP)).toEqual([1, 2, 6]);
  });
  it('takes ranges and lists, and a group with none free', () => {
    expect(usedInodes('Inodes per group: 4\nGroup 0: (Blocks 0-1)\n  Free inodes: 1, 3-4\nGroup 1: (Blocks 2-3)\n  Free inodes: \n')).toEqual([2, 5, 6, 7, 8]);
  });
  it('refuses output that is not dumpe2fs', () => {
    expect(() => usedInodes('hello')).toThrow(/Inodes per group/);
  });
});

describe('timestampScript', () => {
  it('sets ctime and atime of each inode by number', () => {
    expect(timestampScript([2, 11], 42)).toBe('sif <2> ctime @42\nsif <2> atime @42\nsif <11> ctime @42\nsif <11> atime @42\n');
  });
});
