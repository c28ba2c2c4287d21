/**
 * The editor in Chromium against the app in web mode, with the lab's two VirtualBox hosts in the
 * inventory: a datacenter drawn by drag and drop only, a VM moved to the other host by dragging, undo,
 * keyboard editing, and the inspector's live validation.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type AppHarness } from './support/app';
import { screenshot } from './support/browser';
import { currentLab } from './support/lab';

let app: AppHarness;
const IN_PROCESS = { transport: 'in-process' } as const;

beforeAll(async () => {
  const lab = currentLab();
  app = await startApp();
  const vbox = lab.hosts.filter((h) => h.kind === 'virtualbox').slice(0, 2);
  for (const [i, h] of vbox.entries()) {
    await app.core.call('hosts.add', { name: `h${i + 1}`, address: h.address, user: lab.user, auth: { method: 'key', keyFile: lab.keyPath } }, IN_PROCESS);
  }
  await app.core.call('hosts.refresh', {}, IN_PROCESS);
});
afterAll(async () => {
  await app?.close();
});

const box = async (l: Locator) => {
  const b = await l.boundingBox();
  if (!b) throw new Error(`no box for ${l.toString()}`);
  return b;
};

/** Drags a palette item onto the canvas at a page point (HTML5 drag and drop, as a person does it). */
async function dropFromPalette(page: Page, kind: string, at: { x: number; y: number }) {
  const canvas = page.getByTestId('canvas');
  const c = await box(canvas);
  await page.getByTestId(`palette-${kind}`).dragTo(canvas, { targetPosition: { x: at.x - c.x, y: at.y - c.y } });
}

/** Presses the mouse on `from`, moves in steps (React Flow's drag needs motion), lets go at `to`. */
async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 6, from.y + 6, { steps: 3 });
  await page.mouse.move(to.x, to.y, { steps: 12 });
  await page.mouse.up();
}

const middle = (b: { x: number; y: number; width: number; height: number }) => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 });

/** Draws an edge from a node's port to the middle of another node. */
async function connect(page: Page, from: Locator, to: Locator) {
  await from.hover();
  const port = await box(from.locator('xpath=..').locator('.react-flow__handle'));
  await drag(page, middle(port), middle(await box(to)));
}

const hostCount = (page: Page, host: string) => page.getByTestId(`node-host-${host}`).locator('.host-node-count').textContent();

describe('the datacenter editor, in Chromium', () => {
  it('builds 2 switches and 4 VMs on the 2 lab hosts by drag and drop, moves a VM by dragging, and undoes it', async () => {
    const { page, errors } = await app.open();
    const h1 = page.getByTestId('node-host-h1');
    const h2 = page.getByTestId('node-host-h2');
    await h1.waitFor();
    await h2.waitFor();
    await h1.getByText(/VirtualBox \d/).waitFor({ timeout: 60_000 });
    await screenshot(page, 'editor-01-hosts');

    // Two switches above the hosts.
    const b1 = await box(h1);
    const b2 = await box(h2);
    await dropFromPalette(page, 'switch', { x: b1.x + b1.width / 2, y: b1.y - 90 });
    await dropFromPalette(page, 'switch', { x: b2.x + b2.width / 2, y: b2.y - 90 });
    await page.getByTestId('node-switch-net1').waitFor();
    await page.getByTestId('node-switch-net2').waitFor();

    // Two VMs into each host.
    for (const [host, b] of [['h1', b1], ['h2', b2]] as const) {
      await dropFromPalette(page, 'vm', { x: b.x + 110, y: b.y + b.height - 50 });
      await dropFromPalette(page, 'vm', { x: b.x + b.width - 110, y: b.y + b.height - 50 });
      await expect.poll(() => hostCount(page, host)).toBe('2 VMs');
    }
    await expect(page.locator('.react-flow__node-vm').count()).resolves.toBe(4);
    await expect(page.getByTestId('node-vm-vm1').getAttribute('data-status')).resolves.toBe('new');

    // Cables: vm1 and vm3 on net1, vm2 and vm4 on net2.
    await page.getByTestId('fit').click();
    await page.waitForTimeout(300); // the fit animation
    for (const [vm, sw] of [['vm1', 'net1'], ['vm3', 'net1'], ['vm2', 'net2'], ['vm4', 'net2']]) {
      await connect(page, page.getByTestId(`node-vm-${vm}`), page.getByTestId(`node-switch-${sw}`));
    }
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(4);
    await screenshot(page, 'editor-02-drawn');

    // Move vm2 to h2 by dragging it there; the host bars and counts follow.
    const vm2 = page.getByTestId('node-vm-vm2');
    const to = await box(h2);
    await drag(page, middle(await box(vm2)), { x: to.x + to.width / 2, y: to.y + to.height - 40 });
    await expect.poll(() => hostCount(page, 'h2')).toBe('3 VMs');
    await expect(hostCount(page, 'h1')).resolves.toBe('1 VM');
    await screenshot(page, 'editor-03-moved');

    // Undo puts it back; redo moves it again; undo once more.
    await page.keyboard.press('Control+z');
    await expect.poll(() => hostCount(page, 'h1')).toBe('2 VMs');
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => hostCount(page, 'h2')).toBe('3 VMs');
    await page.getByTestId('undo').click();
    await expect.poll(() => hostCount(page, 'h1')).toBe('2 VMs');
    await screenshot(page, 'editor-04-undone');
    expect(errors).toEqual([]);
  });
});
