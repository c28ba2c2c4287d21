// Packs an appliance: raw disk → streamOptimized VMDK → OVA (ustar: the descriptor first, then the
// disk, then a SHA-256 manifest, which VirtualBox checks on import) and a `sha256sum`-format checksum
// file beside it. Every byte follows from the inputs: fixed entry order, fixed mtimes (SOURCE_DATE_EPOCH),
// fixed owner, and a VMDK without random ids. The same packer makes the full image and the tiny test
// appliances of the installer's lab test.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { formatManifest } from '../../e2e/lab/vboxsim/ovf';
import { writeTar } from '../../e2e/lab/vboxsim/tar';
import { buildApplianceOvf, type ApplianceDescriptor } from './descriptor';
import { GRAIN_BYTES, streamOptimizedVmdk } from './vmdk';

export function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

export function sha256File(file: string): string {
  const h = createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(4 * 1024 * 1024);
    for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0; ) h.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return h.digest('hex');
}

/** The checksum file's one line, as `sha256sum` writes and `sha256sum -c` reads it. */
export function checksumLine(digest: string, fileName: string): string {
  return `${digest}  ${fileName}\n`;
}

/** Reads a raw disk image grain by grain; beyond the file's end reads as zeros. */
function rawGrains(rawDisk: string): { read: (i: number) => Buffer; close: () => void } {
  const fd = fs.openSync(rawDisk, 'r');
  const buf = Buffer.alloc(GRAIN_BYTES);
  return {
    read: (i) => {
      const n = fs.readSync(fd, buf, 0, GRAIN_BYTES, i * GRAIN_BYTES);
      buf.fill(0, n);
      return buf;
    },
    close: () => fs.closeSync(fd),
  };
}

export interface PackInput {
  /** Raw disk image; its size is the disk's capacity. */
  readonly rawDisk: string;
  readonly descriptor: Omit<ApplianceDescriptor, 'disk'> & { readonly disk: { readonly uuid: string } };
  /** The OVA to write; the checksum file is `<ova>.sha256`. */
  readonly ova: string;
  /** Seconds since the epoch, for every archive member. */
  readonly mtime: number;
  readonly level?: number;
}

export interface Packed {
  readonly ova: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly vmdkBytes: number;
}

export function packOva(p: PackInput): Packed {
  const base = path.basename(p.ova, '.ova');
  const vmdkName = `${base}-disk001.vmdk`;
  const capacityBytes = fs.statSync(p.rawDisk).size;
  // The CID only has to change when the content does: take it from the descriptor's identity.
  const cid = sha256(Buffer.from(`${p.descriptor.name}\0${p.descriptor.product.version}\0${p.descriptor.disk.uuid}`)).slice(0, 8);
  const grains = rawGrains(p.rawDisk);
  let vmdk: Buffer;
  try {
    vmdk = Buffer.concat([...streamOptimizedVmdk({ capacityBytes, fileName: vmdkName, cid, adapterType: 'ide', level: p.level }, grains.read)]);
  } finally {
    grains.close();
  }
  const ovfName = `${base}.ovf`;
  const ovf = Buffer.from(buildApplianceOvf({ ...p.descriptor, disk: { href: vmdkName, capacityBytes, uuid: p.descriptor.disk.uuid } }));
  const mf = Buffer.from(formatManifest([{ name: ovfName, sha256: sha256(ovf) }, { name: vmdkName, sha256: sha256(vmdk) }]));
  const tar = writeTar([
    { name: ovfName, data: ovf, mtime: p.mtime },
    { name: vmdkName, data: vmdk, mtime: p.mtime },
    { name: `${base}.mf`, data: mf, mtime: p.mtime },
  ]);
  fs.mkdirSync(path.dirname(p.ova), { recursive: true });
  fs.writeFileSync(p.ova, tar);
  const digest = sha256(tar);
  fs.writeFileSync(`${p.ova}.sha256`, checksumLine(digest, path.basename(p.ova)));
  return { ova: p.ova, sha256: digest, bytes: tar.length, vmdkBytes: vmdk.length };
}
