import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Web mode's access rules, like Jupyter's: the server listens on 127.0.0.1 only and every request must
 * carry the random token printed at start — in the URL once (it is then kept in an HttpOnly, SameSite=Strict
 * cookie), or as `Authorization: Bearer`. Requests naming another Host or coming from another Origin are
 * refused too, so a web page the user visits can't reach the API by DNS rebinding or a cross-site WebSocket.
 */
export const TOKEN_COOKIE = 'dcod_token';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export function tokensEqual(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** The token a request carries, from (in order) the query string, the bearer header, the cookie. */
export function requestToken(req: IncomingMessage, url: URL): string | undefined {
  const fromQuery = url.searchParams.get('token');
  if (fromQuery !== null) return fromQuery;
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length);
  return cookieValue(req.headers.cookie, TOKEN_COOKIE);
}

export type AccessVerdict = { ok: true } | { ok: false; status: 401 | 403; reason: string };

/** Checks Host, Origin and token; `port` is the port actually bound. */
export function checkAccess(req: IncomingMessage, url: URL, token: string, port: number): AccessVerdict {
  const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  if (!allowedHosts.includes(req.headers.host ?? '')) {
    return { ok: false, status: 403, reason: `Host ${JSON.stringify(req.headers.host ?? '')} is not this server (expected ${allowedHosts.join(' or ')})` };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedHosts.map((h) => `http://${h}`).includes(origin)) {
    return { ok: false, status: 403, reason: `cross-origin request from ${origin} refused` };
  }
  if (!tokensEqual(requestToken(req, url), token)) {
    return { ok: false, status: 401, reason: 'missing or wrong token: open the URL that `dcod serve` printed (it ends in ?token=…)' };
  }
  return { ok: true };
}
