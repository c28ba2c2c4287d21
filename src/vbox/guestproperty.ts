/**
 * `guestproperty enumerate` and `guestproperty wait` output. (`guestproperty get` is ./getvalue.)
 *
 * Two formats exist:
 * - up to 7.0 (and 7.x with `--old-format`): `Name: <name>, value: <value>, timestamp: <ns>, flags: <flags>`;
 *   `wait` prints the same without the timestamp.
 * - 7.1+: `<name padded> = '<value>' <padding> @ <ISO time> <flags>`.
 * Timestamps become epoch milliseconds in both (the old one is nanoseconds, beyond a double's precision).
 */

export interface GuestProperty {
  readonly name: string;
  readonly value: string;
  readonly timestampMs?: number;
  /** e.g. ["TRANSIENT", "RDONLYGUEST"]; empty when none. */
  readonly flags: readonly string[];
}

// The value stretches until the rest of the line is the ", timestamp: N, flags:" tail, so commas in it are kept.
const OLD = /^Name: (.*?), value: (.*?)(?:, timestamp: (\d+))?, flags:(?: (.*))?$/;
const NEW = /^(\S.*?)\s+= '(.*)'\s+@ (\S+)(?: (.*))?$/;

function splitFlags(text: string | undefined): string[] {
  return text === undefined || text.trim() === '' ? [] : text.split(',').map((f) => f.trim());
}

export function parseGuestProperties(text: string): GuestProperty[] {
  const out: GuestProperty[] = [];
  for (const line of text.split(/\r?\n/)) {
    const old = OLD.exec(line);
    if (old) {
      const ns = old[3];
      out.push({
        name: old[1]!,
        value: old[2]!,
        ...(ns === undefined ? {} : { timestampMs: Number(BigInt(ns) / 1_000_000n) }),
        flags: splitFlags(old[4]),
      });
      continue;
    }
    const neu = NEW.exec(line);
    if (neu) {
      const ms = Date.parse(neu[3]!);
      out.push({ name: neu[1]!, value: neu[2]!, ...(Number.isNaN(ms) ? {} : { timestampMs: ms }), flags: splitFlags(neu[4]) });
    }
  }
  return out;
}
