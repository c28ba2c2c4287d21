import net from 'node:net';
import { PassThrough, type Readable } from 'node:stream';
import ssh2 from 'ssh2';
import type { ClientChannel, ConnectConfig, SFTPWrapper } from 'ssh2';
import { Semaphore } from '../concurrency/semaphore';
import { DcodError, type ErrorCode } from '../errors';
import { execDeadline, type Deadline } from '../hosts/deadline';
import { STOP_GRACE_MS, type ExecOptions, type ExecResult, type ExecStream, type HostShell, type StreamHandlers, type StreamingRunner } from '../hosts/runner';
import { quoteArgv } from '../shell/argv';
import type { KnownHosts } from './known-hosts';

export type SshAuth =
  | { readonly kind: 'key'; readonly privateKey: Buffer | string; readonly passphrase?: string }
  | { readonly kind: 'password'; readonly password: string }
  | { readonly kind: 'agent'; readonly socket: string };

export interface SshTarget {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly auth: SshAuth;
  readonly shell: HostShell;
}

export interface SshRunnerOptions {
  readonly knownHosts: KnownHosts;
  /** `pin-on-first-use` pins an unknown key; `require-pinned` refuses it (HOST_KEY_UNKNOWN). */
  readonly hostKeyPolicy?: 'pin-on-first-use' | 'require-pinned';
  /** Command channels open at once on the one connection (OpenSSH's MaxSessions default is 10). */
  readonly maxChannels?: number;
  readonly connectTimeoutMs?: number;
  readonly keepaliveMs?: number;
  /** Connection attempts per call before giving up on an unreachable host. */
  readonly connectAttempts?: number;
  /** The wait after the first failed attempt; it doubles after each, up to `maxBackoffMs` if given. */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
}

/** `sock` is ours, not ssh2's: once ended, ssh2's own destroy() no longer reaches a socket whose peer vanished. */
type Connected = { readonly client: ssh2.Client; readonly sock: net.Socket; readonly closed: Promise<void> };

/** How long a forced stream's channel may take to close before it is given up. */
const FORCE_ABANDON_MS = 1000;
const CLOSE_GRACE_MS = 2000;

/**
 * One persistent SSH connection to a host, multiplexing command channels with bounded concurrency.
 * It connects on first use, keeps the connection alive, reconnects with backoff when it drops, and
 * pins host keys. WARNING: a command in flight when the connection drops fails with HOST_UNREACHABLE and
 * is not re-run — it may or may not have happened on the host; callers that need to know must observe.
 */
export class SshRunner implements StreamingRunner {
  readonly shell: HostShell;
  private connection: Promise<Connected> | undefined;
  private readonly channels: Semaphore;
  private closing = false;

  constructor(private readonly target: SshTarget, private readonly opts: SshRunnerOptions) {
    this.shell = target.shell;
    this.channels = new Semaphore(opts.maxChannels ?? 8);
  }

  get label(): string {
    return `${this.target.username}@${this.target.host}:${this.target.port}`;
  }

  run(argv: readonly string[], opts?: ExecOptions): Promise<ExecResult> {
    return this.exec(quoteArgv(this.shell, argv), opts);
  }

  /**
   * The deadline runs from the moment the command has a channel slot: a connection that went dead without
   * SSH noticing yet (its keepalive needs ~30 s) never answers the channel's opening, and that wait counts.
   */
  exec(commandLine: string, opts: ExecOptions = {}): Promise<ExecResult> {
    return this.channels.use(
      () =>
        new Promise<ExecResult>((resolve, reject) => {
          let expired = false;
          let conn: Connected | undefined;
          let channel: ClientChannel | undefined;
          const connection = this.connected();
          const deadline = execDeadline(opts, this.label, (err) => {
            expired = true;
            if (channel) channel.close();
            else if (conn) {
              // A connection that could not even open a channel in all that time is dead: the next command reconnects.
              if (this.connection === connection) this.connection = undefined;
              conn.sock.destroy();
            }
            reject(err);
          });
          const opened = (ch: ClientChannel) => (expired ? ch.close() : (channel = ch));
          connection
            .then((c) => execOn((conn = c).client, commandLine, opts, this.label, deadline, opened))
            .then(resolve, reject)
            .finally(() => deadline.clear());
        }),
    );
  }

