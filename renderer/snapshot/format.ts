import type { BundleProgress } from '../../src/api/contract';
// The one marked exception to the renderer's service-only rule here: src/bundle/progress.ts has no imports,
// and sharing its formatters keeps the app's progress bar and `dcod export`'s saying the same numbers.
// eslint-disable-next-line no-restricted-imports -- pure formatters shared with the CLI (see above)
import { doneFraction, formatBytes as bytes, formatEta } from '../../src/bundle/progress';

/** `1.2 GiB of 2.4 GiB · 110.0 MiB/s · 0:11 left`, and the fraction done for the bar. */
export function progressText(p: BundleProgress): { text: string; fraction: number } {
  const eta = p.etaSeconds === null ? '' : ` · ${formatEta(p.etaSeconds)} left`;
  return {
    text: `${p.phase}${p.item ? ` ${p.item}` : ''}: ${bytes(p.doneBytes)} of ${bytes(p.totalBytes)} · ${bytes(p.bytesPerSecond)}/s${eta}`,
    fraction: doneFraction(p),
  };
}
