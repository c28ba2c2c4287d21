import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { APP_ENTRY, ELECTRON_CSP, appFile, hardenSession, hardenWebContents } from './security';

/** A WebContents stand-in that records what the hardening registers; Electron's own objects can't run here. */
function fakeContents() {
  const emitter = new EventEmitter();
  let openHandler: (() => { action: string }) | undefined;
  const contents = {
    on: (event: string, fn: (...args: unknown[]) => void) => emitter.on(event, fn),
    setWindowOpenHandler: (fn: () => { action: string }) => {
      openHandler = fn;
    },
  };
  const fire = (event: string, ...args: unknown[]) => {
    let prevented = false;
    emitter.emit(event, { preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  };
  return { contents, fire, open: () => openHandler?.() };
}

describe('window hardening', () => {
  it('blocks navigation and redirects away from the app, but not within it', () => {
    const { contents, fire } = fakeContents();
    hardenWebContents(contents as never);
    expect(fire('will-navigate', 'https://example.com/')).toBe(true);
    expect(fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(fire('will-redirect', 'http://127.0.0.1:8080/')).toBe(true);
    expect(fire('will-navigate', APP_ENTRY)).toBe(false);
  });

  it('denies new windows and <webview>', () => {
    const { contents, fire, open } = fakeContents();
    hardenWebContents(contents as never);
    expect(open()).toEqual({ action: 'deny' });
    expect(fire('will-attach-webview')).toBe(true);
  });

  it('denies every permission request and check', () => {
    let request: ((c: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined;
    let check: (() => boolean) | undefined;
    hardenSession({ setPermissionRequestHandler: (fn: never) => (request = fn), setPermissionCheckHandler: (fn: never) => (check = fn) } as never);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      let granted: boolean | undefined;
      request!(undefined, permission, (ok) => (granted = ok));
      expect(granted).toBe(false);
    }
    expect(check!()).toBe(false);
  });

  it('serves only files inside the renderer folder, with a strict CSP', () => {
    expect(appFile('/r', 'app://dcod/index.html')).toBe('/r/index.html');
    expect(appFile('/r', 'app://dcod/')).toBe('/r/index.html');
    expect(appFile('/r', 'app://dcod/assets/x.js')).toBe('/r/assets/x.js');
    expect(appFile('/r', 'app://dcod/..%2f..%2fetc/passwd')).toBeUndefined();
    expect(appFile('/r', 'app://other/index.html')).toBeUndefined();
    expect(appFile('/r', 'https://dcod/index.html')).toBeUndefined();
    expect(ELECTRON_CSP).toMatch(/default-src 'self'/);
    expect(ELECTRON_CSP).toMatch(/object-src 'none'/);
    expect(ELECTRON_CSP).not.toMatch(/unsafe-eval/);
  });
});
