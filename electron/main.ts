import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { BrowserWindow, app, ipcMain, protocol, safeStorage, session } from 'electron';
import { createService } from '../src/api/service';
import { configPaths } from '../src/config-paths';
import { DEFAULT_WATCHDOG_MS } from '../src/overlay/watchdog';
import { SealedFileKeychain } from '../src/secrets/keychain';
import { bindService } from './ipc';
import { APP_ENTRY, APP_SCHEME, ELECTRON_CSP, appFile, hardenSession, hardenWebContents, isAppUrl } from './security';
import { windowOptions } from './window';

// The shell is thin on purpose: the core does the work; this file only binds it to a window.
const root = app.getAppPath();
const rendererRoot = path.join(root, 'dist', 'renderer');
const preload = path.join(root, 'dist', 'electron', 'preload.cjs');

app.enableSandbox();
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));

const MIME: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' };

async function start(): Promise<void> {
  hardenSession(session.defaultSession);
  protocol.handle(APP_SCHEME, async (request) => {
    const file = appFile(rendererRoot, request.url);
    if (!file) return new Response('not found', { status: 404 });
    const body = await readFile(file).catch(() => undefined);
    if (!body) return new Response('not found', { status: 404 });
    return new Response(body, { headers: { 'content-type': MIME[path.extname(file)] ?? 'application/octet-stream', 'content-security-policy': ELECTRON_CSP } });
  });

  // Passwords are sealed with the OS keychain; without one they are kept for this session only.
  const keychain = safeStorage.isEncryptionAvailable()
    ? new SealedFileKeychain(configPaths().keychain, { encrypt: (s) => safeStorage.encryptString(s), decrypt: (b) => safeStorage.decryptString(b) })
    : undefined;
  const service = await createService({ ...(keychain ? { keychain } : {}), overlayWatchdogMs: DEFAULT_WATCHDOG_MS });
  if (!keychain) service.activity.add('warn', 'core', 'no OS keychain is available: passwords you enter are kept only until DCoD quits');
  app.on('will-quit', () => void service.close());
  bindService(ipcMain, service, {
    isTrustedSender: (event) => isAppUrl(event.senderFrame?.url ?? ''),
    broadcast: (channel, data) => {
      for (const win of BrowserWindow.getAllWindows()) win.webContents.send(channel, data);
    },
  });

  const win = new BrowserWindow(windowOptions(preload));
  win.once('ready-to-show', () => win.show());
  await win.loadURL(APP_ENTRY);
}

app.whenReady().then(start, (err: unknown) => {
  console.error(err);
  app.exit(1);
});
app.on('window-all-closed', () => app.quit());
