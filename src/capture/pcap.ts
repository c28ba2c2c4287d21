/**
 * Reading a classic pcap stream (what `tcpdump -w -` writes) incrementally: the 24-byte file header,
 * then records of a 16-byte header and the captured bytes. Either byte order, micro- or nanosecond
 * timestamps; packets come out with nanoseconds either way.
 */
import { DcodError } from '../errors';

export interface Packet {
  readonly sec: number;
  readonly nsec: number;
  /** The length on the wire; `data` may be shorter (the snap length). */
  readonly origLen: number;
  readonly data: Buffer;
}

export interface PcapHeader {
  readonly linkType: number;
  readonly snaplen: number;
}

export const LINKTYPE_ETHERNET = 1;
const MAGIC_US = 0xa1b2c3d4;
const MAGIC_NS = 0xa1b23c4d;
/** No link layer captures more than this in one record; more means the stream is not what we think. */
const MAX_RECORD = 1 << 20;

export class PcapReader {
  private buf: Buffer = Buffer.alloc(0);
  private head: (PcapHeader & { readonly le: boolean; readonly nano: boolean }) | undefined;

  get header(): PcapHeader | undefined {
    return this.head && { linkType: this.head.linkType, snaplen: this.head.snaplen };
  }

  /** Feeds bytes; returns the packets they completed. Throws COMMAND_FAILED on a stream that is not pcap. */
  push(chunk: Buffer): Packet[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: Packet[] = [];
    let at = 0;
    if (!this.head) {
      if (this.buf.length < 24) return out;
      const le = this.buf.readUInt32LE(0);
      const be = this.buf.readUInt32BE(0);
      const magic = [le, be].find((m) => m === MAGIC_US || m === MAGIC_NS);
      if (magic === undefined) throw new DcodError('COMMAND_FAILED', `the capture stream is not pcap (it starts with ${this.buf.subarray(0, 4).toString('hex')})`);
      const isLe = le === magic;
      const u32 = (o: number) => (isLe ? this.buf.readUInt32LE(o) : this.buf.readUInt32BE(o));
      this.head = { le: isLe, nano: magic === MAGIC_NS, snaplen: u32(16), linkType: u32(20) & 0x0fffffff };
      at = 24;
    }
    const { le, nano } = this.head;
    while (this.buf.length - at >= 16) {
      const u32 = (o: number) => (le ? this.buf.readUInt32LE(at + o) : this.buf.readUInt32BE(at + o));
      const incl = u32(8);
      if (incl > MAX_RECORD) throw new DcodError('COMMAND_FAILED', `the capture stream is corrupt (a record of ${incl} bytes)`);
      if (this.buf.length - at < 16 + incl) break;
      const frac = u32(4);
      out.push({ sec: u32(0), nsec: nano ? frac : frac * 1000, origLen: u32(12), data: Buffer.from(this.buf.subarray(at + 16, at + 16 + incl)) });
      at += 16 + incl;
    }
    this.buf = this.buf.subarray(at);
    return out;
  }
}
