import { describe, expect, it } from 'vitest';
import { progressText } from './format';

describe('progressText', () => {
  it('says bytes, rate and time left, and how far the bar goes', () => {
    const p = progressText({ operation: 'export', phase: 'downloading', item: 'vms/web1.ova', doneBytes: 1.5 * 2 ** 30, totalBytes: 3 * 2 ** 30, bytesPerSecond: 110 * 2 ** 20, etaSeconds: 71 });
    expect(p).toEqual({ text: 'downloading vms/web1.ova: 1.5 GiB of 3.0 GiB · 110.0 MiB/s · 1:11 left', fraction: 0.5 });
  });
});
