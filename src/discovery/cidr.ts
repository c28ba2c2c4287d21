import { DcodError } from '../errors';

/** An IPv4 range to sweep, with its first and last *host* address (network and broadcast left out). */
export interface Ipv4Range {
  readonly cidr: string;
  readonly prefix: number;
  readonly first: number;
  readonly last: number;
}

/** The largest range swept without `force`: a /20 is 4,094 hosts, already a big office. */
export const MAX_PREFIX_UNFORCED = 20;

export function parseIpv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text.trim());
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

export function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Parses `a.b.c.d/n` (a bare address is a /32) and refuses ranges over /20 unless forced. */
export function parseCidr(text: string, opts: { force?: boolean } = {}): Ipv4Range {
  const [addr = '', bits, extra] = text.trim().split('/');
  const base = parseIpv4(addr);
  const prefix = bits === undefined ? 32 : /^\d{1,2}$/.test(bits) ? Number(bits) : NaN;
  if (base === undefined || extra !== undefined || !(prefix >= 0 && prefix <= 32)) {
    throw new DcodError('BAD_REQUEST', `"${text}" is not an IPv4 range: write it like 192.168.1.0/24`);
  }
  if (prefix < MAX_PREFIX_UNFORCED && !opts.force) {
    throw new DcodError('BAD_REQUEST', `${text} holds ${2 ** (32 - prefix) - 2} addresses, more than a /${MAX_PREFIX_UNFORCED}: sweep smaller ranges, or pass --force if you really mean it`);
  }
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const network = (base & mask) >>> 0;
  const broadcast = (network | (~mask >>> 0)) >>> 0;
  // /31 and /32 have no network or broadcast address to skip (RFC 3021).
  const [first, last] = prefix >= 31 ? [network, broadcast] : [network + 1, broadcast - 1];
  return { cidr: `${formatIpv4(network)}/${prefix}`, prefix, first, last };
}

export function* addresses(range: Ipv4Range): Generator<string> {
  for (let n = range.first; n <= range.last; n++) yield formatIpv4(n);
}
