/**
 * How rates are shown, the same in the CLI and the app: bits per second (network people's unit) or
 * bytes per second, with SI prefixes, three significant digits.
 */
export type RateUnit = 'bits' | 'bytes';

const PREFIXES = ['', 'k', 'M', 'G', 'T'] as const;

function scaled(value: number): { n: string; prefix: string } {
  let v = value;
  let i = 0;
  while (Math.abs(v) >= 999.5 && i < PREFIXES.length - 1) {
    v /= 1000;
    i++;
  }
  const n = v === 0 ? '0' : Math.abs(v) >= 99.5 ? v.toFixed(0) : Math.abs(v) >= 9.95 ? v.toFixed(1) : v.toFixed(2);
  return { n, prefix: PREFIXES[i]! };
}

/** `117.6 MB/s` or `941 Mbit/s` for a rate in bytes per second. */
export function formatRate(bytesPerSecond: number, unit: RateUnit): string {
  const { n, prefix } = scaled(unit === 'bits' ? bytesPerSecond * 8 : bytesPerSecond);
  return unit === 'bits' ? `${n} ${prefix}bit/s` : `${n} ${prefix}B/s`;
}

/** `1.23 kp/s`: packets, drops or errors per second. */
export function formatPerSecond(perSecond: number, what = 'p'): string {
  const { n, prefix } = scaled(perSecond);
  return `${n} ${prefix}${what}/s`;
}
