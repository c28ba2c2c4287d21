// The raw disk: an MBR with GRUB's boot sector, GRUB's core image in the gap before the first
// partition, and one bootable Linux partition holding the ext4 root. This is what grub-install does for
// a BIOS disk, done on a file: grub-mkimage already fills the core image's first block list with
// "sector 2, the rest of the image", and boot.img already loads the core from sector 1, so placing
// both is all there is to it — no loop device, no mount.
import fs from 'node:fs';

export const SECTOR = 512;
const MBR_CODE_BYTES = 440;

export interface MbrLayout {
  /** GRUB's boot.img (one sector, ends in 55 AA). */
  readonly bootCode: Buffer;
  readonly diskSignature: number;
  readonly partitionStart: number;
  readonly partitionSectors: number;
}

/** Cylinder/head/sector of an LBA on the usual 255-head, 63-sector geometry, capped at 1023/254/63. */
export function chs(lba: number): [number, number, number] {
  const c = Math.floor(lba / (255 * 63));
  if (c > 1023) return [0xfe, 0xff, 0xff];
  const h = Math.floor(lba / 63) % 255;
  const s = (lba % 63) + 1;
  return [h, ((c >> 2) & 0xc0) | s, c & 0xff];
}

export function mbr(o: MbrLayout): Buffer {
  if (o.bootCode.length !== SECTOR || o.bootCode.readUInt16LE(510) !== 0xaa55) throw new Error('boot code must be one sector ending in 55 AA');
  if (o.partitionStart < 1 || o.partitionSectors < 1 || o.partitionStart + o.partitionSectors > 0xffffffff) throw new Error('partition outside what an MBR can address');
  const b = Buffer.alloc(SECTOR);
  o.bootCode.copy(b, 0, 0, MBR_CODE_BYTES);
  b.writeUInt32LE(o.diskSignature >>> 0, 440);
  const p = 446;
  b[p] = 0x80; // active: the BIOS boots this disk
  b.set(chs(o.partitionStart), p + 1);
  b[p + 4] = 0x83; // Linux
  b.set(chs(o.partitionStart + o.partitionSectors - 1), p + 5);
  b.writeUInt32LE(o.partitionStart, p + 8);
  b.writeUInt32LE(o.partitionSectors, p + 12);
  b.writeUInt16LE(0xaa55, 510);
  return b;
}

/** The sector count of a GRUB core image, checked to fit between the MBR and the partition. */
export function coreSectors(core: Buffer, partitionStart: number): number {
  const n = Math.ceil(core.length / SECTOR);
  if (n > partitionStart - 1) throw new Error(`GRUB's core image (${n} sectors) does not fit before the partition at sector ${partitionStart}`);
  // grub-mkimage writes the block list (start sector 2, count) at the end of the first sector.
  const start = core.readBigUInt64LE(SECTOR - 12);
  const count = core.readUInt16LE(SECTOR - 4);
  if (start !== 2n || count !== n - 1) throw new Error(`GRUB's core image loads ${count} sectors from ${start}, expected ${n - 1} from 2`);
  return n;
}

const COPY_CHUNK = 1024 * 1024;
const ZERO = Buffer.alloc(COPY_CHUNK);

/** True when every byte is zero (a memcmp, not a loop in JS). */
export function isZero(b: Buffer): boolean {
  for (let off = 0; off < b.length; off += ZERO.length) {
    const part = b.subarray(off, off + ZERO.length);
    if (!part.equals(ZERO.subarray(0, part.length))) return false;
  }
  return true;
}

/**
 * Writes the raw disk: MBR, core image at sector 1, the file system image at the partition. The file
 * is sparse where the file system is zero, which keeps the later VMDK pass quick.
 */
export function writeRawDisk(out: string, o: { diskBytes: number; layout: Omit<MbrLayout, 'partitionSectors'>; core: Buffer; fsImage: string }): void {
  const fsBytes = fs.statSync(o.fsImage).size;
  const partitionSectors = o.diskBytes / SECTOR - o.layout.partitionStart;
  if (fsBytes > partitionSectors * SECTOR) throw new Error('the file system is larger than the partition');
  coreSectors(o.core, o.layout.partitionStart);
  fs.rmSync(out, { force: true });
  const fd = fs.openSync(out, 'w');
  try {
    fs.ftruncateSync(fd, o.diskBytes);
    fs.writeSync(fd, mbr({ ...o.layout, partitionSectors }), 0, SECTOR, 0);
    fs.writeSync(fd, o.core, 0, o.core.length, SECTOR);
    const src = fs.openSync(o.fsImage, 'r');
    try {
      const buf = Buffer.alloc(COPY_CHUNK);
      for (let off = 0; off < fsBytes; off += COPY_CHUNK) {
        const n = fs.readSync(src, buf, 0, COPY_CHUNK, off);
        const chunk = buf.subarray(0, n);
        if (!isZero(chunk)) fs.writeSync(fd, chunk, 0, n, o.layout.partitionStart * SECTOR + off);
      }
    } finally {
      fs.closeSync(src);
    }
  } finally {
    fs.closeSync(fd);
  }
}
