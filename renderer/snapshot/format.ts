import type { BundleProgress } from '../../src/api/contract';

export function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

/** `1.2 GiB of 2.4 GiB · 110.0 MiB/s · 0:11 left`, and the fraction done for the bar. */
export function progressText(p: BundleProgress): { text: string; fraction: number } {
  const eta = p.etaSeconds === null ? '' : ` · ${Math.floor(p.etaSeconds / 60)}:${String(p.etaSeconds % 60).padStart(2, '0')} left`;
  return {
    text: `${p.phase}${p.item ? ` ${p.item}` : ''}: ${bytes(p.doneBytes)} of ${bytes(p.totalBytes)} · ${bytes(p.bytesPerSecond)}/s${eta}`,
    fraction: p.totalBytes > 0 ? Math.min(p.doneBytes / p.totalBytes, 1) : 0,
  };
}
