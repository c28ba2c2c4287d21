import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalRunner } from '../hosts/local-runner';
import { carryOutTransfer, type TransferContext } from './transfer';

let dir: string;
let execs: number;
const ctx = (): TransferContext => ({ runnerFor: async () => new LocalRunner(), onExec: () => void execs++ });

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dcod-transfer-test-'));
  execs = 0;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('carryOutTransfer', () => {
  it('copies every byte from one host to another, into a folder it makes, and removes a temporary source', async () => {
    const bytes = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(3 << 20)]);
    const from = path.join(dir, "it's a VM.ova");
    await writeFile(from, bytes);
    const to = path.join(dir, 'other host', 'in here.ova');
    await carryOutTransfer({ from: { host: 'h3', path: from }, to: { host: 'h2', path: to }, removeSource: true }, ctx());
    expect(Buffer.compare(await readFile(to), bytes)).toBe(0);
    await expect(stat(from)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(stat(`${to}.dcod-part`)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(execs).toBe(3); // download, upload, remove
  });

  it('uploads from this machine and keeps the source unless told otherwise', async () => {
    const from = path.join(dir, 'image.ova');
    await writeFile(from, 'ova');
    await carryOutTransfer({ from: { path: from }, to: { host: 'h1', path: path.join(dir, 'up.ova') }, removeSource: false }, ctx());
    expect(await readFile(path.join(dir, 'up.ova'), 'utf8')).toBe('ova');
    expect(await readFile(from, 'utf8')).toBe('ova');
  });

  it('says which file on which host could not be read, and leaves nothing at the destination', async () => {
    const to = path.join(dir, 'never.ova');
    await expect(carryOutTransfer({ from: { host: 'h3', path: path.join(dir, 'missing.ova') }, to: { host: 'h2', path: to }, removeSource: true }, ctx())).rejects.toMatchObject({
      code: 'FILE_ERROR',
      message: expect.stringMatching(/^downloading .*missing\.ova: ENOENT: no such file/),
    });
    await expect(stat(to)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
