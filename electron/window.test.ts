import { describe, expect, it } from 'vitest';
import { windowOptions } from './window';

describe('main window options', () => {
  it('isolate and sandbox the renderer, with no Node anywhere', () => {
    const prefs = windowOptions('/app/dist/electron/preload.cjs').webPreferences!;
    expect(prefs).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
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
    });
  });
});
