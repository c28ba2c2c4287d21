import { describe, expect, it } from 'vitest';
import { DcodError } from '../errors';
import { HostWork } from './host-work';

const cancelled = () => new DcodError('BAD_REQUEST', 'cancelled');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('HostWork', () => {
  it('rejects with the first failure, stops the other hosts, and settles only once they have ended', async () => {
    const work = new HostWork(undefined, cancelled);
    const ended: string[] = [];
    const all = work.all(['h1', 'h2'], async (h) => {
      if (h === 'h1') throw new DcodError('HOST_UNREACHABLE', 'h1 is gone');
      while (!work.signal.aborted) await sleep(5);
      await sleep(20);
      ended.push(h);
      throw new DcodError('BAD_REQUEST', 'stopped'); // a failure of the stop: not the one reported
    });
    await expect(all).rejects.toThrow('h1 is gone');
    expect(ended).toEqual(['h2']);
  });

  it('ends with the cancel\'s error when the user cancels', async () => {
    const ctl = new AbortController();
    const work = new HostWork(ctl.signal, cancelled);
    const all = work.all(['h1'], async () => {
      ctl.abort();
      await sleep(1);
    });
    await expect(all).rejects.toThrow('cancelled');
    expect(() => new HostWork(ctl.signal, cancelled).check()).toThrow('cancelled');
  });
});
