import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { tempCore } from '../../src/api/core.testkit';
import type { Core } from '../../src/api/service';
import { startWebServer, type WebServer } from '../../src/server/web-server';
import { launchChromium } from './browser';

const RENDERER = path.resolve(import.meta.dirname, '../../dist/renderer');

/** The app in web mode on a fresh core (temp inventory and keys), and Chromium to look at it. */
export interface AppHarness {
  readonly core: Core;
  /** The core's config folder (inventory.yaml, known_hosts…). */
  readonly dir: string;
  readonly server: WebServer;
  readonly browser: Browser;
  /** A new page on the app, at the token URL, recording page errors and console errors. */
  open(): Promise<{ page: Page; errors: string[] }>;
  close(): Promise<void>;
}

export async function startApp(): Promise<AppHarness> {
  await stat(path.join(RENDERER, 'index.html')).catch(() => {
    throw new Error(`the renderer is not built (${RENDERER}): run \`npm run build:renderer\` (npm test does it)`);
  });
  const temp = await tempCore();
  const server = await startWebServer({ service: temp.core, staticRoot: RENDERER });
  const browser = await launchChromium();
  return {
    core: temp.core,
    dir: temp.dir,
    server,
    browser,
    async open() {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
      await page.goto(server.url);
      return { page, errors };
    },
    async close() {
      await browser.close();
      await server.close();
      await temp.dispose();
    },
  };
}
