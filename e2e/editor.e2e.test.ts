/**
 * The editor in Chromium against the app in web mode, with the lab's two VirtualBox hosts in the
 * inventory: a datacenter drawn by drag and drop only, a VM moved to the other host by dragging, undo,
 * keyboard editing, and the inspector's live validation.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type AppHarness } from './support/app';
import { screenshot } from './support/browser';
import { addLabHostsToCore, box, connect, drag, dropFromPalette, hostCount, middle, settledBox } from './support/canvas';

let app: AppHarness;

beforeAll(async () => {
  app = await startApp();
  await addLabHostsToCore(app.core);
});
afterAll(async () => {
  await app?.close();
});

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
    const b1 = await settledBox(h1);
    const b2 = await settledBox(h2);
    await dropFromPalette(page, 'switch', { x: b1.x + b1.width / 2, y: b1.y - 90 });
    await dropFromPalette(page, 'switch', { x: b2.x + b2.width / 2, y: b2.y - 90 });
    await page.getByTestId('node-switch-net1').waitFor();
    await page.getByTestId('node-switch-net2').waitFor();

    // Two VMs into each host, each aimed at where the host is now.
    for (const [host, node] of [['h1', h1], ['h2', h2]] as const) {
      let b = await settledBox(node);
      await dropFromPalette(page, 'vm', { x: b.x + 110, y: b.y + b.height - 50 });
      b = await settledBox(node);
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

    // A volume dropped on a VM is attached to it; a router dropped above is cabled to both switches.
    const vm1 = await box(page.getByTestId('node-vm-vm1'));
    await dropFromPalette(page, 'volume', middle(vm1));
    await page.getByTestId('node-volume-disk1').waitFor();
    await expect(page.getByTestId('node-vm-vm1').getAttribute('class')).resolves.toContain('node-vm');
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(5);
    const n1 = await box(page.getByTestId('node-switch-net1'));
    const n2 = await box(page.getByTestId('node-switch-net2'));
    await dropFromPalette(page, 'router', { x: (n1.x + n2.x + n2.width) / 2, y: n1.y - 70 });
    const router = page.getByTestId('node-router-router1');
    await router.getByTestId('node-problem').waitFor(); // no interface yet
    await connect(page, router, page.getByTestId('node-switch-net1'));
    await connect(page, router, page.getByTestId('node-switch-net2'));
    await expect.poll(() => router.textContent()).toContain('2 interfaces');
    await screenshot(page, 'editor-04a-volume-router');

    // Shift+drag a box round h2's VMs (inside the host's own box, so the host isn't in it); Delete removes
    // both; undo brings them back.
    await page.getByTestId('fit').click();
    await page.waitForTimeout(400);
    const [v3, v4] = [await box(page.getByTestId('node-vm-vm3')), await box(page.getByTestId('node-vm-vm4'))];
    await page.keyboard.down('Shift');
    await page.locator('.react-flow__pane.selection').waitFor(); // Shift turns the canvas into a selection box
    await drag(page, { x: Math.min(v3.x, v4.x) - 6, y: Math.min(v3.y, v4.y) - 6 }, { x: Math.max(v3.x + v3.width, v4.x + v4.width) + 6, y: Math.max(v3.y + v3.height, v4.y + v4.height) + 6 });
    await page.keyboard.up('Shift');
    await expect(page.getByTestId('inspect-selected').textContent()).resolves.toMatch(/^(vm3, vm4|vm4, vm3), with 2 cables$/);
    await page.keyboard.press('Delete');
    await expect.poll(() => hostCount(page, 'h2')).toBe('0 VMs');
    await page.keyboard.press('Control+z');
    await expect.poll(() => hostCount(page, 'h2')).toBe('2 VMs');

    // Auto layout, with its progress bar, then fit.
    await page.getByTestId('auto-layout').click();
    await page.getByTestId('canvas-progress').waitFor({ state: 'detached' });
    await page.getByTestId('fit').click();
    await page.waitForTimeout(400);
    await screenshot(page, 'editor-04b-auto-layout');
    await expect(page.getByTestId('undo').getAttribute('title')).resolves.toMatch(/^Undo Auto layout/);
    expect(errors).toEqual([]);
  });

  it('edits by keyboard and in the inspector, with live validation, copy/paste, delete and the help overlay', async () => {
    const { page, errors } = await app.open();
    const h1 = page.getByTestId('node-host-h1');
    await h1.waitFor();

    // Select the host, then V adds a VM into it; S a switch; the edge comes from a drag.
    await h1.locator('.host-node-head').click();
    await page.keyboard.press('v');
    await page.getByTestId('node-vm-vm1').waitFor();
    await expect(hostCount(page, 'h1')).resolves.toBe('1 VM');
    await page.keyboard.press('s');
    await page.getByTestId('node-switch-net1').waitFor();
    await page.getByTestId('fit').click();
    await page.waitForTimeout(300);
    await connect(page, page.getByTestId('node-vm-vm1'), page.getByTestId('node-switch-net1'));
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(1);

    // The inspector: a bad value is flagged while typing and not kept; a good one lands on the node.
    await page.getByTestId('node-vm-vm1').click();
    const inspector = page.getByTestId('panel-inspector');
    await inspector.getByTestId('inspector-vm').waitFor();
    const cpus = inspector.getByTestId('inspect-cpus');
    await cpus.fill('0');
    await inspector.getByTestId('inspect-cpus-error').waitFor();
    await expect(inspector.getByTestId('inspect-cpus-error').textContent()).resolves.toMatch(/1/);
    await screenshot(page, 'editor-05-inspector-invalid');
    await cpus.fill('4');
    await expect(inspector.getByTestId('inspect-cpus-error').count()).resolves.toBe(0);
    await cpus.press('Enter');
    await expect.poll(() => page.getByTestId('node-vm-vm1').textContent()).toContain('4 vCPU');
    await expect(h1.textContent()).resolves.toContain('4 / 8 vCPU');

    // A taken or malformed name is refused with its reason; a good one renames the node and its edge.
    const name = inspector.getByTestId('inspect-name');
    await name.fill('Web 1');
    await expect(inspector.getByTestId('inspect-name-error').textContent()).resolves.toMatch(/lower-case/);
    await name.fill('web1');
    await name.press('Enter');
    await page.getByTestId('node-vm-web1').waitFor();
    // The edge is drawn again for the renamed node a frame later: polled, as the others are.
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(1);

    // Ctrl+S typed inside a field leaves it, so what was typed goes into the saved document.
    const file = path.join(app.dir, 'editor-keys.yaml');
    await page.getByTestId('doc-file').fill(file);
    await cpus.fill('2');
    await cpus.press('Control+s');
    await expect.poll(() => readFile(file, 'utf8').catch(() => ''), { timeout: 10_000 }).toMatch(/cpus: 2\b/);

    // A router with no interface is flagged on the canvas and in the inspector.
    await page.getByTestId('node-switch-net1').click();
    await page.keyboard.press('r');
    await page.getByTestId('node-router-router1').getByTestId('node-problem').waitFor();
    await expect(page.getByTestId('canvas-problems').textContent()).resolves.toBe('1 problem');
    await screenshot(page, 'editor-06-router-problem');

    // Copy and paste the VM (Ctrl+C, Ctrl+V), delete the router by key, undo the delete.
    await page.getByTestId('node-vm-web1').click();
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await page.getByTestId('node-vm-web2').waitFor();
    await expect(hostCount(page, 'h1')).resolves.toBe('2 VMs');
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(2); // the copy is on net1 too
    await page.getByTestId('node-router-router1').click();
    await page.keyboard.press('Delete');
    await page.getByTestId('node-router-router1').waitFor({ state: 'detached' });
    await page.keyboard.press('Control+z');
    await page.getByTestId('node-router-router1').waitFor();

    // Search dims what doesn't match; Enter selects the match.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+f');
    await page.getByTestId('canvas-search').locator('input').fill('web2');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('canvas-search-count').textContent()).resolves.toBe('1 / 1');
    await expect(page.locator('.react-flow__node.dim').count()).resolves.toBeGreaterThan(2);
    await inspector.getByTestId('inspector-vm').waitFor();
    await expect(inspector.getByTestId('inspect-name').inputValue()).resolves.toBe('web2');
    await page.keyboard.press('Escape');

    // ? lists every shortcut.
    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 300 } });
    await page.keyboard.press('?');
    await page.getByTestId('help-overlay').getByText('Undo').waitFor();
    await screenshot(page, 'editor-07-help');
    await page.keyboard.press('Escape');
    await page.getByTestId('help-overlay').waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Toggle theme' }).click();
    await screenshot(page, 'editor-08-light');
    expect(errors).toEqual([]);
  });
});
