import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { DcodError } from '../errors';
import { fileSink, type ChunkSink } from './file-sink';
import { firstLine, streamCopy } from './stream-copy';

const dir = await mkdtemp(path.join(os.tmpdir(), 'dcod-stream-copy-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** `data` in pieces of uneven sizes (as SSH packets and pipes cut it), counting how far the reader has pulled. */
function pieces(data: Buffer, pulled: { bytes: number } = { bytes: 0 }): Readable {
  return Readable.from((async function* () {
    for (let pos = 0, i = 0; pos < data.length; i++) {
      const n = Math.min(data.length - pos, [1, 32 << 10, 5000, 100_000][i % 4]!);
      pulled.bytes = pos + n;
      yield data.subarray(pos, pos + n);
      pos += n;
    }
  })(), { objectMode: false, highWaterMark: 1 });
}

/** A sink that holds each chunk until released, so a test sees what the copy does while the sink is slow. */
function heldSink() {
  const got: Buffer[] = [];
  const waiting: (() => void)[] = [];
  const sink: ChunkSink = {
    alloc: (bytes) => Buffer.alloc(bytes),
    put: (chunk, len, pos) => {
      expect(pos).toBe(got.reduce((n, b) => n + b.length, 0));
      got.push(Buffer.from(chunk.subarray(0, len)));
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
    end: async () => ({ bytes: 0, sha256: '' }),
    abort: async () => undefined,
  };
  return { sink, got, release: () => waiting.splice(0).forEach((r) => r()), held: () => waiting.length };
}

describe('streamCopy', () => {
  it('lands a stream whole, in order and hashed, in a file', async () => {
    const data = randomBytes(5 * (1 << 20) + 4321);
    const file = path.join(dir, 'a');
    const sink = fileSink(file);
    let reported = 0;
    await streamCopy(pieces(data), data.length, sink, { onBytes: (n) => (reported += n) });
    expect(await sink.end()).toEqual({ bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') });
    expect((await readFile(file)).equals(data)).toBe(true);
    expect(reported).toBe(data.length);
  });

  it('stops reading while every chunk is at the sink: memory stays chunks × chunkBytes', async () => {
    const data = randomBytes(1 << 20);
    const pulled = { bytes: 0 };
    const s = heldSink();
    const copying = streamCopy(pieces(data, pulled), data.length, s.sink, { chunkBytes: 64 << 10, chunks: 3 });
    await new Promise((r) => setTimeout(r, 20));
    // Three chunks handed over and held; the fourth is not filled, so the stream was read at most that far.
    expect(s.held()).toBe(3);
    expect(pulled.bytes).toBeLessThan(4 * (64 << 10) + 100_000);
    while (s.held() > 0) {
      s.release();
      await new Promise((r) => setTimeout(r, 1));
    }
    await copying;
    expect(Buffer.concat(s.got).equals(data)).toBe(true);
  });

  it('says the file changed when the stream is shorter or longer than its size', async () => {
    const data = randomBytes(200_000);
    const sinks = [fileSink(path.join(dir, 'b')), fileSink(path.join(dir, 'c'))];
    const short = streamCopy(pieces(data.subarray(0, 150_000)), data.length, sinks[0]!);
    await expect(short).rejects.toMatchObject({ code: 'FILE_ERROR', message: expect.stringMatching(/had 200000 bytes when the copy began and only 150000 came/) });
    const long = streamCopy(pieces(data), 100_000, sinks[1]!);
    await expect(long).rejects.toMatchObject({ code: 'FILE_ERROR', message: expect.stringMatching(/had 100000 bytes .* and more came/) });
    // As a download does after a failed copy: the sinks close their files.
    for (const sink of sinks) await sink.abort();
  });

  it('fails with the sink when the sink fails', async () => {
    const sink: ChunkSink = {
      alloc: (bytes) => Buffer.alloc(bytes),
      put: async () => {
        throw new DcodError('FILE_ERROR', 'writing /full: ENOSPC');
      },
      end: async () => ({ bytes: 0, sha256: '' }),
      abort: async () => undefined,
    };
    await expect(streamCopy(pieces(randomBytes(3 << 20)), 3 << 20, sink)).rejects.toThrow('writing /full: ENOSPC');
  });

  it('reads a first line and leaves the rest of the stream for the copy', async () => {
    const data = randomBytes(300_000);
    const src = Readable.from([Buffer.from('30'), Buffer.concat([Buffer.from('0000\n'), data.subarray(0, 7)]), data.subarray(7)], { objectMode: false });
    expect(await firstLine(src)).toBe('300000');
    const s = heldSink();
    const copying = streamCopy(src, data.length, s.sink, { chunkBytes: 64 << 10 });
    while (s.got.reduce((n, b) => n + b.length, 0) < data.length || s.held() > 0) {
      s.release();
      await new Promise((r) => setTimeout(r, 1));
    }
    await copying;
    expect(Buffer.concat(s.got).equals(data)).toBe(true);
    expect(await firstLine(Readable.from([Buffer.from('no newline')], { objectMode: false }))).toBeUndefined();
  });
});
