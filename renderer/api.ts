import { ipcClient, webSocketClient, type ConnectionState } from '../src/api/client';
import type { ApiClient, DcodBridge } from '../src/api/contract';

declare global {
  interface Window {
    /** Present only inside the Electron shell (electron/preload.ts). */
    readonly dcod?: DcodBridge;
  }
}

export interface Connection {
  readonly client: ApiClient;
  readonly transport: 'ipc' | 'websocket';
  /** Read it when subscribing: the socket may have opened before anyone listened. */
  readonly state: ConnectionState;
  onState(listener: (state: ConnectionState) => void): () => void;
}

/**
 * The one client the renderer uses: Electron IPC when the preload is there, otherwise the web-mode
 * WebSocket back to the server that served this page (its token travels in the HttpOnly cookie).
 */
export function connect(): Connection {
  if (window.dcod) {
    return { client: ipcClient(window.dcod), transport: 'ipc', state: 'open', onState: () => () => {} };
  }
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api`;
  const ws = webSocketClient(url, WebSocket);
  return {
    client: ws,
    transport: 'websocket',
    get state() {
      return ws.state;
    },
    onState: (l) => ws.onState(l),
  };
}
