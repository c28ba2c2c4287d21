/**
 * How rates read, the same in the app as in `dcod traffic`.
 *
 * WARNING: the renderer may reach the core only through the service contract (eslint); this file is the
 * single, marked exception of the traffic view: the formatters are pure functions with no imports, so they
 * bundle safely, and sharing them is what keeps the CLI and the charts saying the same numbers.
 */
// eslint-disable-next-line no-restricted-imports -- pure formatters shared with the CLI (see above)
export { formatPerSecond, formatRate, type RateUnit } from '../../src/traffic/units';
