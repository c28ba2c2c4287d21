import { describe, expect, it } from 'vitest';
import { parseFixture } from './fixtures.testkit';
import { parseMetricsQuery } from './metrics';

describe('parseMetricsQuery', () => {
  it('a metric name that overflows its column', () => {
    expect(parseFixture('metrics-query-old-format-guest-cpu-FRAGMENT.txt', parseMetricsQuery)).toEqual([
      { object: 'Win_VM1', metric: 'Guest/CPU/Load/Kernel', samples: [{ value: 10, unit: '%' }] },
    ]);
  });

  it('a value with a unit', () => {
    expect(parseFixture('metrics-query-old-format-guest-ram-FRAGMENT.txt', parseMetricsQuery)).toEqual([
      { object: 'Win_VM1', metric: 'Guest/RAM/Usage/Free', samples: [{ value: 1371184, unit: 'kB' }] },
    ]);
  });

  it('VM names with spaces, several samples, the host row', () => {
    const text = 'Object          Metric                   Values\n--------------- ------------------------ ------\nmy web vm       Net/Rate/Rx              1.50 B/s, 2 B/s\nhost            CPU/Load/User:avg        3.00%\n';
    expect(parseMetricsQuery(text)).toEqual([
      { object: 'my web vm', metric: 'Net/Rate/Rx', samples: [{ value: 1.5, unit: 'B/s' }, { value: 2, unit: 'B/s' }] },
      { object: 'host', metric: 'CPU/Load/User:avg', samples: [{ value: 3, unit: '%' }] },
    ]);
  });
});
