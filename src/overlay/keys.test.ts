import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ssh2 from 'ssh2';
import { afterEach, describe, expect, it } from 'vitest';
import { generateOverlayKey, loadOrCreateOverlayKey } from './keys';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'dcod-keys-'));
  dirs.push(d);
  return d;
};

describe('the overlay key pair', () => {
  it('is an OpenSSH ed25519 key that ssh2 and ssh-keygen both read, with the matching public key', () => {
    const key = generateOverlayKey('test@dcod');
    const parsed = ssh2.utils.parseKey(key.privateKey);
    if (parsed instanceof Error) throw parsed;
    expect(parsed.type).toBe('ssh-ed25519');
    expect(`${parsed.type} ${parsed.getPublicSSH().toString('base64')} test@dcod`).toBe(key.publicKey);
    const file = path.join(tmp(), 'id');
    writeFileSync(file, key.privateKey, { mode: 0o600 });
    expect(execFileSync('ssh-keygen', ['-y', '-f', file], { encoding: 'utf8' }).trim()).toBe(key.publicKey);
    // ssh2 signs with it: the private half is the one that belongs to the public half.
    const data = Buffer.from('dcod');
    expect(parsed.verify(data, parsed.sign(data))).toBe(true);
  });

  it('is made once, kept readable by the user only, and loaded after that', async () => {
    const dir = tmp();
    const first = await loadOrCreateOverlayKey(dir);
    expect(statSync(path.join(dir, 'overlay', 'id_ed25519')).mode & 0o777).toBe(0o600);
    expect(await loadOrCreateOverlayKey(dir)).toEqual(first);
  });
});
