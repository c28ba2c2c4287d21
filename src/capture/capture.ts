/**
 * One capture: tcpdump on each source (a proxy's bridge for the switch) over a streaming channel, the
 * streams merged by time into one file written as packets arrive, until stopped or the time is up.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { DcodError, toDcodError, type ErrorInfo } from '../errors';
import type { ExecStream, StreamingRunner } from '../hosts/runner';
import { TimeMerger } from './merge';
import { PcapReader, type Packet } from './pcap';
import { captureWriter, type CaptureFormat } from './pcap-writer';
import { tcpdumpCommand } from './tcpdump';

export interface CaptureSource {
  /** Shown as the pcapng interface name: `h1:dcod-br5001`. */
  readonly name: string;
  readonly runner: StreamingRunner;
  readonly device: string;
}

export interface CaptureOptions {
  readonly sources: readonly CaptureSource[];
  readonly filter?: string;
  readonly out: string;
  readonly format: CaptureFormat;
  /** Stop by itself after this long. */
  readonly seconds?: number;
  /** How long a packet may wait for a slower source before it is written anyway. */
  readonly holdMs?: number;
  readonly onProgress?: (stats: CaptureStats) => void;
}

export interface SourceStats {
  readonly name: string;
  readonly packets: number;
  readonly bytes: number;
  readonly state: 'starting' | 'capturing' | 'ended' | 'failed';
  readonly error?: ErrorInfo;
}

export interface CaptureStats {
  readonly file: string;
  readonly format: CaptureFormat;
  readonly state: 'capturing' | 'done' | 'failed';
  readonly packets: number;
  readonly bytes: number;
  readonly sources: readonly SourceStats[];
  readonly error?: ErrorInfo;
}

const FLUSH_MS = 200;

export class Capture {
  private readonly merger: TimeMerger<Packet>;
  private readonly writer;
  private readonly streams: ExecStream[] = [];
  private readonly sources: SourceStats[];
  private packets = 0;
  private bytes = 0;
  private state: CaptureStats['state'] = 'capturing';
  private error: ErrorInfo | undefined;
  private writing: Promise<void> = Promise.resolve();
  private readonly flushTimer: NodeJS.Timeout;
  private stopTimer: NodeJS.Timeout | undefined;
  private stopping: Promise<CaptureStats> | undefined;
  /** Settles when every source's stream has ended. */
  private readonly ended: Promise<void>;

  private constructor(
    private readonly file: FileHandle,
    private readonly opts: CaptureOptions,
  ) {
    this.merger = new TimeMerger(opts.holdMs ?? 500);
    this.writer = captureWriter(opts.format);
    this.sources = opts.sources.map((s) => ({ name: s.name, packets: 0, bytes: 0, state: 'starting' }));
    this.append(this.writer.start());
    this.ended = Promise.all(opts.sources.map((s, i) => this.run(s, i))).then(() => undefined);
    this.flushTimer = setInterval(() => this.flush(false), FLUSH_MS);
    if (opts.seconds !== undefined) this.stopTimer = setTimeout(() => void this.stop(), opts.seconds * 1000);
    // Every source gone by itself (all failed, or tcpdump ended) ends the capture too.
    void this.ended.then(() => this.stop());
  }

  static async start(opts: CaptureOptions): Promise<Capture> {
    if (opts.sources.length === 0) throw new DcodError('BAD_REQUEST', 'a capture needs at least one source');
    const file = await open(opts.out, 'w').catch((err: NodeJS.ErrnoException) => {
      throw new DcodError('FILE_ERROR', `can't write the capture to ${opts.out}: ${err.code ?? err.message}`);
    });
    return new Capture(file, opts);
  }

  stats(): CaptureStats {
    return {
      file: this.opts.out,
      format: this.opts.format,
      state: this.state,
      packets: this.packets,
      bytes: this.bytes,
      sources: this.sources.map((s) => ({ ...s })),
      ...(this.error ? { error: this.error } : {}),
    };
  }

  /** Stops every tcpdump, writes what is left and closes the file. Safe to call more than once. */
  stop(): Promise<CaptureStats> {
    this.stopping ??= (async () => {
      clearTimeout(this.stopTimer);
      await Promise.all(this.streams.map((s) => s.stop()));
      await this.ended;
      clearInterval(this.flushTimer);
      this.flush(true);
      await this.writing;
      await this.file.close();
      const failed = this.sources.filter((s) => s.state === 'failed');
      if (this.error === undefined && failed.length === this.sources.length) {
        this.error = new DcodError('COMMAND_FAILED', `the capture failed on every source: ${failed.map((s) => `${s.name}: ${s.error?.message ?? ''}`).join('; ')}`).toInfo();
      }
      this.state = this.error ? 'failed' : 'done';
      const stats = this.stats();
      this.opts.onProgress?.(stats);
      return stats;
    })();
    return this.stopping;
  }

  private set(i: number, patch: Partial<SourceStats>): void {
    this.sources[i] = { ...this.sources[i]!, ...patch };
  }

  private async run(source: CaptureSource, i: number): Promise<void> {
    const reader = new PcapReader();
    let stderr = '';
    let broken: DcodError | undefined;
    this.merger.expect(i);
    const stream = source.runner.execStream(tcpdumpCommand({ device: source.device, ...(this.opts.filter ? { filter: this.opts.filter } : {}) }), {
      onStdout: (chunk) => {
        if (broken) return;
        try {
          const hadHeader = reader.header !== undefined;
          const packets = reader.push(chunk);
          const header = reader.header;
          if (!hadHeader && header) {
            const bytes = this.writer.addSource(i, source.name, header);
            if (bytes === undefined) throw new DcodError('BAD_REQUEST', `${source.name} captures link type ${header.linkType}, which a pcap file of another link type can't hold: save as .pcapng`);
            this.append(bytes);
            this.set(i, { state: 'capturing' });
          }
          const now = Date.now();
          for (const p of packets) this.merger.push(i, p, now);
        } catch (err) {
          broken = toDcodError(err);
          void stream.stop();
        }
      },
      onStderr: (text) => (stderr = (stderr + text).slice(-2000)),
    });
    this.streams.push(stream);
    try {
      const { code } = await stream.done;
      if (broken) throw broken;
      // Stopped by us (the watcher killed tcpdump: 143, or the channel was closed: null) is a normal end.
      if (!this.stopping && code !== 0) throw new DcodError('COMMAND_FAILED', `tcpdump on ${source.name} ended (exit status ${code ?? 'none'}): ${lastLines(stderr)}`);
      this.set(i, { state: 'ended' });
    } catch (err) {
      this.set(i, { state: 'failed', error: toDcodError(err).toInfo() });
    } finally {
      this.merger.end(i);
    }
  }

  private flush(all: boolean): void {
    const ready = all ? this.merger.drain() : this.merger.take(Date.now());
    if (ready.length === 0) return;
    const chunks = ready.map(({ source, item }) => {
      this.packets++;
      this.bytes += item.data.length;
      const s = this.sources[source]!;
      this.set(source, { packets: s.packets + 1, bytes: s.bytes + item.data.length });
      return this.writer.packet(source, item);
    });
    this.append(Buffer.concat(chunks));
    this.opts.onProgress?.(this.stats());
  }

  /** Writes in order, one write at a time; a write error fails the capture. */
  private append(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.writing = this.writing.then(async () => {
      if (this.error) return;
      try {
        await this.file.write(bytes);
      } catch (err) {
        this.error = new DcodError('FILE_ERROR', `writing the capture to ${this.opts.out}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`).toInfo();
        void this.stop();
      }
    });
  }
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' / ') || 'no message';
}
