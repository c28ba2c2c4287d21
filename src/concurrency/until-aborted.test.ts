import { describe, expect, it } from 'vitest';
import { untilAborted } from './until-aborted';

describe('untilAborted', () => {
  const gaveUp = () => new Error('gave up');

  it('gives the work\'s own outcome when the signal stays quiet', async () => {
    await expect(untilAborted(Promise.resolve(7), new AbortController().signal, gaveUp)).resolves.toBe(7);
    await expect(untilAborted(Promise.reject(new Error('failed')), new AbortController().signal, gaveUp)).rejects.toThrow('failed');
  });

  it('stops waiting as soon as the signal aborts, or at once if it already has', async () => {
    const stop = new AbortController();
    const waiting = untilAborted(new Promise(() => undefined), stop.signal, gaveUp);
    stop.abort();
    await expect(waiting).rejects.toThrow('gave up');
    await expect(untilAborted(Promise.resolve(1), AbortSignal.abort(), gaveUp)).rejects.toThrow('gave up');
  });
});
