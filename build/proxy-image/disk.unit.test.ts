import { describe, expect, it } from 'vitest';
import { chs, coreSectors, isZero, mbr, SECTOR } from './disk';

function bootSector(): Buffer {
  const b = Buffer.alloc(SECTOR, 0x90);
  b.writeUInt16LE(0xaa55, 510);
  return b;
}

/** A core image as grub-mkimage writes it: block list "start 2, n - 1 sectors" ending its first sector. */
function core(sectors: number): Buffer {
  const b = Buffer.alloc(sectors * SECTOR - 100, 0x11);
  b.writeBigUInt64LE(2n, SECTOR - 12);
  b.writeUInt16LE(sectors - 1, SECTOR - 4);
  return b;
}

describe('mbr', () => {
  it('keeps the boot code, and declares one active Linux partition with its signature', () => {
    const m = mbr({ bootCode: bootSector(), diskSignature: 0x0dc0d001, partitionStart: 2048, partitionSectors: 2095104 });
    expect(m.subarray(0, 440).every((x) => x === 0x90)).toBe(true);
    expect(m.readUInt32LE(440)).toBe(0x0dc0d001);
    expect(m[446]).toBe(0x80);
    expect(m[450]).toBe(0x83);
    expect(m.readUInt32LE(454)).toBe(2048);
    expect(m.readUInt32LE(458)).toBe(2095104);
    expect(m.subarray(462, 510).every((x) => x === 0)).toBe(true);
    expect(m.readUInt16LE(510)).toBe(0xaa55);
  });

  it('refuses boot code that is not a boot sector', () => {
    expect(() => mbr({ bootCode: Buffer.alloc(SECTOR), diskSignature: 1, partitionStart: 2048, partitionSectors: 10 })).toThrow(/55 AA/);
  });
});

describe('chs', () => {
  it('gives the classic 255×63 address, and the LBA marker beyond cylinder 1023', () => {
    expect(chs(2048)).toEqual([32, 33, 0]);
    expect(chs(0)).toEqual([0, 1, 0]);
    expect(chs(1024 * 255 * 63)).toEqual([0xfe, 0xff, 0xff]);
  });
});

describe('coreSectors', () => {
  it('accepts a core image whose block list loads the rest of it from sector 2', () => {
    expect(coreSectors(core(263), 2048)).toBe(263);
  });
  it('refuses one that does not fit before the partition, or loads something else', () => {
    expect(() => coreSectors(core(3000), 2048)).toThrow(/does not fit/);
    const bad = core(10);
    bad.writeUInt16LE(3, SECTOR - 4);
    expect(() => coreSectors(bad, 2048)).toThrow(/expected 9 from 2/);
  });
});

describe('isZero', () => {
  it('sees a single non-zero byte anywhere, across its internal chunks', () => {
    const b = Buffer.alloc(3 * 1024 * 1024 + 7);
    expect(isZero(b)).toBe(true);
    b[b.length - 1] = 1;
    expect(isZero(b)).toBe(false);
  });
});
