import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DcodError } from '../errors';
import { DnsType, decodeMessage, encodeQuery, escapeLabel, nameKey, nameLabels } from './dns-packet';
import { AVAHI_LEGACY_UNICAST_REPLY, AVAHI_MULTICAST_REPLY, rdata, response, rr } from './mdns.testkit';

/** Decodes, or returns the error it threw. */
function decodeError(buf: Buffer): unknown {
  try {
    decodeMessage(buf);
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('DNS queries', () => {
  it('encodes a PTR question byte for byte, with the QU bit when asked', () => {
    expect(encodeQuery([{ name: '_ssh._tcp.local', type: DnsType.PTR, unicastResponse: true }]).toString('hex')).toBe(
      '000000000001000000000000045f737368045f746370056c6f63616c00000c8001',
    );
    expect(encodeQuery([{ name: '_ssh._tcp.local.', type: DnsType.PTR }], 0x1234).toString('hex')).toBe('123400000001000000000000045f737368045f746370056c6f63616c00000c0001');
  });

  it('round-trips any questions, dots and backslashes inside labels included', () => {
    const label = fc.string({ minLength: 1, maxLength: 20, unit: fc.constantFrom('a', 'Z', '.', '\\', ' ', '[', 'é', '-') }).filter((l) => Buffer.byteLength(l) <= 63);
    const question = fc.record({ labels: fc.array(label, { minLength: 1, maxLength: 5 }), type: fc.integer({ min: 1, max: 65535 }), unicastResponse: fc.boolean() });
    fc.assert(
      fc.property(fc.array(question, { maxLength: 4 }), fc.integer({ min: 0, max: 65535 }), (qs, id) => {
        const questions = qs.map((q) => ({ name: q.labels.map(escapeLabel).join('.'), type: q.type, unicastResponse: q.unicastResponse }));
        const decoded = decodeMessage(encodeQuery(questions, id));
        expect(decoded.id).toBe(id);
        expect(decoded.isResponse).toBe(false);
        expect(decoded.questions).toEqual(questions);
        for (const [i, q] of qs.entries()) expect(nameLabels(decoded.questions[i]!.name)).toEqual(q.labels);
      }),
    );
  });

  it('refuses names DNS cannot carry', () => {
    expect(() => encodeQuery([{ name: `${'x'.repeat(64)}.local`, type: DnsType.A }])).toThrow(/label of 64 bytes/);
    expect(() => encodeQuery([{ name: 'a..local', type: DnsType.A }])).toThrow(/label of 0 bytes/);
    expect(() => encodeQuery([{ name: Array.from({ length: 5 }, () => 'y'.repeat(60)).join('.'), type: DnsType.A }])).toThrow(/longer than 255 bytes/);
  });
});

describe('DNS names', () => {
  it('compare without regard to ASCII case or a trailing dot', () => {
    expect(nameKey('X1-H1.Local.')).toBe(nameKey('x1-h1.local'));
    expect(nameKey('É.local')).not.toBe(nameKey('é.local'));
  });
});

describe('DNS responses', () => {
  it('decodes avahi\'s legacy unicast reply, following its compression pointers', () => {
    const m = decodeMessage(AVAHI_LEGACY_UNICAST_REPLY);
    expect(m).toMatchObject({ id: 0x1234, isResponse: true, authorities: [], additionals: [] });
    expect(m.questions).toEqual([
      { name: '_ssh._tcp.local', type: DnsType.PTR, unicastResponse: false },
      { name: '_workstation._tcp.local', type: DnsType.PTR, unicastResponse: false },
    ]);
    const ws = 'x1-h1 [02:dc:c6:12:0c:0b]._workstation._tcp.local';
    const base = { ttl: 10, cacheFlush: false };
    expect(m.answers).toEqual([
      { ...base, name: '_workstation._tcp.local', type: 'PTR', target: ws },
      { ...base, name: ws, type: 'TXT', entries: [''] },
      { ...base, name: ws, type: 'SRV', priority: 0, weight: 0, port: 9, target: 'x1-h1.local' },
      { ...base, name: 'x1-h1.local', type: 'AAAA', address: 'fe80::dc:c6ff:fe12:c0b' },
      { ...base, name: 'x1-h1.local', type: 'A', address: '198.18.12.11' },
      { ...base, name: '_ssh._tcp.local', type: 'PTR', target: 'x1-h1._ssh._tcp.local' },
      { ...base, name: 'x1-h1._ssh._tcp.local', type: 'TXT', entries: [''] },
      { ...base, name: 'x1-h1._ssh._tcp.local', type: 'SRV', priority: 0, weight: 0, port: 22, target: 'x1-h1.local' },
    ]);
  });

  it('decodes avahi\'s multicast reply with its cache-flush bits and full TTLs', () => {
    const m = decodeMessage(AVAHI_MULTICAST_REPLY);
    expect(m.questions).toEqual([]);
    expect(m.answers.map((a) => [a.type, a.ttl, a.cacheFlush])).toEqual([
      ['PTR', 4500, false],
      ['TXT', 4500, true],
      ['SRV', 120, true],
      ['AAAA', 120, true],
      ['A', 120, true],
    ]);
    expect(m.answers[2]).toMatchObject({ port: 22, target: 'x1-h1.local' });
  });

  it('reads the additional section, labels holding dots, and keeps unknown types by number', () => {
    const m = decodeMessage(
      response(
        7,
        [rr('_ssh._tcp.local', DnsType.PTR, rdata.name('Jo.s box._ssh._tcp.local'))],
        [rr('Jo.s box._ssh._tcp.local', DnsType.SRV, rdata.srv(2222, 'jo.local')), rr('jo.local', DnsType.A, rdata.a('10.1.2.3')), rr('jo.local', 47, Buffer.from([0, 1, 2]))],
      ),
    );
    // The builder writes "Jo.s box" as two labels: the decoder keeps them apart, as DNS does.
    expect(m.answers[0]).toMatchObject({ type: 'PTR', target: 'Jo.s box._ssh._tcp.local' });
    expect(m.additionals.map((r) => r.type)).toEqual(['SRV', 'A', 'OTHER']);
    expect(m.additionals[2]).toMatchObject({ rrtype: 47, name: 'jo.local' });
    const oneLabel = Buffer.concat([Buffer.from([8]), Buffer.from('Jo.s box'), rdata.name('_ssh._tcp.local')]);
    expect(decodeMessage(response(1, [rr('_ssh._tcp.local', DnsType.PTR, oneLabel)])).answers[0]).toMatchObject({ target: 'Jo\\.s box._ssh._tcp.local' });
  });
});

describe('malformed DNS messages', () => {
  function expectMalformed(buf: Buffer, message: RegExp) {
    const err = decodeError(buf);
    expect(err).toBeInstanceOf(DcodError);
    expect(err).toMatchObject({ code: 'INVALID_DOCUMENT', context: ['decoding a DNS message'], message: expect.stringMatching(message) });
  }

  it('say where a truncated message ends, at every cut of a real reply', () => {
    for (let n = 0; n < AVAHI_LEGACY_UNICAST_REPLY.length; n++) expectMalformed(AVAHI_LEGACY_UNICAST_REPLY.subarray(0, n), /runs past the end/);
  });

  it('refuse pointers that loop or point forward, and reserved label types', () => {
    const header = response(0, []).subarray(0, 12);
    header.writeUInt16BE(1, 4);
    expectMalformed(Buffer.concat([header, Buffer.from([0xc0, 12, 0, 1, 0, 1])]), /pointer at offset 12 points to 12, not before 12/);
    expectMalformed(Buffer.concat([header, Buffer.from([0xc0, 14, 0, 0, 1, 0, 1])]), /points to 14/);
    // "a" then a pointer back to that same "a": a loop made of a label and a pointer.
    expectMalformed(Buffer.concat([header, Buffer.from([1, 0x61, 0xc0, 12, 0, 1, 0, 1])]), /points to 12, not before 12/);
    expectMalformed(Buffer.concat([header, Buffer.from([0x40, 0, 0, 1, 0, 1])]), /reserved type bits 0x40/);
  });

  it('refuse record data that disagrees with its type or its length', () => {
    expectMalformed(response(0, [rr('h.local', DnsType.A, Buffer.from([1, 2, 3, 4, 5]))]), /A record for h\.local has 5 bytes of data, not 4/);
    expectMalformed(response(0, [rr('h.local', DnsType.AAAA, Buffer.alloc(4))]), /AAAA record .* not 16/);
    expectMalformed(response(0, [rr('s.local', DnsType.SRV, Buffer.alloc(4))]), /SRV port .* runs past the end/);
    expectMalformed(response(0, [rr('s.local', DnsType.PTR, Buffer.concat([rdata.name('x.local'), Buffer.from([9])]))]), /s\.local record.s data is 10 bytes but its content ends after 9/);
    expectMalformed(response(0, [rr('t.local', DnsType.TXT, Buffer.from([5, 0x61]))]), /TXT string of t\.local .* runs past the end/);
    // The PTR's name would run on into the next record: rdata bounds the name.
    const ptr = rr('p.local', DnsType.PTR, Buffer.from([3, 0x61, 0x62]));
    expectMalformed(response(0, [ptr, rr('q.local', DnsType.A, rdata.a('1.2.3.4'))]), /label at offset .* runs past the end/);
  });

  it('any bytes at all decode or fail with INVALID_DOCUMENT, never another error', () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 600 }),
      // Real replies with bytes changed: these get far deeper into the decoder than random noise.
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }).chain((edits) =>
        fc.constantFrom(AVAHI_LEGACY_UNICAST_REPLY, AVAHI_MULTICAST_REPLY).map((real) => {
          const copy = Buffer.from(real);
          for (const [at, value] of edits) copy[at % copy.length] = value;
          return copy;
        }),
      ),
    );
    fc.assert(
      fc.property(bytes, (b) => {
        const err = decodeError(Buffer.from(b));
        if (err !== undefined) expect(err).toMatchObject({ code: 'INVALID_DOCUMENT' });
      }),
      { numRuns: 2000 },
    );
  });
});
