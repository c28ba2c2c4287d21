import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { PcapReader, type Packet } from './pcap';
import { formatForPath, pcapngWriter, pcapWriter } from './pcap-writer';

const dir = await mkdtemp(path.join(os.tmpdir(), 'dcod-pcap-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** An Ethernet frame carrying an ICMP echo request from 10.0.0.1 to 10.0.0.2 (checksums not checked by readers). */
function icmpFrame(seq: number): Buffer {
  const eth = Buffer.from('0200000000020200000000010800', 'hex');
  const ip = Buffer.from('4500001c0000400040010000' + '0a000001' + '0a000002', 'hex');
  const icmp = Buffer.from([8, 0, 0, 0, 0, 1, 0, seq]);
  return Buffer.concat([eth, ip, icmp]);
}

function classic(packets: readonly Packet[], opts: { be?: boolean; nano?: boolean } = {}): Buffer {
  const w = (b: Buffer, v: number, o: number) => (opts.be ? b.writeUInt32BE(v, o) : b.writeUInt32LE(v, o));
  const head = Buffer.alloc(24);
  w(head, opts.nano ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  w(head, 262144, 16);
  w(head, 1, 20);
  const recs = packets.map((p) => {
    const r = Buffer.alloc(16);
    w(r, p.sec, 0);
    w(r, opts.nano ? p.nsec : p.nsec / 1000, 4);
    w(r, p.data.length, 8);
    w(r, p.origLen, 12);
    return Buffer.concat([r, p.data]);
  });
  return Buffer.concat([head, ...recs]);
}

const packets: Packet[] = [1, 2, 3].map((i) => ({ sec: 1_700_000_000 + i, nsec: i * 1000, origLen: 42, data: icmpFrame(i) }));

describe('PcapReader', () => {
  it.each([{}, { be: true }, { nano: true }, { be: true, nano: true }])('reads %o captures fed in any chunking', (opts) => {
    const bytes = classic(packets, opts);
    for (const size of [1, 5, 17, bytes.length]) {
      const reader = new PcapReader();
      const got: Packet[] = [];
      for (let i = 0; i < bytes.length; i += size) got.push(...reader.push(bytes.subarray(i, i + size)));
      expect(got).toEqual(packets);
      expect(reader.header).toEqual({ linkType: 1, snaplen: 262144 });
    }
  });

  it('refuses a stream that is not pcap', () => {
    expect(() => new PcapReader().push(Buffer.from('tcpdump: eth9: No such device exists\n'))).toThrow(/not pcap/);
  });
});

describe('capture writers', () => {
  const sources = [
    { name: 'h1:dcod-br5001', header: { linkType: 1, snaplen: 262144 } },
    { name: 'h2:dcod-br5001', header: { linkType: 1, snaplen: 262144 } },
  ];

  it('pcap reads back as it was written, by our reader and by tcpdump', async () => {
    const w = pcapWriter();
    const bytes = Buffer.concat([w.start(), ...sources.map((s, i) => w.addSource(i, s.name, s.header)!), ...packets.map((p, i) => w.packet(i % 2, p))]);
    expect(new PcapReader().push(bytes)).toEqual(packets);
    expect(w.addSource(3, 'other', { linkType: 113, snaplen: 65535 })).toBeUndefined();
    const file = path.join(dir, 'a.pcap');
    await writeFile(file, bytes);
    const { stdout } = await promisify(execFile)('tcpdump', ['-n', '-r', file]);
    expect(stdout.match(/ICMP echo request/g)).toHaveLength(3);
  });

  it('pcapng names an interface per source, and tcpdump reads it', async () => {
    const w = pcapngWriter();
    const bytes = Buffer.concat([w.start(), ...sources.map((s, i) => w.addSource(i, s.name, s.header)!), ...packets.map((p, i) => w.packet(i % 2, p))]);
    const file = path.join(dir, 'a.pcapng');
    await writeFile(file, bytes);
    const { stdout } = await promisify(execFile)('tcpdump', ['-n', '-tt', '-r', file]);
    expect(stdout.trim().split('\n').map((l) => l.split(' ')[0])).toEqual(['1700000001.000001', '1700000002.000002', '1700000003.000003']);
    expect(bytes.includes(Buffer.from('h2:dcod-br5001'))).toBe(true);
  });

  it('picks the format by the file name', () => {
    expect([formatForPath('x.pcapng'), formatForPath('X.PCAPNG'), formatForPath('x.pcap'), formatForPath('out')]).toEqual(['pcapng', 'pcapng', 'pcap', 'pcap']);
  });
});
