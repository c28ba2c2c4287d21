import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { ClientMessage, EVENT_NAMES, type ServerMessage, type ServiceHandle } from '../api/contract';
import { dispatch } from '../api/dispatch';
import { toDcodError } from '../errors';
import { TOKEN_COOKIE, checkAccess, newToken } from './auth';
import { serveStatic } from './static';

export interface WebServerOptions {
  readonly service: ServiceHandle;
  /** The built renderer (dist/renderer). */
  readonly staticRoot: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly token?: string;
}

export interface WebServer {
  readonly port: number;
  readonly token: string;
  /** The URL a person opens: it carries the token once, then the cookie does. */
  readonly url: string;
  close(): Promise<void>;
}

/** Largest frame a client may send; calls are small, documents go by reference. */
const MAX_FRAME = 4 * 1024 * 1024;
const HOST = '127.0.0.1';

/**
 * Web mode: the same core the Electron shell binds to IPC, served over HTTP (the built renderer) and a
 * WebSocket at /api (calls and events). WARNING: it binds 127.0.0.1 only, by design: the API can change
 * the user's hosts, so it is never offered to the network.
 */
export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const token = opts.token ?? newToken();
  let port = 0;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME });

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    const verdict = checkAccess(req, url, token, port);
    if (!verdict.ok) {
      res.writeHead(verdict.status, { 'content-type': 'text/plain; charset=utf-8' }).end(verdict.reason + '\n');
      return;
    }
    if (url.searchParams.has('token')) {
      // Trade the token in the URL for a cookie, and drop it from the address bar and history.
      url.searchParams.delete('token');
      res.writeHead(302, {
        'set-cookie': `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
        location: url.pathname + url.search,
      }).end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    serveStatic(opts.staticRoot, url.pathname, res).catch((err: unknown) => {
      res.writeHead(500).end(String(err));
    });
  });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    const verdict = url.pathname === '/api' ? checkAccess(req, url, token, port) : ({ ok: false, status: 404, reason: 'no such endpoint' } as const);
    if (!verdict.ok) {
      socket.end(`HTTP/1.1 ${verdict.status} ${http.STATUS_CODES[verdict.status]}\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n${verdict.reason}\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveSocket(ws, opts.service));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, HOST, () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    token,
    url: `http://${HOST}:${port}/?token=${token}`,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function serveSocket(ws: WebSocket, service: ServiceHandle): void {
  const send = (msg: ServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  };
  const unsubscribe = EVENT_NAMES.map((name) => service.on(name, (data) => send({ t: 'event', name, data })));
  ws.on('close', () => unsubscribe.forEach((off) => off()));
  // A protocol error (a frame over MAX_FRAME, bad UTF-8, a bad opcode): ws has already closed the socket
  // with the right code (1009, 1007, 1002); without a listener the error would be thrown and end the core.
  ws.on('error', () => undefined);

  ws.on('message', (raw, isBinary) => {
    const parsed = isBinary ? undefined : ClientMessage.safeParse(safeJson(raw.toString()));
    if (!parsed?.success) {
      // Without a valid id there is nobody to answer: close with a reason the client can show.
      ws.close(1008, 'malformed message: expected {"t":"call","id":N,"method":"…","params":…}');
      return;
    }
    const { id, method, params } = parsed.data;
    dispatch(service, method, params, { transport: 'websocket' }).then(
      (result) => send({ t: 'result', id, ok: true, result }),
      (err: unknown) => send({ t: 'result', id, ok: false, error: toDcodError(err).toInfo() }),
    );
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
