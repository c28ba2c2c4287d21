/**
 * The ustar archive format, as far as a single-file bundle needs it: one 512-byte header per entry,
 * its data padded to 512 bytes, two zero blocks at the end. Sizes of 8 GiB and more (a large VM's OVA)
 * don't fit ustar's 11 octal digits and are written in base-256, as GNU tar and bsdtar read them.
 * Pure functions; reading and writing the archive file is the caller's.
 */
import { DcodError } from '../errors';

export const BLOCK = 512;
/** What ends an archive: two zero blocks. */
export const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK);

/** Bytes an entry of `size` data bytes takes after its header. */
export const padded = (size: number): number => Math.ceil(size / BLOCK) * BLOCK;

const OCTAL_SIZE_MAX = 8 ** 11 - 1;

function writeOctal(block: Buffer, value: number, offset: number, width: number): void {
  block.write(`${value.toString(8).padStart(width - 1, '0')}\0`, offset, width, 'ascii');
}

/** A regular file's header (mode 0644, owner 0); `name` must be ASCII and fit ustar's 100 bytes (bundle paths do). */
export function tarHeader(name: string, size: number, mtimeSeconds = 0): Buffer {
  if (Buffer.byteLength(name) > 100 || !/^[\x20-\x7e]+$/.test(name)) throw new DcodError('BAD_REQUEST', `can't name an archive entry ${JSON.stringify(name)}: at most 100 printable ASCII characters`);
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100, 'ascii');
  writeOctal(h, 0o644, 100, 8); // mode
  writeOctal(h, 0, 108, 8); // uid
  writeOctal(h, 0, 116, 8); // gid
  if (size <= OCTAL_SIZE_MAX) writeOctal(h, size, 124, 12);
  else {
    h[124] = 0x80; // base-256: the high bit of the first byte, then the size big-endian
    let v = BigInt(size);
    for (let i = 135; i > 124; i--, v >>= 8n) h[i] = Number(v & 0xffn);
  }
  writeOctal(h, mtimeSeconds, 136, 12);
  h.write('0', 156, 'ascii'); // a regular file
  h.write('ustar\x0000', 257, 'ascii');
  writeOctal(h, checksum(h), 148, 7); // 6 digits, NUL, space

  h[155] = 0x20;
  return h;
}

/** The sum of the header's bytes, its own checksum field counted as spaces. */
function checksum(h: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
  return sum;
}

function readSize(h: Buffer): number {
  if (h[124]! & 0x80) {
    let v = 0n;
    for (let i = 125; i < 136; i++) v = (v << 8n) | BigInt(h[i]!);
    return Number(v);
  }
  return parseInt(h.toString('ascii', 124, 136).replace(/\0.*$/s, '').trim() || '0', 8);
}

export type TarBlock = { readonly kind: 'entry'; readonly name: string; readonly size: number; readonly type: string } | { readonly kind: 'end' };

/** Reads one header block: an entry, or the end of the archive (a zero block); throws on a damaged one. */
export function parseTarHeader(h: Buffer): TarBlock {
  if (h.length !== BLOCK) throw new DcodError('FILE_ERROR', `an archive header is ${h.length} bytes, not ${BLOCK}: the archive is truncated`);
  if (h.every((b) => b === 0)) return { kind: 'end' };
  const stored = parseInt(h.toString('ascii', 148, 156).replace(/\0.*$/s, '').trim(), 8);
  if (stored !== checksum(h)) throw new DcodError('FILE_ERROR', 'an archive header is damaged (its checksum does not match)');
  const cut = (from: number, to: number) => h.toString('ascii', from, to).replace(/\0.*$/s, '');
  const prefix = h.toString('ascii', 257, 262) === 'ustar' ? cut(345, 500) : '';
  return { kind: 'entry', name: prefix ? `${prefix}/${cut(0, 100)}` : cut(0, 100), size: readSize(h), type: cut(156, 157) || '0' };
}
