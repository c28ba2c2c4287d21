/**
 * Every error that crosses the service API carries a code from this closed list, whether retrying can
 * help, and the context it happened in ("creating VM \"web1\" on host-a: …"). The UI and the CLI decide
 * what to show and whether to offer "retry" from these fields alone.
 */
export const ERROR_CODES = {
  BAD_REQUEST: { retryable: false },
  UNAUTHORIZED: { retryable: false },
  NOT_FOUND: { retryable: false },
  INVALID_DOCUMENT: { retryable: false },
  HOST_UNREACHABLE: { retryable: true },
  HOST_KEY_CHANGED: { retryable: false },
  HOST_KEY_UNKNOWN: { retryable: false },
  AUTH_FAILED: { retryable: false },
  COMMAND_FAILED: { retryable: false },
  TIMEOUT: { retryable: true },
  VM_NOT_FOUND: { retryable: false },
  VM_LOCKED: { retryable: true },
  INVALID_STATE: { retryable: false },
  FILE_ERROR: { retryable: false },
  HOST_INTERFACE_MISSING: { retryable: false },
  VBOX_ERROR: { retryable: false },
  VBOX_MISSING: { retryable: false },
  /** The UI lost its connection to the core (web mode); the call may or may not have run. */
  DISCONNECTED: { retryable: true },
  INTERNAL: { retryable: false },
} as const satisfies Record<string, { retryable: boolean }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The serialisable form of an error, as sent over IPC or the WebSocket. */
export interface ErrorInfo {
  readonly code: ErrorCode;
  readonly message: string;
  readonly retryable: boolean;
  /** Where it happened, outermost first: ["applying plan", "host h1", "creating VM \"web1\""]. */
  readonly context: readonly string[];
}

export class DcodError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly context: readonly string[];

  constructor(code: ErrorCode, message: string, opts: { retryable?: boolean; context?: readonly string[]; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'DcodError';
    this.code = code;
    this.retryable = opts.retryable ?? ERROR_CODES[code].retryable;
    this.context = opts.context ?? [];
  }

  /** The message with its context, as a person reads it: `host h1: creating VM "web1": …`. */
  override toString(): string {
    return [...this.context, this.message].join(': ');
  }

  toInfo(): ErrorInfo {
    return { code: this.code, message: this.message, retryable: this.retryable, context: this.context };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

/** Adds one level of context to whatever was thrown, keeping its code; unknown errors become INTERNAL. */
export function withContext(context: string, err: unknown): DcodError {
  const e = toDcodError(err);
  return new DcodError(e.code, e.message, { retryable: e.retryable, context: [context, ...e.context], cause: e.cause ?? err });
}

export function toDcodError(err: unknown): DcodError {
  if (err instanceof DcodError) return err;
  if (err instanceof Error) return new DcodError('INTERNAL', err.message, { cause: err });
  return new DcodError('INTERNAL', String(err));
}

/** Rebuilds an error that came over the wire, so callers on the far side can `catch` it like a local one. */
export function fromErrorInfo(info: ErrorInfo): DcodError {
  const code = isErrorCode(info.code) ? info.code : 'INTERNAL';
  return new DcodError(code, info.message, { retryable: info.retryable, context: info.context });
}
