import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SECTOR } from './disk';
import { GRAIN_BYTES, GRAIN_SECTORS, GTES_PER_GT, MARKER, streamOptimizedVmdk, type VmdkOptions } from './vmdk';

const OPTS: VmdkOptions = { capacityBytes: 1200 * GRAIN_BYTES, fileName: 't-disk001.vmdk', cid: '0a1b2c3d', adapterType: 'ide', level: 1 };

/** A disk with a few non-zero grains, spread over more than one grain table. */
function disk(): Buffer {
  const d = Buffer.alloc(OPTS.capacityBytes);
  for (const g of [0, 1, 511, 512, 1199]) d.fill(g % 251 || 7, g * GRAIN_BYTES + 100, g * GRAIN_BYTES + 5000);
  return d;
}

const vmdkOf = (d: Buffer, o = OPTS) => Buffer.concat([...streamOptimizedVmdk(o, (i) => d.subarray(i * GRAIN_BYTES, (i + 1) * GRAIN_BYTES))]);

/** Reads a stream-optimized VMDK front to back the way a sequential importer does, rebuilding the disk. */
function readStream(v: Buffer): { disk: Buffer; header: Buffer; footer: Buffer; descriptor: string; tables: number[]; directory: number[] } {
  const header = v.subarray(0, SECTOR);
  const capacity = Number(header.readBigUInt64LE(12)) * SECTOR;
  const descriptor = v.subarray(Number(header.readBigUInt64LE(28)) * SECTOR, (Number(header.readBigUInt64LE(28)) + Number(header.readBigUInt64LE(36))) * SECTOR).toString('latin1').replace(/\0+$/, '');
  const disk = Buffer.alloc(capacity);
  const tables: number[] = [];
  let directory: number[] = [];
  let footer: Buffer = Buffer.alloc(0);
  let off = Number(header.readBigUInt64LE(64)) * SECTOR;
  for (;;) {
    const value = v.readBigUInt64LE(off);
    const size = v.readUInt32LE(off + 8);
    if (size > 0) {
      inflateSync(v.subarray(off + 12, off + 12 + size)).copy(disk, Number(value) * SECTOR);
      off += Math.ceil((12 + size) / SECTOR) * SECTOR;
      continue;
    }
    const type = v.readUInt32LE(off + 12);
    const body = v.subarray(off + SECTOR, off + SECTOR + Number(value) * SECTOR);
    if (type === MARKER.GT) tables.push(off / SECTOR + 1);
    if (type === MARKER.GD) directory = Array.from({ length: Math.ceil(capacity / GRAIN_BYTES / GTES_PER_GT) }, (_, i) => body.readUInt32LE(i * 4));
    if (type === MARKER.FOOTER) footer = body;
    off += SECTOR + body.length;
    if (type === MARKER.EOS) break;
  }
  expect(off).toBe(v.length);
  return { disk, header, footer, descriptor, tables, directory };
}

describe('streamOptimizedVmdk', () => {
  it('holds exactly the disk, with a header, a footer that finds the grain directory, and an end marker', () => {
    const d = disk();
    const v = vmdkOf(d);
    const r = readStream(v);
    expect(r.disk.equals(d)).toBe(true);
    expect(r.header.subarray(0, 4).toString('latin1')).toBe('KDMV');
    expect(r.header.readUInt32LE(4)).toBe(3);
    expect(r.header.readUInt32LE(8)).toBe(0x30001);
    expect(r.header.readBigUInt64LE(20)).toBe(BigInt(GRAIN_SECTORS));
    expect(r.header.readBigUInt64LE(56)).toBe(0xffffffffffffffffn);
    expect(r.header.readUInt16LE(77)).toBe(1);
    expect(r.footer.subarray(0, 56).equals(r.header.subarray(0, 56))).toBe(true);
    expect(r.directory).toEqual(r.tables);
    const gd = Number(r.footer.readBigUInt64LE(56));
    expect(v.readUInt32LE((gd - 1) * SECTOR + 12)).toBe(MARKER.GD);
  });

  it('points each grain table entry at its grain, and leaves zero grains out', () => {
    const d = disk();
    const v = vmdkOf(d);
    const r = readStream(v);
    const gt0 = v.subarray(r.tables[0]! * SECTOR, r.tables[0]! * SECTOR + GTES_PER_GT * 4);
    const grain1 = gt0.readUInt32LE(4);
    expect(v.readBigUInt64LE(grain1 * SECTOR)).toBe(BigInt(GRAIN_SECTORS));
    expect(gt0.readUInt32LE(2 * 4)).toBe(0);
    const stored = r.tables.flatMap((t) => Array.from({ length: GTES_PER_GT }, (_, i) => v.readUInt32LE(t * SECTOR + i * 4))).filter((x) => x !== 0);
    expect(stored).toHaveLength(5);
  });

  it('describes itself as a stream-optimized extent of the right size', () => {
    const r = readStream(vmdkOf(disk()));
    expect(r.descriptor).toContain('createType="streamOptimized"');
    expect(r.descriptor).toContain(`RDONLY ${OPTS.capacityBytes / SECTOR} SPARSE "t-disk001.vmdk"`);
    expect(r.descriptor).toContain('CID=0a1b2c3d');
    expect(r.descriptor).toContain('ddb.adapterType = "ide"');
  });

  it('is the same bytes from the same disk', () => {
    expect(vmdkOf(disk()).equals(vmdkOf(disk()))).toBe(true);
  });

  it('refuses a random-looking CID or a partial sector', () => {
    expect(() => vmdkOf(Buffer.alloc(GRAIN_BYTES), { ...OPTS, cid: 'XYZ' })).toThrow(/CID/);
    expect(() => vmdkOf(Buffer.alloc(GRAIN_BYTES), { ...OPTS, capacityBytes: 1000 })).toThrow(/whole sectors/);
  });
});
