import { describe, expect, it } from 'vitest';
import { borderPoint } from './border-point';

describe('border point', () => {
  const b = { x: 0, y: 0, width: 100, height: 40 };
  it('meets the side the line leaves through', () => {
    expect(borderPoint(b, { x: 50, y: -100 })).toEqual({ x: 50, y: 0 });
    expect(borderPoint(b, { x: 300, y: 20 })).toEqual({ x: 100, y: 20 });
    expect(borderPoint(b, { x: 150, y: 120 })).toEqual({ x: 70, y: 40 });
    expect(borderPoint(b, { x: 50, y: 20 })).toEqual({ x: 50, y: 20 });
  });
});
