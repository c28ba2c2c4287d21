/**
 * Web mode's WebSocket protocol and access checks against hostile clients. Every frame gets either an
 * answer to its call (a result, or an error whose code is in the closed list) or a clean close with a
 * reason (1008 malformed, 1009 too big); the server keeps serving other clients either way. No request
 * without the exact token, or from another Origin or Host, ever gets a socket.
 *
 * Only calls without side effects beyond the temp core are sent: a unit test must not reach the network.
 */
import fc from 'fast-check';
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ERROR_CODES } from '../errors';
import type { WebServer } from './web-server';
import { useTestServer } from './web-server.testkit';

const web = useTestServer();
let server: WebServer;
beforeAll(() => {
  server = web();
});

const SAFE_METHODS = ['app.info', 'activity.list', 'activity.add', 'hosts.list', 'hosts.remove', 'hosts.acceptKey', 'doc.validate', 'status.get', 'traffic.snapshot', 'traffic.history', 'capture.status', 'capture.stop', 'snapshot.list', 'no.such', '', '__proto__', 'constructor', 'toString', 'hosts.list\u0000', 'x'.repeat(100)];

type Outcome = { kind: 'result'; msg: { ok: boolean; error?: { code: string; message: string } } } | { kind: 'close'; code: number; reason: string };

/** One socket reused while it stays open; a closed one is replaced for the next frame. */
class Probe {
  private ws: WebSocket | undefined;
  private waiting: ((o: Outcome) => void) | undefined;
  private expectId: number | undefined;

  private async socket(): Promise<WebSocket> {
    if (this.ws?.readyState === WebSocket.OPEN) return this.ws;
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api?token=${server.token}`);
    await new Promise<void>((resolve, reject) => ws.once('open', () => resolve()).once('error', reject));
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as { t: string; id?: number; ok: boolean; error?: { code: string; message: string } };
      if (msg.t === 'result' && msg.id === this.expectId) this.waiting?.({ kind: 'result', msg });
    });
    ws.on('close', (code, reason) => this.waiting?.({ kind: 'close', code, reason: reason.toString() }));
    this.ws = ws;
    return ws;
  }

  async send(frame: string | Buffer, id: number | undefined): Promise<Outcome> {
    const ws = await this.socket();
    this.expectId = id;
    const outcome = new Promise<Outcome>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer and no close within 5 s for ${JSON.stringify(String(frame).slice(0, 200))}`)), 5000);
      this.waiting = (o) => {
        clearTimeout(timer);
        this.waiting = undefined;
        resolve(o);
      };
    });
    ws.send(frame, { binary: typeof frame !== 'string' });
    return outcome;
  }

  close(): void {
    this.ws?.close();
  }
}

const callFrame = fc.record({
  id: fc.nat(),
  method: fc.constantFrom(...SAFE_METHODS),
  params: fc.oneof(fc.constant(undefined), fc.jsonValue({ maxDepth: 3 }), fc.record({ file: fc.string(), name: fc.string(), id: fc.uuid(), since: fc.integer(), level: fc.constantFrom('info', 'warn', 'loud'), message: fc.string({ maxLength: 30 }), vni: fc.integer(), seconds: fc.integer() }, { requiredKeys: [] })),
});

const malformed = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.record({ t: fc.constantFrom('call', 'result', 'event', 'CALL'), id: fc.oneof(fc.integer({ max: -1 }), fc.double(), fc.string()), method: fc.string(), extra: fc.string() }, { requiredKeys: [] }).map((m) => JSON.stringify(m)),
);

