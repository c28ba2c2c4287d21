/**
 * Writing a merged capture: classic pcap (one link type, no idea where a packet was seen) or pcapng
 * (one interface per source, named after it — Wireshark shows which proxy saw each packet). Both are
 * written incrementally: a header (pcapng: a section header), an interface when a source starts, then
 * packet records. Timestamps in microseconds, the resolution both formats default to.
 */
import type { Packet, PcapHeader } from './pcap';

export type CaptureFormat = 'pcap' | 'pcapng';

export interface CaptureWriter {
  readonly format: CaptureFormat;
  /** What the file starts with. */
  start(): Buffer;
  /**
   * A source's stream began with this header: the bytes to write for it (pcapng: an interface block),
   * or undefined when this format can't hold that source's packets (pcap: a second link type).
   */
  addSource(source: number, name: string, header: PcapHeader): Buffer | undefined;
  packet(source: number, p: Packet): Buffer;
}

const usOf = (p: Packet): { sec: number; usec: number } => ({ sec: p.sec, usec: Math.floor(p.nsec / 1000) });

export function pcapWriter(): CaptureWriter {
  let linkType: number | undefined;
  let started = false;
  return {
    format: 'pcap',
    // The file header needs the link type, so it is written with the first source.
    start: () => Buffer.alloc(0),
    addSource(_source, _name, header) {
      if (linkType !== undefined) return header.linkType === linkType ? Buffer.alloc(0) : undefined;
      linkType = header.linkType;
      started = true;
      const b = Buffer.alloc(24);
      b.writeUInt32LE(0xa1b2c3d4, 0);
      b.writeUInt16LE(2, 4);
      b.writeUInt16LE(4, 6);
      b.writeUInt32LE(262144, 16);
      b.writeUInt32LE(header.linkType, 20);
      return b;
    },
    packet(_source, p) {
      if (!started) throw new Error('pcapWriter: a packet before any source');
      const { sec, usec } = usOf(p);
      const b = Buffer.alloc(16);
      b.writeUInt32LE(sec, 0);
      b.writeUInt32LE(usec, 4);
      b.writeUInt32LE(p.data.length, 8);
      b.writeUInt32LE(p.origLen, 12);
      return Buffer.concat([b, p.data]);
    },
  };
}

/** A pcapng block: type, total length, body padded to 32 bits, total length again. */
function block(type: number, body: Buffer): Buffer {
  const pad = (4 - (body.length % 4)) % 4;
  const len = 12 + body.length + pad;
  const b = Buffer.alloc(len);
  b.writeUInt32LE(type, 0);
  b.writeUInt32LE(len, 4);
  body.copy(b, 8);
  b.writeUInt32LE(len, len - 4);
  return b;
}

function option(code: number, value: Buffer): Buffer {
  const pad = (4 - (value.length % 4)) % 4;
  const b = Buffer.alloc(4 + value.length + pad);
  b.writeUInt16LE(code, 0);
  b.writeUInt16LE(value.length, 2);
  value.copy(b, 4);
  return b;
}

const END_OF_OPTIONS = Buffer.alloc(4);

export function pcapngWriter(): CaptureWriter {
  /** Source → its interface id (the order interface blocks were written). */
  const interfaces = new Map<number, number>();
  return {
    format: 'pcapng',
    start() {
      const body = Buffer.alloc(16);
      body.writeUInt32LE(0x1a2b3c4d, 0);
      body.writeUInt16LE(1, 4);
      body.writeUInt16LE(0, 6);
      body.writeBigInt64LE(-1n, 8); // section length unknown: it is being streamed
      return block(0x0a0d0d0a, Buffer.concat([body, option(4, Buffer.from('DCoD')), END_OF_OPTIONS]));
    },
    addSource(source, name, header) {
      interfaces.set(source, interfaces.size);
      const body = Buffer.alloc(8);
      body.writeUInt16LE(header.linkType, 0);
      body.writeUInt32LE(header.snaplen, 4);
      return block(1, Buffer.concat([body, option(2, Buffer.from(name)), END_OF_OPTIONS]));
    },
    packet(source, p) {
      const id = interfaces.get(source);
      if (id === undefined) throw new Error(`pcapngWriter: a packet of source ${source} before its interface`);
      const { sec, usec } = usOf(p);
      const ts = BigInt(sec) * 1_000_000n + BigInt(usec);
      const head = Buffer.alloc(20);
      head.writeUInt32LE(id, 0);
      head.writeUInt32LE(Number(ts >> 32n), 4);
      head.writeUInt32LE(Number(ts & 0xffffffffn), 8);
      head.writeUInt32LE(p.data.length, 12);
      head.writeUInt32LE(p.origLen, 16);
      const pad = Buffer.alloc((4 - (p.data.length % 4)) % 4);
      return block(6, Buffer.concat([head, p.data, pad]));
    },
  };
}

export function captureWriter(format: CaptureFormat): CaptureWriter {
  return format === 'pcapng' ? pcapngWriter() : pcapWriter();
}

/** `.pcapng` asks for pcapng; anything else gets classic pcap, which every tool reads. */
export function formatForPath(file: string): CaptureFormat {
  return file.toLowerCase().endsWith('.pcapng') ? 'pcapng' : 'pcap';
}
