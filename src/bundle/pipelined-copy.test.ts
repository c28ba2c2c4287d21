import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ChunkSink } from './file-sink';
import { pipelinedCopy, type Pipelining, type RandomReader } from './pipelined-copy';

const small: Pipelining = { readBytes: 4096, chunkBytes: 64 << 10, chunks: 4, readingChunks: 2 };

/** A file whose reads answer out of order and sometimes short, like a busy SFTP server. */
function slowReader(data: Buffer, opts: { failAt?: number; shrinkTo?: number } = {}) {
  let inFlight = 0;
  let maxInFlight = 0;
  const reader: RandomReader = {
    size: data.length,
    read: (buf, off, len, pos) =>
      new Promise((resolve, reject) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        setTimeout(() => {
          inFlight--;
          if (opts.failAt !== undefined && pos >= opts.failAt) return reject(new Error('connection lost'));
          const end = Math.min(opts.shrinkTo ?? data.length, data.length);
          const n = Math.max(0, Math.min(len, Math.max(1, len - (pos % 7) * 500), end - pos));
          data.copy(buf, off, pos, pos + n);
          resolve(n);
        }, Math.random() * 3);
      }),
    close: async () => undefined,
  };
  return { reader, maxInFlight: () => maxInFlight };
}

/** Keeps what it is given, checking that it comes in order, and counts the chunks it holds at once. */
function memorySink(delayMs = 0) {
  const parts: Buffer[] = [];
  let held = 0;
  let maxHeld = 0;
  const sink: ChunkSink = {
    alloc: (bytes) => Buffer.alloc(bytes),
    put: async (chunk, len, pos) => {
      expect(pos).toBe(parts.reduce((n, p) => n + p.length, 0));
      parts.push(Buffer.from(chunk.subarray(0, len)));
      held++;
      maxHeld = Math.max(maxHeld, held);
      await new Promise((r) => setTimeout(r, delayMs));
      held--;
    },
    end: async () => {
      const all = Buffer.concat(parts);
      return { bytes: all.length, sha256: createHash('sha256').update(all).digest('hex') };
    },
    abort: async () => undefined,
  };
  return { sink, bytes: () => Buffer.concat(parts), maxHeld: () => maxHeld };
}

describe('pipelinedCopy', () => {
  it('gives the sink every byte in order, with many reads in flight and short reads among them', async () => {
    const data = randomBytes(1024 * 1024 + 12345);
    const src = slowReader(data);
    const out = memorySink();
    let counted = 0;
    await pipelinedCopy(src.reader, out.sink, { pipelining: small, onBytes: (n) => (counted += n) });
    expect(out.bytes().equals(data)).toBe(true);
    expect(counted).toBe(data.length);
    expect(src.maxInFlight()).toBeGreaterThan(16);
  });

  it('stays within its chunks when the sink is slower than the reads', async () => {
    const data = randomBytes(600 << 10);
    const out = memorySink(5);
    await pipelinedCopy(slowReader(data).reader, out.sink, { pipelining: small });
    expect(out.bytes().equals(data)).toBe(true);
    expect(out.maxHeld()).toBeLessThanOrEqual(small.chunks);
  });

  it('copies an empty file', async () => {
    const out = memorySink();
    await pipelinedCopy(slowReader(Buffer.alloc(0)).reader, out.sink, { pipelining: small });
    expect(out.bytes().length).toBe(0);
  });

  it('fails when a read fails', async () => {
    await expect(pipelinedCopy(slowReader(randomBytes(300 << 10), { failAt: 200_000 }).reader, memorySink().sink, { pipelining: small })).rejects.toThrow(/connection lost/);
  });

  it('fails, naming the offset, when the file shrinks while it is copied', async () => {
    await expect(pipelinedCopy(slowReader(randomBytes(300 << 10), { shrinkTo: 100_000 }).reader, memorySink().sink, { pipelining: small })).rejects.toThrow(/ended at byte \d+, short of the 307200 bytes/);
  });

  it('stops when its signal aborts', async () => {
    const ctl = new AbortController();
    const run = pipelinedCopy(slowReader(randomBytes(2 << 20)).reader, memorySink(2).sink, { pipelining: small, signal: ctl.signal, onBytes: () => ctl.abort() });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  });
});
