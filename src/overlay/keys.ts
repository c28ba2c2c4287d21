/**
 * The key pair DCoD logs in to its proxies with: ed25519 (its public key is short enough for a DMI
 * string, see ./appliance), generated once with node's crypto and kept in DCoD's config dir, the private
 * key readable by the user only. Written in OpenSSH's format, so `ssh -i` can use it too.
 */
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { DcodError } from '../errors';
import { writeFileAtomic } from '../fsx/atomic';

export interface OverlayKey {
  /** OpenSSH private key (PEM-armoured `openssh-key-v1`), unencrypted. */
  readonly privateKey: string;
  /** One line: `ssh-ed25519 AAAA… comment`. */
  readonly publicKey: string;
}

const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};
/** An SSH wire-format string: uint32 length, then the bytes. */
const sshString = (data: Buffer | string): Buffer => {
  const b = typeof data === 'string' ? Buffer.from(data) : data;
  return Buffer.concat([u32(b.length), b]);
};

function rawKeys(privateKey: KeyObject, publicKey: KeyObject): { seed: Buffer; pub: Buffer } {
  const priv = privateKey.export({ format: 'jwk' });
  const pub = publicKey.export({ format: 'jwk' });
  if (typeof priv.d !== 'string' || typeof pub.x !== 'string') throw new DcodError('INTERNAL', 'node returned an ed25519 key without its raw parts');
  return { seed: Buffer.from(priv.d, 'base64url'), pub: Buffer.from(pub.x, 'base64url') };
}

/**
 * The `openssh-key-v1` encoding (OpenSSH's PROTOCOL.key): no cipher, one key; the private section holds
 * two equal check integers, the key (seed ‖ public), the comment and padding to 8 bytes.
 */
export function openSshEd25519(seed: Buffer, pub: Buffer, comment: string, checkInt: number): OverlayKey {
  const type = 'ssh-ed25519';
  const pubBlob = Buffer.concat([sshString(type), sshString(pub)]);
  let section = Buffer.concat([u32(checkInt), u32(checkInt), sshString(type), sshString(pub), sshString(Buffer.concat([seed, pub])), sshString(comment)]);
  const pad = Array.from({ length: (8 - (section.length % 8)) % 8 }, (_, i) => i + 1);
  section = Buffer.concat([section, Buffer.from(pad)]);
  const body = Buffer.concat([Buffer.from('openssh-key-v1\0'), sshString('none'), sshString('none'), sshString(''), u32(1), sshString(pubBlob), sshString(section)]);
  const lines = body.toString('base64').match(/.{1,70}/g) ?? [];
  return {
    privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`,
    publicKey: `${type} ${pubBlob.toString('base64')} ${comment}`,
  };
}

export function generateOverlayKey(comment = 'dcod-overlay'): OverlayKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const { seed, pub } = rawKeys(privateKey, publicKey);
  return openSshEd25519(seed, pub, comment, randomBytes(4).readUInt32BE());
}

/** `<configDir>/overlay/id_ed25519` (0600) and `.pub`: loaded, or made on first use. */
export async function loadOrCreateOverlayKey(configDir: string): Promise<OverlayKey> {
  const file = path.join(configDir, 'overlay', 'id_ed25519');
  try {
    const [privateKey, publicKey] = await Promise.all([readFile(file, 'utf8'), readFile(`${file}.pub`, 'utf8')]);
    return { privateKey, publicKey: publicKey.trim() };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new DcodError('FILE_ERROR', `cannot read the overlay key ${file}: ${(err as Error).message}`, { cause: err });
  }
  const key = generateOverlayKey();
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFileAtomic(file, key.privateKey, { mode: 0o600 });
  await writeFileAtomic(`${file}.pub`, `${key.publicKey}\n`, { mode: 0o644 });
  return key;
}
