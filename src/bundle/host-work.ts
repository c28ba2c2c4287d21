/**
 * The hosts' side of an export or import: each host's work runs beside the others', and one stop signal
 * ends them all at their next step — the user's cancel, or the first host to fail. The whole settles only
 * once every host's work has ended, so nothing writes into a bundle already closed and no lock is freed
 * under work still running.
 */
import type { DcodError } from '../errors';

export class HostWork {
  private readonly stopper = new AbortController();
  private failure: unknown;

  /** `cancel` is the user's signal; `cancelled` the error a cancel ends the work with. */
  constructor(cancel: AbortSignal | undefined, private readonly cancelled: () => DcodError) {
    if (cancel?.aborted) this.stopper.abort();
    else cancel?.addEventListener('abort', () => this.stopper.abort(), { once: true });
  }

  /** Aborted on a cancel or on the first failure: what every step of the work is given. */
  get signal(): AbortSignal {
    return this.stopper.signal;
  }

  /** Throws the cancel's error if the work was stopped. */
  check(): void {
    if (this.signal.aborted) throw this.cancelled();
  }

  /**
   * Runs `work` on every host side by side; rejects with the first failure (what failed because of the
   * stop is not news) or, after a cancel, with the cancel's error.
   */
  async all<H>(hosts: Iterable<H>, work: (host: H) => Promise<void>): Promise<void> {
    await Promise.all(
      [...hosts].map(async (host) => {
        try {
          await work(host);
        } catch (err) {
          if (!this.signal.aborted) this.failure = err;
          this.stopper.abort();
        }
      }),
    );
    if (this.failure !== undefined) throw this.failure;
    this.check();
  }
}
