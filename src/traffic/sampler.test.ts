import { describe, expect, it, vi } from 'vitest';
import type { ExecStream, StreamHandlers, StreamingRunner } from '../hosts/runner';
import { StreamSampler } from './sampler';
import type { SourceState } from './snapshot';

/** Streams that stay open and silent (a cut link) until stopped; the test can speak on the last one. */
function silentRunner(): StreamingRunner & { opened: StreamHandlers[] } {
  const opened: StreamHandlers[] = [];
  return {
    shell: 'posix',
    opened,
    run: () => Promise.reject(new Error('not used')),
    exec: () => Promise.reject(new Error('not used')),
    close: async () => undefined,
    execStream(_line: string, handlers: StreamHandlers): ExecStream {
      opened.push(handlers);
      let end!: () => void;
      const done = new Promise<{ code: number | null }>((resolve) => (end = () => resolve({ code: null })));
      return { done, stop: async () => end() };
    },
  };
}

describe('StreamSampler', () => {
  it('gives a stream that stopped bringing frames up as TIMEOUT naming the host, and starts it again', async () => {
    const runner = silentRunner();
    const states: SourceState[] = [];
    const target = { id: 'host:h2', kind: 'host' as const, host: 'h2', spec: { devicePrefixes: [], vms: [], vboxmanage: 'VBoxManage', intervalS: 1 } };
    const sampler = new StreamSampler(target, { runnerFor: async () => runner, onFrame: () => {}, onState: (s) => states.push(s), stallMs: 50, backoffMs: 10 });
    try {
      await vi.waitFor(() => expect(runner.opened.length).toBeGreaterThanOrEqual(2));
      expect(states[0]).toMatchObject({ state: 'failed', error: { code: 'TIMEOUT', message: 'no traffic sample from h2 for 0.05 s: the host, or the network to it, may be down' } });
      runner.opened.at(-1)!.onStdout(Buffer.from('T 5.0\n.\n'));
      expect(sampler.state.state).toBe('streaming');
    } finally {
      await sampler.stop();
    }
  });
});
