/**
 * Copying a byte stream of known length into a ChunkSink in constant memory: the stream's pieces are
 * gathered into the sink's chunks, and while every chunk is at the sink the stream is not read (its
 * producer — an SSH channel's window — waits). The streamed half of a download (./remote-files): one
 * `cat` on the host costs the SSH connection far less than SFTP's request and reply per 32 KiB read.
 */
import type { Readable } from 'node:stream';
import { DcodError } from '../errors';
import type { ChunkSink } from './file-sink';

export interface StreamCopyOptions {
  /** Bytes as the sink takes them (for progress bars). */
  readonly onBytes?: (n: number) => void;
  /** A chunk's size, and how many there are: the copy's memory is their product. */
  readonly chunkBytes?: number;
  readonly chunks?: number;
}

/**
 * Copies exactly `size` bytes of `src` into `sink`, in order; a stream longer or shorter than that is a
 * FILE_ERROR, a stream that fails fails the copy. Driven by 'data' events, paused while the next chunk is
 * still at the sink: an async iterator's promise per 32 KiB piece cost a fifth of the download's CPU.
 */
export function streamCopy(src: Readable, size: number, sink: ChunkSink, opts: StreamCopyOptions = {}): Promise<void> {
  const chunkBytes = opts.chunkBytes ?? 1 << 20;
  const count = Math.max(2, opts.chunks ?? 8);
  const chunks: Buffer[] = [];
  /** Whether each chunk is at the sink. */
  const busy: boolean[] = [];
  let current = 0;
  let fill = 0;
  let pos = 0;
  let atSink = 0;
  let ended = false;
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const settle = (err?: unknown) => {
      if (settled) return;
      settled = true;
      src.off('data', onData).off('end', onEnd).off('error', settle);
      if (err === undefined) resolve();
      else {
        src.pause();
        reject(err);
      }
    };
    const changed = (got: number) =>
      new DcodError('FILE_ERROR', `the file had ${size} bytes when the copy began and ${got > size ? 'more' : `only ${got}`} came: it changed while being copied`, { retryable: true });
    const done = () => {
      if (ended && atSink === 0 && fill === 0) settle(pos === size ? undefined : changed(pos));
    };
    const hand = () => {
      const index = current;
      const len = fill;
      busy[index] = true;
      atSink++;
      sink.put(chunks[index]!, len, pos).then(() => {
        busy[index] = false;
        atSink--;
        opts.onBytes?.(len);
        if (index === current && src.isPaused() && !ended) src.resume();
        done();
      }, settle);
      pos += len;
      fill = 0;
      current = (current + 1) % count;
      // The next chunk is filled only once the sink is done with it.
      if (busy[current]) src.pause();
    };
    const onData = (piece: Buffer) => {
      if (pos + fill + piece.length > size) return settle(changed(pos + fill + piece.length));
      for (let off = 0; off < piece.length; ) {
        if (busy[current]) {
          // A piece bigger than the room left: keep the rest for when the chunk is free again.
          src.unshift(piece.subarray(off));
          return;
        }
        chunks[current] ??= sink.alloc(chunkBytes);
        const n = piece.copy(chunks[current]!, fill, off);
        fill += n;
        off += n;
        if (fill === chunkBytes) hand();
      }
    };
    const onEnd = () => {
      ended = true;
      if (fill > 0) hand();
      done();
    };
    src.on('data', onData).once('end', onEnd).once('error', settle);
    src.resume();
  });
}

/** The first line of `src` (without its newline), the rest left in it, paused; undefined when it ends before one. */
export function firstLine(src: Readable): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let head = Buffer.alloc(0);
    const stop = () => src.off('data', onData).off('end', onEnd).off('error', onError);
    const onData = (piece: Buffer) => {
      head = Buffer.concat([head, piece]);
      const nl = head.indexOf(10);
      if (nl < 0) return;
      stop();
      src.pause();
      if (nl + 1 < head.length) src.unshift(head.subarray(nl + 1));
      resolve(head.subarray(0, nl).toString('utf8'));
    };
    const onEnd = () => {
      stop();
      resolve(undefined);
    };
    const onError = (err: Error) => {
      stop();
      reject(err);
    };
    src.on('data', onData).once('end', onEnd).once('error', onError);
  });
}
