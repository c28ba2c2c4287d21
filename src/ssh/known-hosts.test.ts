import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KnownHosts, fingerprint, formatKnownHosts, keyTypeOf, parseKnownHosts } from './known-hosts';

/** An SSH public key blob as sshd sends it: a length-prefixed type name, then key material. */
function blob(type: string, material: string): Buffer {
  const name = Buffer.from(type);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(name.length);
  return Buffer.concat([len, name, Buffer.from(material)]);
}

const dirs: string[] = [];
afterEach(async () => Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true }))));

describe('known hosts', () => {
  it('fingerprints like OpenSSH and reads the key type from the blob', () => {
    const key = blob('ssh-ed25519', 'k1');
    expect(fingerprint(key)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(keyTypeOf(key)).toBe('ssh-ed25519');
  });

  it('round-trips the OpenSSH known_hosts format, with [host]:port off port 22', () => {
    const pins = [
      { hostId: '198.18.0.11', keyType: 'ssh-ed25519', key: blob('ssh-ed25519', 'a') },
      { hostId: '[198.18.0.12]:2222', keyType: 'ssh-rsa', key: blob('ssh-rsa', 'b') },
    ];
    expect(parseKnownHosts(`# comment\n\n${formatKnownHosts(pins)}`)).toEqual(pins);
  });

  it('pins on first sight, matches after, and reports a changed key with both fingerprints', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'dcod-kh-'));
    dirs.push(dir);
    const file = path.join(dir, 'known_hosts');
    const store = await KnownHosts.open(file);
    const first = blob('ssh-ed25519', 'first');
    const second = blob('ssh-ed25519', 'second');
    expect(store.check('h1', 22, first).status).toBe('unknown');
    await store.pin('h1', 22, first);
    const reopened = await KnownHosts.open(file);
    expect(reopened.check('h1', 22, first).status).toBe('match');
    expect(reopened.check('h1', 2222, first).status).toBe('unknown');
    expect(reopened.check('h1', 22, second)).toEqual({ status: 'changed', fingerprint: fingerprint(second), pinnedFingerprint: fingerprint(first) });
    expect(await readFile(file, 'utf8')).toBe(`h1 ssh-ed25519 ${first.toString('base64')}\n`);
  });
});

describe('accepting a changed host key', () => {
  it('pins exactly the refused key the user saw, and nothing else', async () => {
    const store = await KnownHosts.open(undefined);
    const old = blob('ssh-ed25519', 'old');
    const now = blob('ssh-ed25519', 'new');
    await store.pin('h1', 22, old);
    await expect(store.accept('h1', 22, fingerprint(now))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    store.noteRefused('h1', 22, now);
    expect(store.refusedFingerprint('h1', 22)).toBe(fingerprint(now));
    await expect(store.accept('h1', 22, fingerprint(old))).rejects.toMatchObject({ code: 'HOST_KEY_CHANGED' });
    expect(store.check('h1', 22, now).status).toBe('changed');
    await store.accept('h1', 22, fingerprint(now));
    expect(store.check('h1', 22, now).status).toBe('match');
    expect(store.refusedFingerprint('h1', 22)).toBeUndefined();
  });
});
