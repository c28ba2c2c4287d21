import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { webSocketClient } from '../api/client';
import type { ActivityEntry } from '../api/contract';
import { DcodError } from '../errors';
import type { WebServer } from './web-server';
import { useTestServer } from './web-server.testkit';

const web = useTestServer();
let server: WebServer;
beforeAll(() => {
  server = web();
});

const apiUrl = (query = `?token=${server.token}`) => `ws://127.0.0.1:${server.port}/api${query}`;

/** Opens a raw socket and reports how the upgrade ended: 'open' or the HTTP status it was refused with. */
function upgrade(url: string, headers: Record<string, string> = {}): Promise<number | 'open'> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => {});
  });
}

describe('web mode transport', () => {
  it('round-trips a call over the WebSocket', async () => {
    const client = webSocketClient(apiUrl(), WebSocket);
    try {
      const info = await client.call('app.info');
      expect(info).toMatchObject({ name: 'DCoD', transport: 'websocket', platform: process.platform });
      expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    } finally {
      client.close();
    }
  });

  it('delivers events to every connected client', async () => {
    const a = webSocketClient(apiUrl(), WebSocket);
    const b = webSocketClient(apiUrl(), WebSocket);
    try {
      await Promise.all([a.call('app.info'), b.call('app.info')]);
      const seenByB = new Promise<ActivityEntry>((resolve) => b.on('activity', resolve));
      const added = await a.call('activity.add', { level: 'warn', message: 'disk almost full on h2' });
      expect(await seenByB).toEqual(added);
      expect(added).toMatchObject({ level: 'warn', source: 'ui', message: 'disk almost full on h2' });
      expect(await a.call('activity.list', { since: added.seq - 1 })).toEqual([added]);
    } finally {
      a.close();
      b.close();
    }
  });

  it('refuses malformed parameters with a specific error', async () => {
    const client = webSocketClient(apiUrl(), WebSocket);
    try {
      const err = await client.call('activity.add', { level: 'loud', message: '' } as never).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DcodError);
      expect(err).toMatchObject({ code: 'BAD_REQUEST' });
      expect((err as Error).message).toMatch(/bad parameters for activity.add: level: .*; message: /);
    } finally {
      client.close();
    }
  });

  it('refuses the WebSocket without the token, with a wrong one, cross-origin, or for another Host', async () => {
    expect(await upgrade(apiUrl(''))).toBe(401);
    expect(await upgrade(apiUrl('?token=not-the-token'))).toBe(401);
    expect(await upgrade(apiUrl(`?token=${server.token.slice(0, -1)}`))).toBe(401);
    expect(await upgrade(apiUrl(), { Origin: 'http://evil.example' })).toBe(403);
    expect(await upgrade(apiUrl(), { Host: `attacker.example:${server.port}` })).toBe(403);
    expect(await upgrade(apiUrl(), { Origin: `http://127.0.0.1:${server.port}` })).toBe('open');
    expect(await upgrade(apiUrl(''), { Cookie: `dcod_token=${server.token}` })).toBe('open');
  });

  it('serves the renderer only with the token, trading the URL token for an HttpOnly cookie', async () => {
    const base = `http://127.0.0.1:${server.port}`;
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect((await fetch(`${base}/?token=wrong`)).status).toBe(401);
    const login = await fetch(`${base}/?token=${server.token}`, { redirect: 'manual' });
    expect(login.status).toBe(302);
    expect(login.headers.get('location')).toBe('/');
    const cookie = login.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^dcod_token=[^;]+; HttpOnly; SameSite=Strict; Path=\//);
    const page = await fetch(`${base}/`, { headers: { cookie: cookie.split(';')[0]! } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('<title>DCoD</title>');
  });

  it('never serves files outside the renderer folder', async () => {
    const res = await fetch(`http://127.0.0.1:${server.port}/..%2f..%2fetc%2fpasswd`, { headers: { authorization: `Bearer ${server.token}` } });
    expect(res.status).toBe(404);
  });
});
