import { readFile } from 'node:fs/promises';
import { DcodError } from '../errors';
import { writeFileAtomic } from '../fsx/atomic';

/** Encrypts with the OS keychain; the Electron shell passes safeStorage's functions, the core never sees keys. */
export interface Cipher {
  encrypt(plain: string): Buffer;
  decrypt(sealed: Buffer): string;
}

export interface Keychain {
  get(id: string): Promise<string | undefined>;
  set(id: string, secret: string): Promise<void>;
  delete(id: string): Promise<void>;
}

/**
 * Secrets sealed one by one with the OS keychain and kept in one file (base64 of each sealed blob).
 * Without the OS keychain the file is useless, which is the point: it may be backed up or synced freely.
 */
export class SealedFileKeychain implements Keychain {
  constructor(private readonly file: string, private readonly cipher: Cipher) {}

  private async load(): Promise<Record<string, string>> {
    const text = await readFile(this.file, 'utf8').catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? '{}' : Promise.reject(err)));
    try {
      return JSON.parse(text) as Record<string, string>;
    } catch {
      throw new DcodError('FILE_ERROR', `the keychain file ${this.file} is damaged; remove it and enter the passwords again`);
    }
  }

  async get(id: string): Promise<string | undefined> {
    const sealed = (await this.load())[id];
    return sealed === undefined ? undefined : this.cipher.decrypt(Buffer.from(sealed, 'base64'));
  }

  async set(id: string, secret: string): Promise<void> {
    const all = await this.load();
    all[id] = this.cipher.encrypt(secret).toString('base64');
    await writeFileAtomic(this.file, JSON.stringify(all, null, 2), { mode: 0o600 });
  }

  async delete(id: string): Promise<void> {
    const all = await this.load();
    delete all[id];
    await writeFileAtomic(this.file, JSON.stringify(all, null, 2), { mode: 0o600 });
  }
}

/**
 * Secrets held in memory only, for as long as the process runs: web mode and the CLI have no OS keychain
 * to seal them with, and keeping them in clear on disk is not an option.
 */
export class MemoryKeychain implements Keychain {
  private readonly secrets = new Map<string, string>();
  async get(id: string): Promise<string | undefined> {
    return this.secrets.get(id);
  }
  async set(id: string, secret: string): Promise<void> {
    this.secrets.set(id, secret);
  }
  async delete(id: string): Promise<void> {
    this.secrets.delete(id);
  }
}
