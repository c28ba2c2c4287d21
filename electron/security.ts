import path from 'node:path';
import type { Session, WebContents } from 'electron';

/** The renderer is served from this origin by a custom protocol, never from file:// or the network. */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://dcod`;
export const APP_ENTRY = `${APP_ORIGIN}/index.html`;

export const ELECTRON_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function isAppUrl(url: string): boolean {
  try {
    // Not `origin`: WHATWG gives non-special schemes an opaque origin ("null") outside Chromium.
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === 'dcod';
  } catch {
    return false;
  }
}

/** Maps an app:// URL to a file under `root`, or undefined when it would leave `root`. */
export function appFile(root: string, url: string): string | undefined {
  if (!isAppUrl(url)) return undefined;
  const rel = decodeURIComponent(new URL(url).pathname).replace(/^\/+/, '') || 'index.html';
  const file = path.resolve(root, rel);
  return file.startsWith(root + path.sep) ? file : undefined;
}

/** No navigation away from the app, no new windows, no <webview>. */
export function hardenWebContents(contents: Pick<WebContents, 'on' | 'setWindowOpenHandler'>): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** Every permission request (camera, notifications, geolocation…) is denied: DCoD needs none. */
export function hardenSession(session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