  /**
   * A long-lived command on its own channel, which holds one of the `maxChannels` slots for as long as
   * it runs. WARNING: a dropped connection ends the stream (done rejects HOST_UNREACHABLE); it is not
   * restarted here, since only the caller knows whether running it again is right.
   */
  execStream(commandLine: string, handlers: StreamHandlers): ExecStream {
    let channel: ClientChannel | undefined;
    let stopping = false;
    let forced = false;
    let abandon: (() => void) | undefined;
    const abandoned = new Promise<{ code: null }>((resolve) => (abandon = () => resolve({ code: null })));
    // OpenSSH keeps a session open while its command runs, whatever the client closes: forcing means
    // signalling the command's process group (OpenSSH >= 7.9, and not for root, whose sessions have no
    // privilege separation) and, if even that is not answered, giving the channel up so its slot is
    // free again. Streaming commands are written to end on stdin EOF, so this is only a backstop.
    const force = (ch: ClientChannel) => {
      signalChannel(ch, 'KILL');
      ch.close();
      setTimeout(() => abandon?.(), FORCE_ABANDON_MS).unref();
    };
    const done = this.channels.use(async () => {
      if (stopping) return { code: null };
      const { client } = await this.connected();
      const ended = streamOn(client, commandLine, handlers, this.label, (opened) => {
        channel = opened;
        if (forced) force(opened);
        else if (stopping) opened.end();
      }, () => stopping);
      return Promise.race([ended, abandoned]);
    });
    return {
      done,
      stop: async (graceMs = STOP_GRACE_MS) => {
        if (!stopping) channel?.end();
        stopping = true;
        const timer = setTimeout(() => {
          forced = true;
          if (channel) force(channel);
        }, graceMs);
        await done.catch(() => undefined);
        clearTimeout(timer);
      },
    };
  }

  /**
   * Runs a command whose stdout `consume` reads as a stream, with backpressure: while it does not read,
   * SSH's window holds the host's side (a file download in constant memory). The command holds one of the
   * `maxChannels` slots until it ended. Resolves `consume`'s value with the exit status and stderr; an abort
   * of `signal` fails the read (BAD_REQUEST, cancelled), and so does a connection that dropped before the
   * command said how it ended (HOST_UNREACHABLE), whatever `consume` made of the bytes it got.
   */
  readOutput<T>(commandLine: string, consume: (stdout: Readable) => Promise<T>, opts: { signal?: AbortSignal } = {}): Promise<{ value: T; code: number | null; stderr: string }> {
    return this.channels.use(async () => {
      const { client } = await this.connected();
      let stderr = '';
      let exited = false;
      let code: number | null = null;
      let dropped = false;
      const onDrop = () => (dropped = true);
      client.once('close', onDrop);
      let closed: Promise<void> = Promise.resolve();
      try {
        const stream = await new Promise<ClientChannel>((resolve, reject) =>
          openChannel(client, commandLine, this.label, reject, (ch) => {
            ch.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
            ch.on('exit', (c: unknown) => {
              exited = true;
              code = typeof c === 'number' ? c : null;
            });
            closed = new Promise((done) => ch.once('close', () => done()));
            resolve(ch);
          }),
        );
        // What `consume` reads: a pass-through, since ssh2's channel ignores the error destroy() is given.
        const out = stream.pipe(new PassThrough({ highWaterMark: 1 << 20 }));
        stream.on('error', (err: Error) => out.destroy(new DcodError('HOST_UNREACHABLE', `${this.label}: ${err.message}`, { cause: err })));
        const cancel = () => out.destroy(new DcodError('BAD_REQUEST', `${this.label}: cancelled`, { retryable: true }));
        if (opts.signal?.aborted) cancel();
        opts.signal?.addEventListener('abort', cancel, { once: true });
        const lost = () => new DcodError('HOST_UNREACHABLE', `${this.label}: the connection dropped while the command's output was read`, { retryable: true });
        /**
         * The rest of the output is not wanted: the channel is closed (the command's next write then fails,
         * SIGPIPE) and what is still in flight is read away, since ssh2 says 'close' only after its stream ended.
         */
        const cutOff = async () => {
          out.destroy();
          stream.unpipe(out);
          stream.resume();
          stream.close();
          await Promise.race([closed, new Promise((r) => setTimeout(r, FORCE_ABANDON_MS))]);
        };
        try {
          const value = await consume(out);
          if (!out.readableEnded) await cutOff();
          else await closed;
          if (dropped && !exited) throw lost();
          return { value, code, stderr };
        } catch (err) {
          if (!out.readableEnded) await cutOff();
          throw dropped && !exited && !opts.signal?.aborted ? lost() : err;
        } finally {
          opts.signal?.removeEventListener('abort', cancel);
        }
      } finally {
        client.off('close', onDrop);
      }
    });
  }

