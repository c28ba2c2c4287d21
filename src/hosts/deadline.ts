/**
 * The two ways a command on a host runs out of time: in all (`timeoutMs`), or by going silent
 * (`idleTimeoutMs`, by default DEFAULT_IDLE_TIMEOUT_MS: no byte of output for that long, reset by every
 * chunk). The second is what catches a hung VBoxManage without cutting off a long import that keeps
 * printing its progress.
 */
import { DcodError } from '../errors';
import { DEFAULT_IDLE_TIMEOUT_MS, type ExecOptions } from './runner';

export interface Deadline {
  /** Output arrived: the command is alive. */
  touch(): void;
  clear(): void;
}

export function execDeadline(opts: Pick<ExecOptions, 'timeoutMs' | 'idleTimeoutMs'>, what: string, expire: (err: DcodError) => void): Deadline {
  const idleMs = opts.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  let over = false;
  const fire = (message: string) => {
    if (over) return;
    over = true;
    clearTimeout(total);
    clearTimeout(idle);
    expire(new DcodError('TIMEOUT', `${what}: ${message}`));
  };
  const total = opts.timeoutMs ? setTimeout(() => fire(`the command did not finish within ${opts.timeoutMs} ms`), opts.timeoutMs) : undefined;
  const arm = () => (idleMs > 0 ? setTimeout(() => fire(`the command printed nothing for ${idleMs} ms and was given up as hung`), idleMs) : undefined);
  let idle = arm();
  return {
    touch: () => {
      if (over || !idle) return;
      clearTimeout(idle);
      idle = arm();
    },
    clear: () => {
      over = true;
      clearTimeout(total);
      clearTimeout(idle);
    },
  };
}
