// POSIX ustar archives, the container of an OVA: 512-byte headers, data padded to 512 bytes, two
// zero blocks at the end.

export interface TarEntry {
  name: string;
  data: Buffer;
  /** Seconds since the epoch. */
  mtime?: number;
}

const BLOCK = 512;

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width - 1, '0')}\0`;
}

function header(e: TarEntry): Buffer {
  if (Buffer.byteLength(e.name) > 100) throw new Error(`tar: name longer than 100 bytes: ${e.name}`);
  const h = Buffer.alloc(BLOCK);
  h.write(e.name, 0, 'utf8');
  h.write(octal(0o644, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(e.data.length, 12), 124, 'ascii');
  h.write(octal(e.mtime ?? 0, 12), 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write('0', 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  h.write('vboxovf10', 265, 'ascii');
  h.write('vbox_v7.0', 297, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return h;
}

export function writeTar(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    parts.push(header(e), e.data);
    const pad = (BLOCK - (e.data.length % BLOCK)) % BLOCK;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

function readOctal(b: Buffer, off: number, len: number): number {
  const s = b.subarray(off, off + len).toString('ascii').replace(/[\0 ]+$/g, '').trim();
  return s ? parseInt(s, 8) : 0;
}

/** Reads the regular files of an archive, in order; throws on a corrupt header. */
export function readTar(buf: Buffer): TarEntry[] {
  const out: TarEntry[] = [];
  let off = 0;
  while (off + BLOCK <= buf.length) {
    const h = buf.subarray(off, off + BLOCK);
    if (h.every((b) => b === 0)) break;
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : (h[i] as number);
    if (sum !== readOctal(h, 148, 8)) throw new Error(`tar: bad header checksum at offset ${off}`);
    const nameEnd = h.indexOf(0, 0);
    const name = h.subarray(0, nameEnd < 0 || nameEnd > 100 ? 100 : nameEnd).toString('utf8');
    const prefixEnd = h.indexOf(0, 345);
    const prefix = h.subarray(345, prefixEnd < 0 || prefixEnd > 500 ? 500 : prefixEnd).toString('utf8');
    const size = readOctal(h, 124, 12);
    const type = String.fromCharCode(h[156] as number);
    const data = buf.subarray(off + BLOCK, off + BLOCK + size);
    if (type === '0' || type === '\0') out.push({ name: prefix ? `${prefix}/${name}` : name, data: Buffer.from(data), mtime: readOctal(h, 136, 12) });
    off += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return out;
}
