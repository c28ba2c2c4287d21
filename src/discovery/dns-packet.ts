/**
 * DNS messages as Multicast DNS uses them (RFC 1035 §4, RFC 6762 §18): a query encoder and a decoder for
 * the records DNS-SD browsing needs (PTR, SRV, TXT, A, AAAA; others are kept as their type only). Pure.
 *
 * Names are in presentation form, labels joined by "." with "." and "\" inside a label escaped by "\",
 * because DNS-SD instance names are single labels that may hold dots ("Jo's Mac.local" is not two labels).
 */
import { DcodError } from '../errors';

export const DnsType = { A: 1, PTR: 12, TXT: 16, AAAA: 28, SRV: 33, ANY: 255 } as const;
const CLASS_IN = 1;
/** mDNS reuses the class field's top bit: "unicast response wanted" in questions, "cache flush" in records. */
const CLASS_TOP_BIT = 0x8000;
const HEADER_BYTES = 12;
const MAX_NAME_BYTES = 255;
const MAX_LABEL_BYTES = 63;

export interface DnsQuestion {
  readonly name: string;
  readonly type: number;
  /** The QU bit (RFC 6762 §5.4): ask for a unicast reply. */
  readonly unicastResponse?: boolean;
}

interface RecordBase {
  readonly name: string;
  readonly ttl: number;
  /** The cache-flush bit (RFC 6762 §10.2): this set of records replaces any the querier holds. */
  readonly cacheFlush: boolean;
}

export type DnsRecord =
  | (RecordBase & { readonly type: 'A'; readonly address: string })
  | (RecordBase & { readonly type: 'AAAA'; readonly address: string })
  | (RecordBase & { readonly type: 'PTR'; readonly target: string })
  | (RecordBase & { readonly type: 'SRV'; readonly priority: number; readonly weight: number; readonly port: number; readonly target: string })
  | (RecordBase & { readonly type: 'TXT'; readonly entries: readonly string[] })
  | (RecordBase & { readonly type: 'OTHER'; readonly rrtype: number });

export interface DnsMessage {
  readonly id: number;
  readonly isResponse: boolean;
  readonly questions: readonly DnsQuestion[];
  readonly answers: readonly DnsRecord[];
  readonly authorities: readonly DnsRecord[];
  readonly additionals: readonly DnsRecord[];
}

function malformed(message: string): DcodError {
  return new DcodError('INVALID_DOCUMENT', message, { context: ['decoding a DNS message'] });
}

/** Splits a presentation-form name into its labels, undoing "\\." and "\\\\". */
export function nameLabels(name: string): string[] {
  const labels: string[] = [];
  let label = '';
  for (let i = 0; i < name.length; i++) {
    const c = name.charAt(i);
    if (c === '\\' && i + 1 < name.length) label += name.charAt(++i);
    else if (c === '.') {
      labels.push(label);
      label = '';
    } else label += c;
  }
  // A trailing dot (the root) ends the name; it is not an empty label.
  if (label !== '') labels.push(label);
  return labels;
}

export function escapeLabel(label: string): string {
  return label.replace(/[\\.]/g, (c) => `\\${c}`);
}

/** Names compare case-insensitively (ASCII only, RFC 4343); this is the key to compare them by. */
export function nameKey(name: string): string {
  return name.replace(/[A-Z]/g, (c) => c.toLowerCase()).replace(/\.$/, '');
}

function encodeName(name: string): Buffer {
  const parts: Buffer[] = [];
  for (const label of nameLabels(name)) {
    const bytes = Buffer.from(label, 'utf8');
    if (bytes.length === 0 || bytes.length > MAX_LABEL_BYTES) throw new DcodError('BAD_REQUEST', `DNS name "${name}" has a label of ${bytes.length} bytes (1-${MAX_LABEL_BYTES} allowed)`);
    parts.push(Buffer.from([bytes.length]), bytes);
  }
  parts.push(Buffer.from([0]));
  const out = Buffer.concat(parts);
  if (out.length > MAX_NAME_BYTES) throw new DcodError('BAD_REQUEST', `DNS name "${name}" is longer than ${MAX_NAME_BYTES} bytes`);
  return out;
}

/** A query message: header with only the question count set (mDNS queries use id 0 and no flags). */
export function encodeQuery(questions: readonly DnsQuestion[], id = 0): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(questions.length, 4);
  return Buffer.concat([
    header,
    ...questions.flatMap((q) => {
      const tail = Buffer.alloc(4);
      tail.writeUInt16BE(q.type, 0);
      tail.writeUInt16BE(CLASS_IN | (q.unicastResponse ? CLASS_TOP_BIT : 0), 2);
      return [encodeName(q.name), tail];
    }),
  ]);
}

/** A cursor over the message that checks every read against the end it is allowed to reach. */
class Reader {
  constructor(
    readonly buf: Buffer,
    public pos: number,
  ) {}

  need(n: number, what: string, end = this.buf.length): void {
    if (this.pos + n > end) throw malformed(`${what} at offset ${this.pos} runs past the end (${end} bytes)`);
  }

  u8(what: string, end?: number): number {
    this.need(1, what, end);
    return this.buf.readUInt8(this.pos++);
  }

  u16(what: string, end?: number): number {
    this.need(2, what, end);
    const v = this.buf.readUInt16BE(this.pos);
    this.pos += 2;
    return v;
  }

