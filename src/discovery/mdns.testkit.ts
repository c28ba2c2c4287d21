/**
 * Test-only: real mDNS responses, and a builder for hand-made ones.
 *
 * The captures are avahi-daemon 0.8 (Debian bookworm 0.8-10+deb12u1) answering in the DCoD lab: host name
 * `x1-h1`, address 198.18.12.11 on br0, an `_ssh._tcp` service file on port 22 and `publish-workstation=yes`.
 * They were read off the querier's socket in the lab's laptop namespace, byte for byte.
 */

/**
 * Reply to a legacy unicast query (id 0x1234, from an ephemeral port) asking PTR `_ssh._tcp.local` and
 * PTR `_workstation._tcp.local`: avahi echoes the questions and puts all 8 records in the answer section,
 * TTLs capped at 10 s, names compressed.
 */
export const AVAHI_LEGACY_UNICAST_REPLY = Buffer.from(
  '123484000002000800000000045f737368045f746370056c6f63616c00000c00010c5f776f726b73746174696f6ec011000c0001' +
    'c021000c00010000000a001c1978312d6831205b30323a64633a63363a31323a30633a30625dc021c040001000010000000a0001' +
    '00c040002100010000000a000e0000000000090578312d6831c016c07b001c00010000000a0010fe8000000000000000dcc6fffe' +
    '120c0bc07b000100010000000a0004c6120c0bc00c000c00010000000a00080578312d6831c00cc0bb001000010000000a000100' +
    'c0bb002100010000000a0008000000000016c07b',
  'hex',
);

/** Reply to a QU query (PTR `_ssh._tcp.local`, from port 5353): id 0, cache-flush bits, full TTLs. */
export const AVAHI_MULTICAST_REPLY = Buffer.from(
  '000084000000000500000000045f737368045f746370056c6f63616c00000c00010000119400080578312d6831c00cc027001080' +
    '0100001194000100c0270021800100000078000e0000000000160578312d6831c016c04e001c8001000000780010fe8000000000' +
    '000000dcc6fffe120c0bc04e00018001000000780004c6120c0b',
  'hex',
);

function name(text: string): Buffer {
  return Buffer.concat([...text.split('.').map((l) => Buffer.concat([Buffer.from([Buffer.byteLength(l)]), Buffer.from(l)])), Buffer.from([0])]);
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** One resource record, uncompressed; `rdata` is given raw. */
export function rr(owner: string, type: number, rdata: Buffer, ttl = 120): Buffer {
  return Buffer.concat([name(owner), u16(type), u16(1), u32(ttl), u16(rdata.length), rdata]);
}

export const rdata = {
  name,
  a: (address: string) => Buffer.from(address.split('.').map(Number)),
  srv: (port: number, target: string) => Buffer.concat([u16(0), u16(0), u16(port), name(target)]),
};

/** A response message (id, QR and AA set) with the given records in the answer and additional sections. */
export function response(id: number, answers: readonly Buffer[], additionals: readonly Buffer[] = []): Buffer {
  return Buffer.concat([u16(id), u16(0x8400), u16(0), u16(answers.length), u16(0), u16(additionals.length), ...answers, ...additionals]);
}
