// Guest properties: the key/value store shared by host and guest. Formatting of the 7.0
// `guestproperty enumerate` table (and its --old-format) and the updates the simulated guest's
// stand-in for the Guest Additions makes. Pure.
import type { GuestProperty } from './machine';

export type Props = Record<string, GuestProperty>;

/** Nanoseconds since the epoch as a decimal string (exceeds 2^53). */
export function nanoTimestamp(ms: number, extraNs = 0): string {
  return (BigInt(Math.floor(ms)) * 1000000n + BigInt(extraNs)).toString();
}

/** RTTimeToStringEx(…, 3): ISO time with milliseconds. */
function isoMillis(ns: string): string {
  return new Date(Number(BigInt(ns) / 1000000n)).toISOString();
}

/** Simple VirtualBox pattern matching: `*` and `?` wildcards, `|`-separated alternatives. */
export function matchesPatterns(name: string, patterns: readonly string[]): boolean {
  if (patterns.length === 0) return true;
  return patterns.some((p) =>
    p.split('|').some((alt) => new RegExp(`^${alt.replace(/[.+^${}()[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(name)),
  );
}

export interface EnumerateOptions {
  oldFormat: boolean;
  timestamps: boolean;
  flags: boolean;
  patterns: string[];
}

export function formatEnumerate(props: Props, o: EnumerateOptions): string {
  const names = Object.keys(props)
    .filter((n) => matchesPatterns(n, o.patterns))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (names.length === 0) return 'No properties found.\n';
  if (o.oldFormat) {
    return names
      .map((n) => {
        const p = props[n] as GuestProperty;
        return `Name: ${n}, value: ${p.value}, timestamp: ${p.timestamp}, flags: ${p.flags}\n`;
      })
      .join('');
  }
  const wName = Math.min(48, Math.max(1, ...names.map((n) => n.length)));
  const wValue = Math.min(28, Math.max(1, ...names.map((n) => (props[n] as GuestProperty).value.length)));
  return names
    .map((n) => {
      const p = props[n] as GuestProperty;
      const head = `${n.padEnd(wName)} = '${p.value}'`;
      const flags = o.flags ? p.flags : '';
      if (!o.timestamps && !flags) return `${head}\n`;
      const width = wName + wValue + 6;
      const pad = head.length < width ? width - head.length : 1;
      const time = o.timestamps ? `@ ${isoMillis(p.timestamp)}` : '';
      return `${head}${' '.repeat(pad)}${time}${flags ? ' ' : ''}${flags}\n`;
    })
    .join('');
}

/** One guest network interface as the Additions' VMInfo service reports it. */
export interface GuestNetIf {
  mac: string;
  ip: string;
  netmask: string;
  broadcast: string;
  up: boolean;
}

/**
 * Replaces the /VirtualBox/GuestInfo/Net/* properties with the given interfaces (numbered in order,
 * as the Additions do for interfaces that carry an IPv4 address), keeping everything else.
 */
export function publishGuestNet(props: Props, ifs: readonly GuestNetIf[], timestamp: string): Props {
  const out: Props = {};
  for (const [k, v] of Object.entries(props)) if (!k.startsWith('/VirtualBox/GuestInfo/Net/')) out[k] = v;
  const set = (k: string, value: string) => {
    const prev = props[k];
    out[k] = prev && prev.value === value ? prev : { value, timestamp, flags: '' };
  };
  ifs.forEach((i, n) => {
    set(`/VirtualBox/GuestInfo/Net/${n}/V4/IP`, i.ip);
    set(`/VirtualBox/GuestInfo/Net/${n}/V4/Broadcast`, i.broadcast);
    set(`/VirtualBox/GuestInfo/Net/${n}/V4/Netmask`, i.netmask);
    set(`/VirtualBox/GuestInfo/Net/${n}/MAC`, i.mac);
    set(`/VirtualBox/GuestInfo/Net/${n}/Status`, i.up ? 'Up' : 'Down');
  });
  set('/VirtualBox/GuestInfo/Net/Count', String(ifs.length));
  return out;
}

/** Host-provided properties a VM gets when it powers on (dropped again at power off: TRANSIENT). */
export function hostInfoProps(version: string, revision: number, timestamp: string): Props {
  const flags = 'TRANSIENT, RDONLYGUEST';
  return {
    '/VirtualBox/HostInfo/VBoxVer': { value: version, timestamp, flags },
    '/VirtualBox/HostInfo/VBoxVerExt': { value: version, timestamp, flags },
    '/VirtualBox/HostInfo/VBoxRev': { value: String(revision), timestamp, flags },
  };
}

/** What the Additions set when they start: their version and the guest OS. */
export function additionsProps(version: string, revision: number, timestamp: string): Props {
  const p = (value: string) => ({ value, timestamp, flags: '' });
  return {
    '/VirtualBox/GuestAdd/Version': p(version),
    '/VirtualBox/GuestAdd/VersionExt': p(version),
    '/VirtualBox/GuestAdd/Revision': p(String(revision)),
    '/VirtualBox/GuestInfo/OS/Product': p('Linux'),
    '/VirtualBox/GuestInfo/Net/Count': p('0'),
  };
}

export function dropTransient(props: Props): Props {
  return Object.fromEntries(Object.entries(props).filter(([, p]) => !p.flags.includes('TRANSIENT')));
}