  u32(what: string, end?: number): number {
    this.need(4, what, end);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  /**
   * A possibly compressed name. Each pointer must point before where the name (or the last pointer's
   * target) began, as a compressor only points at what it already wrote: so pointers cannot loop. `end`
   * bounds only the bytes read in place.
   */
  name(end = this.buf.length): string {
    const labels: string[] = [];
    let wireLength = 1;
    let at = this.pos;
    let floor = this.pos;
    let resumeAt: number | null = null;
    let limit = end;
    for (;;) {
      if (at >= limit) throw malformed(`name at offset ${at} runs past the end (${limit} bytes)`);
      const len = this.buf.readUInt8(at);
      const kind = len & 0xc0;
      if (kind === 0xc0) {
        if (at + 2 > limit) throw malformed(`compression pointer at offset ${at} runs past the end (${limit} bytes)`);
        const target = this.buf.readUInt16BE(at) & 0x3fff;
        if (target >= floor) throw malformed(`compression pointer at offset ${at} points to ${target}, not before ${floor}`);
        resumeAt ??= at + 2;
        at = floor = target;
        // Pointed-to bytes lie earlier in the message, outside any record's rdata.
        limit = this.buf.length;
        continue;
      }
      if (kind !== 0) throw malformed(`label at offset ${at} has the reserved type bits 0x${kind.toString(16)}`);
      if (len === 0) {
        this.pos = resumeAt ?? at + 1;
        return labels.map(escapeLabel).join('.');
      }
      if (at + 1 + len > limit) throw malformed(`label at offset ${at} runs past the end (${limit} bytes)`);
      wireLength += len + 1;
      if (wireLength > MAX_NAME_BYTES) throw malformed(`name at offset ${this.pos} is longer than ${MAX_NAME_BYTES} bytes`);
      labels.push(this.buf.toString('utf8', at + 1, at + 1 + len));
      at += 1 + len;
    }
  }
}

function decodeRecord(r: Reader): DnsRecord {
  const name = r.name();
  const rrtype = r.u16('record type');
  const rrclass = r.u16('record class');
  const ttl = r.u32('record TTL');
  const rdlength = r.u16('record data length');
  const start = r.pos;
  const end = start + rdlength;
  r.need(rdlength, `data of the ${name} record`);
  const base = { name, ttl, cacheFlush: (rrclass & CLASS_TOP_BIT) !== 0 };
  let record: DnsRecord;
  switch (rrtype) {
    case DnsType.A:
      if (rdlength !== 4) throw malformed(`A record for ${name} has ${rdlength} bytes of data, not 4`);
      record = { ...base, type: 'A', address: [...r.buf.subarray(start, end)].join('.') };
      break;
    case DnsType.AAAA:
      if (rdlength !== 16) throw malformed(`AAAA record for ${name} has ${rdlength} bytes of data, not 16`);
      record = { ...base, type: 'AAAA', address: ipv6Text(r.buf.subarray(start, end)) };
      break;
    case DnsType.PTR:
      record = { ...base, type: 'PTR', target: r.name(end) };
      break;
    case DnsType.SRV: {
      const priority = r.u16('SRV priority', end);
      const weight = r.u16('SRV weight', end);
      const port = r.u16('SRV port', end);
      record = { ...base, type: 'SRV', priority, weight, port, target: r.name(end) };
      break;
    }
    case DnsType.TXT: {
      const entries: string[] = [];
      while (r.pos < end) {
        const len = r.u8('TXT string length', end);
        r.need(len, `TXT string of ${name}`, end);
        entries.push(r.buf.toString('utf8', r.pos, r.pos + len));
        r.pos += len;
      }
      record = { ...base, type: 'TXT', entries };
      break;
    }
    default:
      record = { ...base, type: 'OTHER', rrtype };
  }
  if (rrtype === DnsType.PTR || rrtype === DnsType.SRV) {
    if (r.pos !== end) throw malformed(`${name} record's data is ${rdlength} bytes but its content ends after ${r.pos - start}`);
  }
  r.pos = end;
  return record;
}

function ipv6Text(bytes: Buffer): string {
  const groups = Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(i * 2).toString(16));
  // The longest run of two or more zero groups becomes "::" (RFC 5952 §4.2).
  let best = { at: -1, len: 1 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best.len) best = { at: i, len: j - i };
    i = j === i ? i + 1 : j;
  }
  if (best.at < 0) return groups.join(':');
  return `${groups.slice(0, best.at).join(':')}::${groups.slice(best.at + best.len).join(':')}`;
}

/** Decodes a whole message; anything malformed throws an INVALID_DOCUMENT error that says where. */
export function decodeMessage(buf: Buffer): DnsMessage {
  const r = new Reader(buf, 0);
  const id = r.u16('header');
  const flags = r.u16('header');
  const counts = [r.u16('header'), r.u16('header'), r.u16('header'), r.u16('header')] as const;
  const questions: DnsQuestion[] = [];
  for (let i = 0; i < counts[0]; i++) {
    const name = r.name();
    const type = r.u16('question type');
    const qclass = r.u16('question class');
    questions.push({ name, type, unicastResponse: (qclass & CLASS_TOP_BIT) !== 0 });
  }
  const section = (count: number) => Array.from({ length: count }, () => decodeRecord(r));
  return { id, isResponse: (flags & 0x8000) !== 0, questions, answers: section(counts[1]), authorities: section(counts[2]), additionals: section(counts[3]) };
}
