/**
 * The UI's side of the service API, for both transports. Isomorphic: no Node or DOM imports beyond the
 * WebSocket constructor it is given, so the renderer, the CLI and tests share it.
 */
import { DcodError, fromErrorInfo } from '../errors';
import type { ApiClient, CallName, CallResult, DcodBridge, Envelope, EventName, Events, ServerMessage, ServiceHandle } from './contract';
import { dispatch } from './dispatch';

type Listener = (data: unknown) => void;

function unwrap<T>(envelope: Envelope<T>): T {
  if (envelope.ok) return envelope.result;
  throw fromErrorInfo(envelope.error);
}

class Listeners {
  private readonly map = new Map<EventName, Set<Listener>>();
  add(event: EventName, listener: Listener): () => void {
    let set = this.map.get(event);
    if (!set) this.map.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }
  emit(event: EventName, data: unknown): void {
    for (const listener of this.map.get(event) ?? []) listener(data);
  }
}

/**
 * In the same process as the core (the CLI): still through `dispatch`, so the CLI gets exactly the
 * validation and errors every other UI gets.
 */
export function inProcessClient(service: ServiceHandle): ApiClient {
  return {
    async call(name, ...params) {
      return (await dispatch(service, name, params[0], { transport: 'in-process' })) as never;
    },
    on: (event, listener) => service.on(event, listener),
  };
}

/** Over Electron IPC, through the preload's `window.dcod`. */
export function ipcClient(bridge: DcodBridge): ApiClient {
  return {
    async call(name, ...params) {
      return unwrap(await bridge.calls[name](params[0])) as never;
    },
    on(event, listener) {
      return bridge.on(event, listener as Listener);
    },
  };
}

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface WebSocketClient extends ApiClient {
  readonly state: ConnectionState;
  onState(listener: (state: ConnectionState) => void): () => void;
  close(): void;
}

interface MinimalWebSocket {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  // Method syntax on purpose: it lets both the DOM's and the `ws` package's WebSocket satisfy this.
  addEventListener(type: 'open' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (ev: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (ev: { code: number; reason: string }) => void): void;
}
type WebSocketCtor = new (url: string) => MinimalWebSocket;

/**
 * Over the web-mode WebSocket. Reconnects with backoff after a drop; calls made while it is down wait for
 * the connection, and calls in flight when it drops fail with DISCONNECTED (they may or may not have run).
 */
export function webSocketClient(url: string, WebSocketImpl: WebSocketCtor, opts: { maxBackoffMs?: number } = {}): WebSocketClient {
  const listeners = new Listeners();
  const stateListeners = new Set<(s: ConnectionState) => void>();
  // Calls in order of id; `sent` tells the ones already on the wire from the ones waiting for a connection.
  const pending = new Map<number, { frame: string; sent: boolean; resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  let nextId = 1;
  let state: ConnectionState = 'connecting';
  let socket: MinimalWebSocket;
  let closedByUser = false;
  let backoff = 250;

  const setState = (s: ConnectionState) => {
    state = s;
    for (const l of stateListeners) l(s);
  };

  const open = () => {
    setState('connecting');
    socket = new WebSocketImpl(url);
    socket.addEventListener('open', () => {
      backoff = 250;
      setState('open');
      for (const waiter of pending.values()) {
        if (!waiter.sent) {
          socket.send(waiter.frame);
          waiter.sent = true;
        }
      }
    });
    socket.addEventListener('message', (ev) => {
      const msg = JSON.parse(String(ev.data)) as ServerMessage;
      if (msg.t === 'event') {
        listeners.emit(msg.name, msg.data);
        return;
      }
      const waiter = pending.get(msg.id);
      if (!waiter) return;
      pending.delete(msg.id);
      try {
        waiter.resolve(unwrap(msg));
      } catch (err) {
        waiter.reject(err);
      }
    });
    // Errors are followed by 'close', where the pending calls are failed; nothing else to do here.
    socket.addEventListener('error', () => {});
    socket.addEventListener('close', (ev) => {
      const reason = ev.reason || `connection closed (code ${ev.code})`;
      for (const [id, waiter] of pending) {
        if (!waiter.sent) continue;
        pending.delete(id);
        waiter.reject(new DcodError('DISCONNECTED', `lost the connection to the DCoD core: ${reason}`));
      }
      setState('closed');
      if (closedByUser) return;
      setTimeout(open, backoff);
      backoff = Math.min(backoff * 2, opts.maxBackoffMs ?? 5000);
    });
  };
  open();

  return {
    get state() {
      return state;
    },
    call<N extends CallName>(name: N, ...params: unknown[]): Promise<CallResult<N>> {
      const id = nextId++;
      const frame = JSON.stringify({ t: 'call', id, method: name, params: params[0] });
      return new Promise((resolve, reject) => {
        const sent = state === 'open';
        pending.set(id, { frame, sent, resolve: resolve as (v: unknown) => void, reject });
        if (sent) socket.send(frame);
      });
    },
    on<E extends EventName>(event: E, listener: (data: Events[E]) => void) {
      return listeners.add(event, listener as Listener);
    },
    onState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    close() {
      closedByUser = true;
      socket.close(1000, 'client closed');
    },
  };
}
