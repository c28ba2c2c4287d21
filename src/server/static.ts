import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { ServerResponse } from 'node:http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

/** The renderer's CSP: same as the Electron window's, plus the WebSocket back to this origin. */
export const WEB_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Serves a file from `root` for a URL path; paths that resolve outside `root` are 404 (no traversal).
 * Unknown paths fall back to index.html so the single-page app owns routing.
 */
export async function serveStatic(root: string, urlPath: string, res: ServerResponse): Promise<void> {
  const rel = decodeURIComponent(urlPath).replace(/^\/+/, '');
  let file = path.resolve(root, rel || 'index.html');
  if (file !== root && !file.startsWith(root + path.sep)) {
    res.writeHead(404).end('not found');
    return;
  }
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) file = path.join(root, 'index.html');
  const exists = await stat(file).catch(() => undefined);
  if (!exists) {
    res.writeHead(503, { 'content-type': 'text/plain' }).end(`the renderer is not built (${root} is missing): run \`npm run build:renderer\``);
    return;
  }
  res.writeHead(200, {
    'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-security-policy': WEB_CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'no-store',
  });
  createReadStream(file).pipe(res);
}
