import { describe, expect, it } from 'vitest';
import { linkStyle } from './link-style';

describe('linkStyle', () => {
  it('grows with the rate on a log scale, warms up, and animates while traffic flows', () => {
    expect(linkStyle({ bytesPerSecond: 0 })).toMatchObject({ width: 1.5, level: 'idle', animated: false, label: '' });
    expect(linkStyle({ bytesPerSecond: 10_000 })).toMatchObject({ width: 2.5, level: 'low', animated: true, label: '80.0 kbit/s' });
    expect(linkStyle({ bytesPerSecond: 12_500_000 })).toMatchObject({ level: 'medium', label: '100 Mbit/s' });
    expect(linkStyle({ bytesPerSecond: 125_000_000 }).level).toBe('high');
    expect(linkStyle({ bytesPerSecond: 1e12 }).width).toBe(6);
  });

  it('turns red on drops or errors and lists the figures in the tooltip', () => {
    const s = linkStyle({ bytesPerSecond: 1000, packetsPerSecond: 10, dropsPerSecond: 2 }, 'bytes');
    expect(s.level).toBe('trouble');
    expect(s.tooltip).toBe('1.00 kB/s\n10.0 p/s\n2.00 drops/s');
  });

  it('says so when a link is not sampled', () => {
    expect(linkStyle(undefined)).toMatchObject({ level: 'idle', tooltip: 'no traffic figures (not sampled)' });
  });
});