  /**
   * Runs `work` with an SFTP session on this runner's connection (file transfers, e.g. the proxy
   * appliance's upload). The session holds one of the `maxChannels` slots until `work` settles, then
   * is closed. A dropped connection fails the transfer; it is not resumed here.
   */
  sftp<T>(work: (session: SFTPWrapper) => Promise<T>): Promise<T> {
    return this.channels.use(async () => {
      const { client } = await this.connected();
      const session = await new Promise<SFTPWrapper>((resolve, reject) =>
        client.sftp((err, opened) =>
          err ? reject(new DcodError('HOST_UNREACHABLE', `${this.label}: could not open an SFTP session: ${err.message}`, { cause: err })) : resolve(opened),
        ),
      );
      try {
        return await work(session);
      } finally {
        session.end();
      }
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    const conn = await this.connection?.catch(() => undefined);
    this.connection = undefined;
    if (!conn) return;
    conn.client.end();
    // A peer that vanished (a proxy VM just deleted, a host cut off) never answers the goodbye: its socket,
    // half-closed in FIN_WAIT, would keep the process alive until TCP gives up (many minutes), so it is
    // dropped after a short grace.
    const force = setTimeout(() => conn.sock.destroy(), CLOSE_GRACE_MS);
    await conn.closed;
    clearTimeout(force);
  }

  private connected(): Promise<Connected> {
    if (this.closing) return Promise.reject(new DcodError('HOST_UNREACHABLE', `${this.label}: the connection was closed`));
    this.connection ??= this.connectWithRetry().catch((err: unknown) => {
      this.connection = undefined;
      throw err;
    });
    return this.connection;
  }

  private async connectWithRetry(): Promise<Connected> {
    const attempts = this.opts.connectAttempts ?? 3;
    let delay = this.opts.backoffMs ?? 200;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.connectOnce();
      } catch (err) {
        if (!(err instanceof DcodError) || !err.retryable || attempt >= attempts || this.closing) throw err;
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, this.opts.maxBackoffMs ?? Infinity);
      }
    }
  }

  private connectOnce(): Promise<Connected> {
    const { host, port, username, auth } = this.target;
    const client = new ssh2.Client();
    const sock = new net.Socket();
    let keyProblem: DcodError | undefined;
    let pinning: Promise<void> = Promise.resolve();

    const config: ConnectConfig = {
      sock,
      username,
      readyTimeout: this.opts.connectTimeoutMs ?? 10_000,
      keepaliveInterval: this.opts.keepaliveMs ?? 10_000,
      keepaliveCountMax: 3,
      hostVerifier: (key: Buffer) => {
        const verdict = this.opts.knownHosts.check(host, port, key);
        if (verdict.status === 'match') return true;
        if (verdict.status === 'changed') {
          this.opts.knownHosts.noteRefused(host, port, key);
          keyProblem = new DcodError(
            'HOST_KEY_CHANGED',
            `the host key of ${host}:${port} changed: it was pinned as ${verdict.pinnedFingerprint} and the host now presents ${verdict.fingerprint}. ` +
              'This can mean the host was reinstalled, or that someone is intercepting the connection; accept the new key only if you know why it changed.',
          );
          return false;
        }
        if ((this.opts.hostKeyPolicy ?? 'pin-on-first-use') === 'require-pinned') {
          this.opts.knownHosts.noteRefused(host, port, key);
          keyProblem = new DcodError('HOST_KEY_UNKNOWN', `${host}:${port} presents host key ${verdict.fingerprint}, which is not pinned yet: accept it to connect`);
          return false;
        }
        pinning = this.opts.knownHosts.pin(host, port, key);
        return true;
      },
      ...(auth.kind === 'key' ? { privateKey: auth.privateKey, ...(auth.passphrase ? { passphrase: auth.passphrase } : {}) } : {}),
      ...(auth.kind === 'password' ? { password: auth.password, tryKeyboard: true } : {}),
      ...(auth.kind === 'agent' ? { agent: auth.socket } : {}),
    };
    if (auth.kind === 'password') {
      client.on('keyboard-interactive', (_name, _instr, _lang, prompts, finish) => finish(prompts.map(() => auth.password)));
    }

    return new Promise<Connected>((resolve, reject) => {
      const closed = new Promise<void>((done) => client.once('close', () => done()));
      // ssh2 says nothing when the server goes away after its banner but before login is done (its sshd
      // killed or restarting): without this the connection would stay pending, and every command with it.
      void closed.then(() => reject(keyProblem ?? new DcodError('HOST_UNREACHABLE', `${this.label}: the connection closed before the SSH login finished`, { retryable: true })));
      client.once('ready', () => {
        client.on('error', () => {}); // a later error is followed by 'close', handled below
        void closed.then(() => {
          if (this.connection) this.connection = undefined; // the next exec reconnects
        });
        pinning.then(() => resolve({ client, sock, closed }), reject);
      });
      // `on`, not `once`: after a handshake timeout ssh2 reports the socket's later end as a second
      // error, which would otherwise be an uncaught exception. The first one decides; the socket goes.
      client.on('error', (err: Error & { level?: string; code?: string }) => {
        reject(keyProblem ?? classifyConnectError(err, this.label));
        sock.destroy();
      });
      try {
        client.connect(config); // it starts the handshake on the socket's 'connect'
        sock.connect({ host, port });
      } catch (err) {
        reject(new DcodError('BAD_REQUEST', `${this.label}: ${(err as Error).message}`));
      }
    });
  }
}

