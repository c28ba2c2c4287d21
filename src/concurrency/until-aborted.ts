/**
 * `work`, or the error `aborted` makes as soon as `signal` aborts. The work is not stopped, only no longer
 * waited for: what it does must be harmless to let run to its end.
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal, aborted: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(aborted());
    if (signal.aborted) abort();
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}
