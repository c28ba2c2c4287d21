/**
 * How a NIC or switch link on the canvas shows its current rate: wider and warmer as it carries more
 * (a log scale — links run from bytes to gigabits a second), animated while anything flows, red when
 * frames are being dropped or errors counted. Pure, so the canvas can style edges without knowing units.
 */
import { formatPerSecond, formatRate, type RateUnit } from './units';

export interface LinkRate {
  /** Bytes per second both ways (NIC: received + sent; switch: what entered it). */
  readonly bytesPerSecond: number;
  readonly packetsPerSecond?: number;
  readonly dropsPerSecond?: number;
  readonly errorsPerSecond?: number;
}

export type LinkLevel = 'idle' | 'low' | 'medium' | 'high' | 'trouble';

export interface LinkStyle {
  /** Stroke width in px. */
  readonly width: number;
  readonly level: LinkLevel;
  /** Draw the dash animation (something flows). */
  readonly animated: boolean;
  /** The figures for a tooltip, one per line. */
  readonly tooltip: string;
  /** The short label on the edge. */
  readonly label: string;
}

const IDLE_BPS = 100;

export function linkStyle(rate: LinkRate | undefined, unit: RateUnit = 'bits'): LinkStyle {
  if (!rate) return { width: 1.5, level: 'idle', animated: false, tooltip: 'no traffic figures (not sampled)', label: '' };
  const bps = rate.bytesPerSecond;
  const trouble = (rate.dropsPerSecond ?? 0) > 0 || (rate.errorsPerSecond ?? 0) > 0;
  // 1.5 px idle, +0.5 px per decade above 100 B/s: 100 MB/s is 4.5 px, 1 GB/s 5 px.
  const width = bps <= IDLE_BPS ? 1.5 : Math.min(6, 1.5 + 0.5 * Math.log10(bps / IDLE_BPS));
  const level: LinkLevel = trouble ? 'trouble' : bps <= IDLE_BPS ? 'idle' : bps < 1e6 ? 'low' : bps < 50e6 ? 'medium' : 'high';
  const lines = [formatRate(bps, unit)];
  if (rate.packetsPerSecond !== undefined) lines.push(formatPerSecond(rate.packetsPerSecond));
  if (rate.dropsPerSecond) lines.push(formatPerSecond(rate.dropsPerSecond, 'drops'));
  if (rate.errorsPerSecond) lines.push(formatPerSecond(rate.errorsPerSecond, 'errors'));
  return { width, level, animated: bps > IDLE_BPS, tooltip: lines.join('\n'), label: bps > IDLE_BPS ? formatRate(bps, unit) : '' };
}
