/**
 * Exports and imports as the service API offers them: one at a time per process (they saturate the link
 * anyway), each cancellable, with progress as events.
 */
import { DcodError } from '../errors';
import type { HostAccess } from '../snapshot/host-access';
import { exportBundle } from './export';
import { planImport, runImport, type ImportPlan, type ImportResult } from './import';
import type { BundleManifest } from './manifest';
import type { BundleProgress } from './progress';

export type { BundleProgress } from './progress';
export type { ImportPlan, ImportResult } from './import';
export type { BundleManifest } from './manifest';

export class BundleService {
  private running: AbortController | undefined;

  constructor(private readonly access: HostAccess, private readonly onProgress: (p: BundleProgress) => void) {}

  private async exclusive<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.running) throw new DcodError('INVALID_STATE', 'an export or import is already running; wait for it or cancel it');
    const ctl = new AbortController();
    this.running = ctl;
    try {
      return await work(ctl.signal);
    } finally {
      this.running = undefined;
    }
  }

  export(file: string, out: string): Promise<BundleManifest> {
    return this.exclusive((signal) => exportBundle(this.access, file, out, { signal, onProgress: this.onProgress }));
  }

  planImport(bundle: string): Promise<ImportPlan> {
    return this.exclusive(async (signal) => (await planImport(this.access, bundle, { signal, onProgress: this.onProgress })).plan);
  }

  import(bundle: string, file: string): Promise<ImportResult> {
    return this.exclusive((signal) => runImport(this.access, bundle, file, { signal, onProgress: this.onProgress }));
  }

  /** Stops the running export or import at its next chunk; a re-run of an export resumes. */
  cancel(): boolean {
    this.running?.abort();
    return this.running !== undefined;
  }
}
