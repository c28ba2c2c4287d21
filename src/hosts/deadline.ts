/**
 * The two ways a command on a host runs out of time: in all (`timeoutMs`), or by going silent
 * (`idleTimeoutMs`, by default DEFAULT_IDLE_TIMEOUT_MS: no byte of output for that long, reset by every
 * chunk). The second is what catches a hung VBoxManage without cutting off a long import that keeps
 * printing its progress. And one way it is given up before its time: its `signal` aborted (a cancel).
 */
import { DcodError } from '../errors';
import { DEFAULT_IDLE_TIMEOUT_MS, type ExecOptions } from './runner';

export interface Deadline {
  /** Output arrived: the command is alive. */
  touch(): void;
  clear(): void;
}

export function execDeadline(opts: Pick<ExecOptions, 'timeoutMs' | 'idleTimeoutMs' | 'signal'>, what: string, expire: (err: DcodError) => void): Deadline {
  const idleMs = opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  let over = false;
  const end = () => {
    over = true;
    clearTimeout(total);
    clearTimeout(idle);
    opts.signal?.removeEventListener('abort', cancel);
  };
  const fire = (message: string) => {
    if (over) return;
    end();
    expire(new DcodError('TIMEOUT', `${what}: ${message}`));
  };
  const cancel = () => {
    if (over) return;
    end();
    expire(new DcodError('BAD_REQUEST', `${what}: cancelled`, { retryable: true }));
  };
  const total = opts.timeoutMs ? setTimeout(() => fire(`the command did not finish within ${opts.timeoutMs} ms`), opts.timeoutMs) : undefined;
  const arm = () => (idleMs > 0 ? setTimeout(() => fire(`the command printed nothing for ${idleMs} ms and was given up as hung`), idleMs) : undefined);
  let idle = arm();
  if (opts.signal?.aborted) queueMicrotask(cancel);
  else opts.signal?.addEventListener('abort', cancel, { once: true });
  return {
    touch: () => {
      if (over || !idle) return;
      clearTimeout(idle);
      idle = arm();
    },
    clear: end,
  };
}
