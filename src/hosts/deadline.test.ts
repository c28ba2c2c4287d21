import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DcodError } from '../errors';
import { execDeadline } from './deadline';
import { DEFAULT_IDLE_TIMEOUT_MS } from './runner';

describe('execDeadline', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('gives a silent command up after idleTimeoutMs, naming what and why', () => {
    const expired: DcodError[] = [];
    execDeadline({ idleTimeoutMs: 1000 }, 'dcod@h2', (e) => expired.push(e));
    vi.advanceTimersByTime(999);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(expired.map((e) => [e.code, e.message])).toEqual([['TIMEOUT', 'dcod@h2: the command printed nothing for 1000 ms and was given up as hung']]);
  });

  it('keeps a command that prints alive past idleTimeoutMs, but not past timeoutMs', () => {
    const expired: DcodError[] = [];
    const d = execDeadline({ idleTimeoutMs: 1000, timeoutMs: 5000 }, 'x', (e) => expired.push(e));
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(900);
      d.touch();
    }
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(500);
    expect(expired.map((e) => e.message)).toEqual(['x: the command did not finish within 5000 ms']);
    vi.advanceTimersByTime(10_000);
    expect(expired).toHaveLength(1);
  });

  it('gives up a command silent for DEFAULT_IDLE_TIMEOUT_MS when no limit is given; 0 is none', () => {
    const expired: DcodError[] = [];
    execDeadline({}, 'x', (e) => expired.push(e));
    execDeadline({ idleTimeoutMs: 0 }, 'y', (e) => expired.push(e));
    vi.advanceTimersByTime(DEFAULT_IDLE_TIMEOUT_MS - 1);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(10 * DEFAULT_IDLE_TIMEOUT_MS);
    expect(expired.map((e) => e.message)).toEqual([`x: the command printed nothing for ${DEFAULT_IDLE_TIMEOUT_MS} ms and was given up as hung`]);
  });

  it('does nothing once cleared', () => {
    const expired: DcodError[] = [];
    const d = execDeadline({ idleTimeoutMs: 10, timeoutMs: 20 }, 'x', (e) => expired.push(e));
    d.clear();
    d.touch();
    vi.advanceTimersByTime(100);
    expect(expired).toEqual([]);
  });

  it('gives a command up when its signal aborts, once, and a cleared deadline ignores the abort', async () => {
    const expired: DcodError[] = [];
    const ctl = new AbortController();
    execDeadline({ signal: ctl.signal, timeoutMs: 1000 }, 'dcod@h1', (e) => expired.push(e));
    const done = new AbortController();
    execDeadline({ signal: done.signal }, 'dcod@h2', (e) => expired.push(e)).clear();
    ctl.abort();
    done.abort();
    vi.advanceTimersByTime(5000);
    expect(expired.map((e) => [e.code, e.message, e.retryable])).toEqual([['BAD_REQUEST', 'dcod@h1: cancelled', true]]);
    // Already aborted when the command starts: it is given up at once.
    execDeadline({ signal: ctl.signal }, 'dcod@h3', (e) => expired.push(e));
    await Promise.resolve();
    expect(expired.map((e) => e.message)).toEqual(['dcod@h1: cancelled', 'dcod@h3: cancelled']);
  });
});
