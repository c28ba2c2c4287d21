// A raw disk as a streamOptimized VMDK — the disk format of OVAs (VMware Virtual Disk Format 1.1,
// "Stream-Optimized Compressed Sparse Extents"): a header, the embedded descriptor, then each non-zero
// 64 KiB grain zlib-compressed behind a small marker, in LBA order, each grain table after its grains,
// the grain directory, a footer (the header again, now knowing where the directory is) and an
// end-of-stream marker. Readers like VirtualBox's import consume it front to back. Written here rather
// than with qemu-img because qemu-img puts a random CID in the descriptor, and the OVA must be the
// same bytes from the same inputs. All-zero grains are left out: zeroed free space costs nothing.
import { deflateSync } from 'node:zlib';
import { isZero, SECTOR } from './disk';

export const GRAIN_SECTORS = 128;
export const GRAIN_BYTES = GRAIN_SECTORS * SECTOR;
export const GTES_PER_GT = 512;
const GD_AT_END = 0xffffffffffffffffn;
const FLAGS = 0x1 | 0x10000 | 0x20000; // newline test valid, compressed grains, markers
const DESCRIPTOR_SECTORS = 2;

export const MARKER = { EOS: 0, GT: 1, GD: 2, FOOTER: 3 } as const;

export interface VmdkOptions {
  readonly capacityBytes: number;
  /** The extent's file name, as the descriptor names it. */
  readonly fileName: string;
  /** Content id (8 hex digits): fixed by the caller so the output is reproducible. */
  readonly cid: string;
  readonly adapterType: 'ide' | 'lsilogic' | 'buslogic';
  /** Deflate level; 9 trades build time for a smaller OVA. */
  readonly level?: number;
}

/** The grain at a grain index, GRAIN_BYTES long (the last one may be shorter). */
export type GrainReader = (index: number) => Buffer;

function header(capacitySectors: number, gdOffset: bigint): Buffer {
  const h = Buffer.alloc(SECTOR);
  h.write('KDMV', 0, 'latin1');
  h.writeUInt32LE(3, 4);
  h.writeUInt32LE(FLAGS, 8);
  h.writeBigUInt64LE(BigInt(capacitySectors), 12);
  h.writeBigUInt64LE(BigInt(GRAIN_SECTORS), 20);
  h.writeBigUInt64LE(1n, 28);
  h.writeBigUInt64LE(BigInt(DESCRIPTOR_SECTORS), 36);
  h.writeUInt32LE(GTES_PER_GT, 44);
  h.writeBigUInt64LE(0n, 48);
  h.writeBigUInt64LE(gdOffset, 56);
  h.writeBigUInt64LE(BigInt(1 + DESCRIPTOR_SECTORS), 64);
  h[72] = 0;
  h.write('\n \r\n', 73, 'latin1');
  h.writeUInt16LE(1, 77); // deflate
  return h;
}

export function descriptor(o: VmdkOptions): string {
  const sectors = o.capacityBytes / SECTOR;
  const cylinders = Math.min(Math.floor(sectors / (16 * 63)), 16383);
  return [
    '# Disk DescriptorFile',
    'version=1',
    `CID=${o.cid}`,
    'parentCID=ffffffff',
    'createType="streamOptimized"',
    '',
    '# Extent description',
    `RDONLY ${sectors} SPARSE "${o.fileName}"`,
    '',
    '# The Disk Data Base',
    '#DDB',
    '',
    'ddb.virtualHWVersion = "4"',
    `ddb.adapterType = "${o.adapterType}"`,
    `ddb.geometry.cylinders = "${cylinders}"`,
    'ddb.geometry.heads = "16"',
    'ddb.geometry.sectors = "63"',
    '',
  ].join('\n');
}

function marker(sectors: number, type: number): Buffer {
  const m = Buffer.alloc(SECTOR);
  m.writeBigUInt64LE(BigInt(sectors), 0);
  m.writeUInt32LE(0, 8);
  m.writeUInt32LE(type, 12);
  return m;
}

function padded(b: Buffer): Buffer {
  const rest = b.length % SECTOR;
  return rest === 0 ? b : Buffer.concat([b, Buffer.alloc(SECTOR - rest)]);
}

/**
 * The VMDK's bytes, in order, as chunks to append to a file. `read` is called once per grain, in
 * order, so a caller can stream a disk far larger than memory.
 */
export function* streamOptimizedVmdk(o: VmdkOptions, read: GrainReader): Generator<Buffer> {
  if (o.capacityBytes % SECTOR !== 0) throw new Error('VMDK capacity must be whole sectors');
  if (!/^[0-9a-f]{8}$/.test(o.cid)) throw new Error('VMDK CID must be 8 lower-case hex digits');
  const capacitySectors = o.capacityBytes / SECTOR;
  const grains = Math.ceil(capacitySectors / GRAIN_SECTORS);
  const tables = Math.ceil(grains / GTES_PER_GT);
  const desc = Buffer.from(descriptor(o), 'latin1');
  if (desc.length > DESCRIPTOR_SECTORS * SECTOR) throw new Error('VMDK descriptor too long');

  let sector = 0;
  const emit = (b: Buffer): Buffer => {
    sector += b.length / SECTOR;
    return b;
  };
  yield emit(header(capacitySectors, GD_AT_END));
  yield emit(padded(Buffer.concat([desc, Buffer.alloc(DESCRIPTOR_SECTORS * SECTOR - desc.length)])));

  const directory = Buffer.alloc(tables * 4);
  for (let t = 0; t < tables; t++) {
    const table = Buffer.alloc(GTES_PER_GT * 4);
    for (let i = 0; i < GTES_PER_GT; i++) {
      const g = t * GTES_PER_GT + i;
      if (g >= grains) break;
      const data = read(g);
      if (isZero(data)) continue;
      const full = data.length === GRAIN_BYTES ? data : Buffer.concat([data, Buffer.alloc(GRAIN_BYTES - data.length)]);
      const z = deflateSync(full, { level: o.level ?? 9 });
      const head = Buffer.alloc(12);
      head.writeBigUInt64LE(BigInt(g * GRAIN_SECTORS), 0);
      head.writeUInt32LE(z.length, 8);
      table.writeUInt32LE(sector, i * 4);
      yield emit(padded(Buffer.concat([head, z])));
    }
    yield emit(marker(table.length / SECTOR, MARKER.GT));
    directory.writeUInt32LE(sector, t * 4);
    yield emit(table);
  }
  const gdSectors = Math.ceil(directory.length / SECTOR);
  yield emit(marker(gdSectors, MARKER.GD));
  const gdOffset = sector;
  yield emit(padded(directory));
  yield emit(marker(1, MARKER.FOOTER));
  yield emit(header(capacitySectors, BigInt(gdOffset)));
  yield emit(marker(0, MARKER.EOS));
}
