import { describe, expect, it } from 'vitest';
import { formatPerSecond, formatRate } from './units';

describe('formatRate', () => {
  it('bits or bytes, SI prefixes, three significant digits', () => {
    expect(formatRate(117_625_000, 'bits')).toBe('941 Mbit/s');
    expect(formatRate(117_625_000, 'bytes')).toBe('118 MB/s');
    expect(formatRate(1234, 'bytes')).toBe('1.23 kB/s');
    expect(formatRate(12.5, 'bits')).toBe('100 bit/s');
    expect(formatRate(0, 'bits')).toBe('0 bit/s');
    expect(formatRate(999.7, 'bytes')).toBe('1.00 kB/s');
  });

  it('packets and drops per second', () => {
    expect(formatPerSecond(81_234)).toBe('81.2 kp/s');
    expect(formatPerSecond(3, 'drops')).toBe('3.00 drops/s');
  });
});
