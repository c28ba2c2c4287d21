/**
 * Driving the editor's canvas in Chromium as a person does: HTML5 drag and drop from the palette, mouse
 * drags with motion (React Flow needs it), and edges drawn from a node's port.
 */
import type { Locator, Page } from 'playwright-core';
import type { Core } from '../../src/api/service';
import { currentLab } from './lab';

const IN_PROCESS = { transport: 'in-process' } as const;

/** The lab's first two VirtualBox hosts in the core's inventory as h1 and h2 (by the lab's key), read once. */
export async function addLabHostsToCore(core: Core): Promise<void> {
  const lab = currentLab();
  const vbox = lab.hosts.filter((h) => h.kind === 'virtualbox').slice(0, 2);
  for (const [i, h] of vbox.entries()) {
    await core.call('hosts.add', { name: `h${i + 1}`, address: h.address, user: lab.user, auth: { method: 'key', keyFile: lab.keyPath } }, IN_PROCESS);
  }
  await core.call('hosts.refresh', {}, IN_PROCESS);
}

export const box = async (l: Locator) => {
  const b = await l.boundingBox();
  if (!b) throw new Error(`no box for ${l.toString()}`);
  return b;
};

/**
 * A node's box once the canvas has stopped moving it (the view fits itself, a host grows when its readout
 * arrives): two readings 100 ms apart that agree. A drop aimed at a box still moving lands beside it.
 */
export async function settledBox(l: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  let last = await box(l);
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const now = await box(l);
    if (JSON.stringify(now) === JSON.stringify(last)) return now;
    last = now;
  }
  return last;
}

export const middle = (b: { x: number; y: number; width: number; height: number }) => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 });

/** Drags a palette item onto the canvas at a page point (HTML5 drag and drop, as a person does it). */
export async function dropFromPalette(page: Page, kind: string, at: { x: number; y: number }) {
  const canvas = page.getByTestId('canvas');
  const c = await box(canvas);
  await page.getByTestId(`palette-${kind}`).dragTo(canvas, { targetPosition: { x: at.x - c.x, y: at.y - c.y } });
}

/** Presses the mouse on `from`, moves in steps (React Flow's drag needs motion), lets go at `to`. */
export async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 6, from.y + 6, { steps: 3 });
  await page.mouse.move(to.x, to.y, { steps: 12 });
  await page.mouse.up();
}

/** Draws an edge from a node's port to the middle of another node. */
export async function connect(page: Page, from: Locator, to: Locator) {
  await from.hover();
  const port = await box(from.locator('xpath=..').locator('.react-flow__handle'));
  await drag(page, middle(port), middle(await box(to)));
}

/** What a host node says it holds: `2 VMs`. */
export const hostCount = (page: Page, host: string) => page.getByTestId(`node-host-${host}`).locator('.host-node-count').textContent();
