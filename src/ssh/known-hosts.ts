import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { DcodError } from '../errors';
import { writeFileAtomic } from '../fsx/atomic';

/**
 * Pinned host keys, in OpenSSH's known_hosts format (`host key-type base64`, `[host]:port …` off port
 * 22) so a user can read it, and `ssh -o UserKnownHostsFile=` can use it. One key per host and port:
 * the first key seen is pinned; a different one later is a HOST_KEY_CHANGED until the user accepts it.
 */
export interface PinnedKey {
  readonly hostId: string;
  readonly keyType: string;
  readonly key: Buffer;
}

export type HostKeyVerdict =
  | { readonly status: 'match'; readonly fingerprint: string }
  | { readonly status: 'unknown'; readonly fingerprint: string }
  | { readonly status: 'changed'; readonly fingerprint: string; readonly pinnedFingerprint: string };

/** OpenSSH's `SHA256:…` fingerprint of a host key blob (base64 without padding). */
export function fingerprint(key: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(key).digest('base64').replace(/=+$/, '');
}

export function hostId(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** The key type named inside an SSH public key blob (a uint32 length, then the name). */
export function keyTypeOf(key: Buffer): string {
  if (key.length < 4) return 'unknown';
  const len = key.readUInt32BE(0);
  return len > 0 && len < 64 && key.length >= 4 + len ? key.subarray(4, 4 + len).toString('latin1') : 'unknown';
}

export function parseKnownHosts(text: string): PinnedKey[] {
  const pins: PinnedKey[] = [];
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    const [hosts, keyType, b64] = trimmed.split(/\s+/);
    if (!hosts || !keyType || !b64) continue;
    for (const id of hosts.split(',')) pins.push({ hostId: id, keyType, key: Buffer.from(b64, 'base64') });
  }
  return pins;
}

export function formatKnownHosts(pins: readonly PinnedKey[]): string {
  return pins.map((p) => `${p.hostId} ${p.keyType} ${p.key.toString('base64')}\n`).join('');
}

export class KnownHosts {
  /** Keys hosts presented that were refused (changed or not yet accepted), waiting for the user's word. */
  private readonly refused = new Map<string, Buffer>();

  private constructor(private readonly file: string | undefined, private pins: PinnedKey[]) {}

  /** Loads the store from a file (missing = empty); `undefined` keeps it in memory only. */
  static async open(file: string | undefined): Promise<KnownHosts> {
    const text = file ? await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? '' : Promise.reject(err))) : '';
    return new KnownHosts(file, parseKnownHosts(text));
  }

  check(host: string, port: number, key: Buffer): HostKeyVerdict {
    const id = hostId(host, port);
    const fp = fingerprint(key);
    const pinned = this.pins.find((p) => p.hostId === id);
    if (!pinned) return { status: 'unknown', fingerprint: fp };
    if (pinned.key.equals(key)) return { status: 'match', fingerprint: fp };
    return { status: 'changed', fingerprint: fp, pinnedFingerprint: fingerprint(pinned.key) };
  }

  /** Pins `key` for host:port, replacing any earlier pin (that is how a user accepts a changed key). */
  async pin(host: string, port: number, key: Buffer): Promise<void> {
    const id = hostId(host, port);
    this.pins = [...this.pins.filter((p) => p.hostId !== id), { hostId: id, keyType: keyTypeOf(key), key }];
    if (this.file) await writeFileAtomic(this.file, formatKnownHosts(this.pins), { mode: 0o600 });
  }

  /** Remembers a key that was refused, so the user can accept exactly that key by its fingerprint. */
  noteRefused(host: string, port: number, key: Buffer): void {
    this.refused.set(hostId(host, port), key);
  }

  /** The fingerprint of the key host:port last presented and was refused, if any. */
  refusedFingerprint(host: string, port: number): string | undefined {
    const key = this.refused.get(hostId(host, port));
    return key && fingerprint(key);
  }

  /**
   * The user accepts the key a host presented. The fingerprint they saw must be the one of the key that was
   * refused: accepting "whatever the host sends next" would let an interceptor slip in between.
   */
  async accept(host: string, port: number, expectedFingerprint: string): Promise<void> {
    const id = hostId(host, port);
    const key = this.refused.get(id);
    if (!key) throw new DcodError('NOT_FOUND', `${id} has presented no refused host key to accept: connect to it first`);
    if (fingerprint(key) !== expectedFingerprint) {
      throw new DcodError('HOST_KEY_CHANGED', `${id} presented ${fingerprint(key)}, not ${expectedFingerprint}: nothing was accepted`);
    }
    await this.pin(host, port, key);
    this.refused.delete(id);
  }

  async forget(host: string, port: number): Promise<void> {
    const id = hostId(host, port);
    this.pins = this.pins.filter((p) => p.hostId !== id);
    if (this.file) await writeFileAtomic(this.file, formatKnownHosts(this.pins), { mode: 0o600 });
  }
}