describe('web mode on hostile clients', () => {
  it('answers every call frame with a result or a coded error, and closes on malformed ones with 1008', async () => {
    const probe = new Probe();
    let answered = 0;
    let closed = 0;
    let errors = 0;
    try {
      await fc.assert(
        fc.asyncProperty(fc.oneof(callFrame.map((c) => ({ call: c })), malformed.map((m) => ({ raw: m })), fc.uint8Array({ maxLength: 64 }).map((b) => ({ bin: Buffer.from(b) }))), async (f) => {
          if ('call' in f) {
            const o = await probe.send(JSON.stringify({ t: 'call', ...f.call }), f.call.id);
            expect(o.kind).toBe('result');
            if (o.kind !== 'result') return;
            answered++;
            if (!o.msg.ok) {
              errors++;
              expect(Object.hasOwn(ERROR_CODES, o.msg.error?.code ?? '')).toBe(true);
              expect(o.msg.error?.message.length).toBeGreaterThan(0);
              // A call that reaches the service with a shape it doesn't take is the caller's mistake.
              expect(o.msg.error?.code).not.toBe('INTERNAL');
            }
            return;
          }
          const frame = 'raw' in f ? f.raw : f.bin;
          const o = await probe.send(frame, undefined);
          // A malformed text that happens to be a valid call is fine too; anything else closes cleanly.
          if (o.kind === 'close') {
            closed++;
            expect(o.code).toBe(1008);
            expect(o.reason).toMatch(/malformed message/);
          } else answered++;
        }),
        { numRuns: 2000, seed: 31 },
      );
      // Too big for one frame: a clean 1009 close, not an allocation the size of the attacker's choosing.
      const big = await probe.send('x'.repeat(4 * 1024 * 1024 + 1), undefined);
      expect(big).toMatchObject({ kind: 'close', code: 1009 });
      // And the server still serves.
      const after = await probe.send(JSON.stringify({ t: 'call', id: 7, method: 'app.info' }), 7);
      expect(after).toMatchObject({ kind: 'result', msg: { ok: true } });
    } finally {
      probe.close();
    }
    console.log(`[fuzz] websocket: 2001 frames, ${answered} answered (${errors} with a coded error, 0 INTERNAL), ${closed} clean 1008 closes, server alive after`);
  }, 120_000);

  it('never opens a socket without the exact token, or for another Origin or Host', async () => {
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          token: fc.oneof(fc.constant(undefined), fc.string({ maxLength: 40 }), fc.constant('').map(() => server.token.slice(0, -1)), fc.constant('').map(() => `${server.token}x`), fc.constant('').map(() => server.token.toUpperCase())),
          origin: fc.option(fc.constantFrom('http://evil.example', 'null', `http://127.0.0.1.evil.example`, 'https://127.0.0.1', 'http://localhost.evil'), { nil: undefined }),
          host: fc.option(fc.constantFrom('attacker.example', '127.0.0.1', '127.0.0.1:1', 'localhost', '0.0.0.0', '[::1]'), { nil: undefined }),
          via: fc.constantFrom('query', 'bearer', 'cookie'),
        }),
        async ({ token, origin, host, via }) => {
          const headers: Record<string, string> = {};
          if (origin) headers.Origin = origin;
          if (host) headers.Host = host;
          let url = `ws://127.0.0.1:${server.port}/api`;
          if (token !== undefined) {
            if (via === 'query') url += `?token=${encodeURIComponent(token)}`;
            else if (via === 'bearer') headers.Authorization = `Bearer ${token}`;
            else headers.Cookie = `dcod_token=${encodeURIComponent(token)}`;
          }
          const status = await new Promise<number | 'open'>((resolve) => {
            const ws = new WebSocket(url, { headers });
            ws.on('open', () => {
              ws.close();
              resolve('open');
            });
            ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
            ws.on('error', () => resolve(0));
          });
          expect(status, JSON.stringify({ token, origin, host, via })).not.toBe('open');
          expect([401, 403]).toContain(status);
          refused++;
        },
      ),
      { numRuns: 400, seed: 32 },
    );
    console.log(`[fuzz] websocket access: ${refused} upgrade attempts without the exact token or with a foreign Origin/Host, all refused`);
  }, 120_000);

  it('listens on 127.0.0.1 only: the kernel has one listening socket on its port, bound to loopback', async () => {
    const port = server.port.toString(16).toUpperCase().padStart(4, '0');
    const listening = (await Promise.all(['/proc/net/tcp', '/proc/net/tcp6'].map((f) => readFile(f, 'utf8').catch(() => ''))))
      .flatMap((t) => t.split('\n').slice(1))
      .map((l) => l.trim().split(/\s+/))
      .filter((cols) => cols[1]?.endsWith(`:${port}`) && cols[3] === '0A'); // 0A: LISTEN
    expect(listening.map((cols) => cols[1])).toEqual([`0100007F:${port}`]);
  });
});
