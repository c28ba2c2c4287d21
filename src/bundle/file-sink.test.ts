import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileSink } from './file-sink';

const dir = await mkdtemp(path.join(os.tmpdir(), 'dcod-file-sink-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('fileSink', () => {
  it('writes the chunks at their offsets and hashes them, handing each chunk back', async () => {
    const data = randomBytes(300_000);
    const file = path.join(dir, 'a');
    const sink = fileSink(file);
    const chunkBytes = 64 << 10;
    const chunk = sink.alloc(chunkBytes);
    for (let pos = 0; pos < data.length; pos += chunkBytes) await sink.put(chunk, data.copy(chunk, 0, pos, pos + chunkBytes), pos);
    expect(await sink.end()).toEqual({ bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') });
    expect((await readFile(file)).equals(data)).toBe(true);
  });

  it('writes at an offset in place, keeping the rest of the file', async () => {
    const file = path.join(dir, 'b');
    const first = fileSink(file);
    const c = first.alloc(9);
    c.write('..hello..');
    await first.put(c, 9, 0);
    await first.end();
    const second = fileSink(file, { base: 2 });
    const d = second.alloc(5);
    d.write('HELLO');
    await second.put(d, 5, 0);
    expect((await second.end()).sha256).toBe(createHash('sha256').update('HELLO').digest('hex'));
    expect(await readFile(file, 'utf8')).toBe('..HELLO..');
  });

  it('takes only the chunks it allocated', async () => {
    const sink = fileSink(path.join(dir, 'd'));
    expect(() => sink.put(Buffer.alloc(4), 4, 0)).toThrow(/only the chunks it allocated/);
    await sink.abort();
  });

  it('fails with the file named when it cannot be written', async () => {
    const file = path.join(dir, 'no-such-dir', 'c');
    const sink = fileSink(file);
    await expect(sink.put(sink.alloc(10), 10, 0)).rejects.toThrow(/writing .*no-such-dir\/c/);
    await expect(sink.end()).rejects.toThrow(/no-such-dir/);
  });
});
