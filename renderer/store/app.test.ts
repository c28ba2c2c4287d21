import { describe, expect, it } from 'vitest';
import type { ActivityEntry } from '../../src/api/contract';
import { useApp } from './app';

const entry = (seq: number): ActivityEntry => ({ seq, time: new Date(seq).toISOString(), level: 'info', source: 'core', message: `m${seq}` });

describe('app store', () => {
  it('keeps activity ordered and free of duplicates when the first list races live events', () => {
    useApp.getState().addActivity([entry(3)]);
    useApp.getState().addActivity([entry(1), entry(2), entry(3)]);
    expect(useApp.getState().activity.map((e) => e.seq)).toEqual([1, 2, 3]);
  });
});