function classifyConnectError(err: Error & { level?: string; code?: string }, label: string): DcodError {
  const say = (code: ErrorCode, message: string, retryable?: boolean) =>
    new DcodError(code, `${label}: ${message}`, { cause: err, ...(retryable === undefined ? {} : { retryable }) });
  if (err.level === 'client-authentication') return say('AUTH_FAILED', 'authentication failed (the key, password or agent was refused)');
  if (err.level === 'client-timeout') return say('HOST_UNREACHABLE', 'no SSH handshake within the timeout');
  if (err.code === 'ECONNREFUSED') return say('HOST_UNREACHABLE', 'connection refused (is sshd running?)');
  if (err.code === 'EHOSTUNREACH' || err.code === 'ENETUNREACH' || err.code === 'ETIMEDOUT') return say('HOST_UNREACHABLE', `unreachable (${err.code})`);
  if (err.code === 'ECONNRESET') return say('HOST_UNREACHABLE', 'connection reset');
  if (/parse privateKey|passphrase/i.test(err.message)) return say('AUTH_FAILED', `the private key can't be used: ${err.message}`);
  return say('HOST_UNREACHABLE', err.message, true);
}

/**
 * Opens a command channel and hands it to `use` in the same tick, before any of its events can fire.
 * ssh2 throws rather than calls back when the connection went in the meantime; both are a refusal.
 */
