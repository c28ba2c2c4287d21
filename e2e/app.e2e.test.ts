import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebServer } from '../src/server/web-server';
import { startApp, type AppHarness } from './support/app';
import { screenshot } from './support/browser';

let app: AppHarness;
let server: WebServer;
let browser: Browser;

beforeAll(async () => {
  app = await startApp();
  ({ server, browser } = app);
});
afterAll(async () => app?.close());
describe('the app in web mode, in Chromium', () => {
  it('opens on an empty datacenter canvas with its panels, connected to the core', async () => {
    const { page, errors } = await app.open();
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
