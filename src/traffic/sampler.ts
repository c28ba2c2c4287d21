/**
 * One sampler: keeps its target's sampling loop (./sampler-script) running over a single streaming
 * channel and hands on each frame as it arrives. When the stream ends or the connection drops it starts
 * again after a backoff, so a host that reboots or goes away comes back by itself; a stream that stops
 * bringing frames without ending (a cut link) is ended and started again the same way.
 */
import { DcodError, toDcodError } from '../errors';
import type { ExecStream, StreamingRunner } from '../hosts/runner';
import { FrameReader, type Frame } from './frames';
import { samplerCommand } from './sampler-script';
import type { SourceState } from './snapshot';
import type { SamplerTarget } from './targets';

export interface SamplerOptions {
  readonly runnerFor: (target: SamplerTarget) => Promise<StreamingRunner>;
  readonly onFrame: (target: SamplerTarget, frame: Frame, receivedAt: number) => void;
  readonly onState?: (state: SourceState) => void;
  readonly now?: () => number;
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  /** How long a stream may go without a frame before it is given up as stalled (default: 5 intervals, at least 10 s). */
  readonly stallMs?: number;
}

export class StreamSampler {
  private current: SourceState;
  private stream: ExecStream | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;
  private readonly running: Promise<void>;

  constructor(
    readonly target: SamplerTarget,
    private readonly opts: SamplerOptions,
  ) {
    this.current = { id: target.id, kind: target.kind, host: target.host, state: 'connecting' };
    this.running = this.loop();
  }

  get state(): SourceState {
    return this.current;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.stream?.stop();
    await this.running;
  }

  private setState(next: Omit<SourceState, 'id' | 'kind' | 'host'>): void {
    this.current = { id: this.target.id, kind: this.target.kind, host: this.target.host, ...next };
    this.opts.onState?.(this.current);
  }

  private async loop(): Promise<void> {
    const now = this.opts.now ?? Date.now;
    let delay = this.opts.backoffMs ?? 1000;
    while (!this.stopped) {
      let stderr = '';
      try {
        const runner = await this.opts.runnerFor(this.target);
        if (this.stopped) break;
        const reader = new FrameReader();
        // A pulled cable shows only when SSH's keepalive gives up (half a minute): a stream that stops
        // bringing frames is given up sooner, so the host shows as down while it is.
        const stallMs = this.opts.stallMs ?? Math.max(10_000, this.target.spec.intervalS * 5000);
        let stalled = false;
        let watchdog: NodeJS.Timeout | undefined;
        const watch = () => {
          clearTimeout(watchdog);
          watchdog = setTimeout(() => {
            stalled = true;
            void this.stream?.stop(0);
          }, stallMs);
        };
        const stream = runner.execStream(samplerCommand(this.target.spec), {
          onStdout: (chunk) => {
            for (const frame of reader.push(chunk)) {
              watch();
              const at = now();
              // Only a change of state is news; the time of the last frame is read with the state.
              const wasStreaming = this.current.state === 'streaming';
              this.current = { id: this.target.id, kind: this.target.kind, host: this.target.host, state: 'streaming', lastFrame: new Date(at).toISOString() };
              if (!wasStreaming) this.opts.onState?.(this.current);
              delay = this.opts.backoffMs ?? 1000;
              this.opts.onFrame(this.target, frame, at);
            }
          },
          onStderr: (text) => (stderr = (stderr + text).slice(-1000)),
        });
        this.stream = stream;
        watch();
        const { code } = await stream.done.finally(() => clearTimeout(watchdog));
        if (this.stopped) break;
        if (stalled) throw new DcodError('TIMEOUT', `no traffic sample from ${this.target.host} for ${stallMs / 1000} s: the host, or the network to it, may be down`);
        throw new DcodError('COMMAND_FAILED', `the sampling loop on ${this.target.host} ended (exit status ${code ?? 'none'})${stderr.trim() ? `: ${stderr.trim()}` : ''}`);
      } catch (err) {
        if (this.stopped) break;
        this.setState({ state: 'failed', error: toDcodError(err).toInfo(), ...(this.current.lastFrame ? { lastFrame: this.current.lastFrame } : {}) });
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        delay = Math.min(delay * 2, this.opts.maxBackoffMs ?? 30_000);
      }
    }
  }
}
