import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The main window's options. Every web preference that matters for security is spelled out, not left to
 * defaults, so a reader (and the test beside this file) can check them against Electron's checklist.
 */
export function windowOptions(preload: string): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'DCoD',
    backgroundColor: '#0b1020',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}