function openChannel(client: ssh2.Client, commandLine: string, label: string, reject: (err: DcodError) => void, use: (stream: ClientChannel) => void): void {
  const refused = (err: Error) => reject(new DcodError('HOST_UNREACHABLE', `${label}: could not open a command channel: ${err.message}`, { cause: err }));
  try {
    client.exec(commandLine, (err, stream) => (err ? refused(err) : use(stream)));
  } catch (err) {
    refused(err as Error);
  }
}

function execOn(client: ssh2.Client, commandLine: string, opts: ExecOptions, label: string, deadline: Deadline, onOpen: (stream: ClientChannel) => void): Promise<ExecResult> {
  return new Promise<ExecResult>((resolve, reject) =>
    openChannel(client, commandLine, label, reject, (stream) => {
      onOpen(stream);
      const out: Buffer[] = [];
      const errOut: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        deadline.touch();
        out.push(chunk);
      });
      stream.stderr.on('data', (chunk: Buffer) => {
        deadline.touch();
        errOut.push(chunk);
        opts.onStderr?.(chunk.toString('utf8'));
      });
      stream.on('close', (code: number | null | undefined) => {
        deadline.clear();
        resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(errOut).toString('utf8'), code: code ?? null });
      });
      stream.on('error', (e: Error) => {
        deadline.clear();
        reject(new DcodError('HOST_UNREACHABLE', `${label}: ${e.message}`, { cause: e }));
      });
      if (opts.stdin !== undefined) stream.end(opts.stdin);
      else stream.end();
    }),
  );
}

/**
 * Runs one streaming command: stdout chunks go to the handler as bytes, stdin stays open until the
 * caller ends it. A channel that closes without an exit status was cut, not finished — unless we were
 * stopping it, when that is just the forced end.
 */
function streamOn(
  client: ssh2.Client,
  commandLine: string,
  handlers: StreamHandlers,
  label: string,
  onOpen: (channel: ClientChannel) => void,
  stopping: () => boolean,
): Promise<{ code: number | null }> {
  return new Promise((resolve, reject) =>
    openChannel(client, commandLine, label, reject, (stream) => {
      let exit: { code: number | null } | undefined;
      stream.on('exit', (code: number | null) => (exit = { code: typeof code === 'number' ? code : null }));
      stream.on('data', (chunk: Buffer) => handlers.onStdout(chunk));
      stream.stderr.on('data', (chunk: Buffer) => handlers.onStderr?.(chunk.toString('utf8')));
      stream.on('error', (e: Error) => reject(new DcodError('HOST_UNREACHABLE', `${label}: ${e.message}`, { cause: e })));
      stream.on('close', () => {
        if (exit) resolve(exit);
        else if (stopping()) resolve({ code: null });
        else reject(new DcodError('HOST_UNREACHABLE', `${label}: the connection dropped while the command was streaming`));
      });
      onOpen(stream);
    }),
  );
}

/**
 * Sends a signal request on a session channel. WARNING: goes through ssh2's protocol object, because
 * its public Channel.signal() refuses once stdin has been ended — exactly when a stop must be forced.
 */
function signalChannel(channel: ClientChannel, signal: string): void {
  const ch = channel as unknown as { _client?: { _protocol?: { signal?(id: number, name: string): void } }; outgoing?: { id?: number; state?: string } };
  const id = ch.outgoing?.id;
  if (id !== undefined && (ch.outgoing?.state === 'open' || ch.outgoing?.state === 'eof')) ch._client?._protocol?.signal?.(id, signal);
}
