import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempCore } from '../src/api/core.testkit';
import { startWebServer, type WebServer } from '../src/server/web-server';
import { launchChromium, screenshot } from './support/browser';

const RENDERER = path.resolve(import.meta.dirname, '../dist/renderer');

let server: WebServer;
let browser: Browser;
let dispose: (() => Promise<void>) | undefined;

beforeAll(async () => {
  await stat(path.join(RENDERER, 'index.html')).catch(() => {
    throw new Error(`the renderer is not built (${RENDERER}): run \`npm run build:renderer\` (npm test does it)`);
  });
  const temp = await tempCore();
  dispose = temp.dispose;
  server = await startWebServer({ service: temp.core, staticRoot: RENDERER });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await dispose?.();
});

describe('the app in web mode, in Chromium', () => {
  it('opens on an empty datacenter canvas with its panels, connected to the core', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));

    await page.goto(server.url);
    expect(page.url()).toBe(`http://127.0.0.1:${server.port}/`); // the token left the address bar

    await page.getByTestId('canvas').locator('.react-flow__pane').waitFor();
    for (const panel of ['panel-hosts', 'panel-palette', 'panel-inspector', 'panel-activity']) {
      await expect(page.getByTestId(panel).isVisible()).resolves.toBe(true);
    }
    await expect(page.getByTestId('canvas-empty').textContent()).resolves.toContain('An empty datacenter');
    await page.locator('.react-flow__minimap').waitFor();
    await page.locator('.react-flow__controls').waitFor();
    for (const kind of ['vm', 'switch', 'router', 'volume']) {
      await expect(page.getByTestId(`palette-${kind}`).getAttribute('draggable')).resolves.toBe('true');
    }
    await page.getByTestId('connection').filter({ hasText: /^connected$/ }).waitFor();
    // The renderer logs its own start through the API: a call and an event that made the round trip.
    await page.getByTestId('panel-activity').getByText(/opened DCoD .* over websocket/).waitFor();
    await screenshot(page, 'app-empty-canvas');

    await page.getByRole('button', { name: 'Toggle theme' }).click();
    await expect(page.evaluate(() => document.documentElement.dataset.theme)).resolves.toBe('light');
    await screenshot(page, 'app-empty-canvas-light');
    expect(errors).toEqual([]);
  });

  it('shows nothing to a browser without the token', async () => {
    const page = await browser.newPage();
    const res = await page.goto(`http://127.0.0.1:${server.port}/`);
    expect(res?.status()).toBe(401);
    await expect(page.textContent('body')).resolves.toContain('missing or wrong token');
  });
});
