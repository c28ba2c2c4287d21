import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixture, parseFixture } from './fixtures.testkit';
import { createProgressReader, parseProgress } from './progress';

const FULL = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100];

describe('progress', () => {
  it('reads a whole progress bar (snapshot delete stderr, 7.2.20, CRLF)', () => {
    expect(parseFixture('win-7.2.20-snapshot-delete.stderr-progress.txt', parseProgress)).toEqual({ percents: FULL, canceled: false });
  });

  it('reads progress that shares a stream with a result line', () => {
    expect(parseFixture('createmedium-7.0.6-linux-progress-and-uuid.txt', parseProgress).percents).toEqual(FULL);
    expect(parseFixture('clonevm-progress-and-result-papillon-FRAGMENT.txt', parseProgress).percents).toEqual(FULL);
  });

  it('sees CANCELED', () => {
    expect(parseProgress('0%...CANCELED\n')).toEqual({ percents: [0], canceled: true });
  });

  it('gives the same percentages however the stream is cut into chunks', () => {
    const text = fixture('win-7.2.20-snapshot-delete.stderr-progress.txt');
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: text.length - 1 })), (cuts) => {
        const reader = createProgressReader();
        const points = [0, ...cuts.sort((a, b) => a - b), text.length];
        const seen = points.slice(1).flatMap((end, i) => reader.push(text.slice(points[i], end)).percents);
        expect(seen).toEqual(FULL);
        expect(reader.last).toBe(100);
      }),
    );
  });

  it('holds back CANCELED split across chunks', () => {
    const reader = createProgressReader();
    expect(reader.push('0%...CANC')).toEqual({ percents: [0], canceled: false });
    expect(reader.push('ELED')).toEqual({ percents: [], canceled: true });
  });

  it('reports nothing before the first percentage', () => {
    const reader = createProgressReader();
    expect(reader.last).toBeUndefined();
    expect(reader.push('')).toEqual({ percents: [], canceled: false });
  });
});
