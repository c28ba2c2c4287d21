/**
 * The editor's review and apply in Chromium against the app in web mode, checked on the lab hosts
 * themselves: a 2-host, 2-switch, 4-VM datacenter drawn from an empty canvas by drag and drop only,
 * reviewed and applied (an operation failing on its host first, shown on its node, and retried from
 * there; then the VMs run on the hosts); a VM dragged to the other host and applied (it runs
 * there, not here), the move undone and applied; then the new VM's edits undone and applied (it is gone
 * from its host). Everything the test made on the hosts is destroyed afterwards.
 */
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeLeftovers, vboxList } from './apply-fixture';
import { startApp, type AppHarness } from './support/app';
import { screenshot } from './support/browser';
import { addLabHostsToCore, box, connect, drag, dropFromPalette, hostCount, middle } from './support/canvas';
import { sshHost } from './support/lab';

/** The name every new datacenter starts with in the editor (store/editor.ts DEFAULT_DATACENTER). */
const DC = 'datacenter';
const HOSTS = ['h1', 'h2'] as const;
const IN_PROCESS = { transport: 'in-process' } as const;

let app: AppHarness;
let file: string;

beforeAll(async () => {
  app = await startApp();
  file = path.join(app.dir, 'datacenter.yaml');
  await addLabHostsToCore(app.core);
  for (const h of HOSTS) await removeLeftovers(h, DC);
}, 60_000);

afterAll(async () => {
  // Destroy through the core (as `dcod destroy` does), then sweep whatever a cut-off apply left behind.
  try {
    const view = await app.core.call('plan.make', { file, destroy: true }, IN_PROCESS);
    await app.core.call('apply.run', { file: view.file, planId: view.planId }, IN_PROCESS);
  } catch {
    // No document was saved, or the destroy failed part-way: the sweep below cleans up either way.
  }
  for (const h of HOSTS) await removeLeftovers(h, DC);
  await app?.close();
}, 120_000);

const pending = (page: Page) => page.getByTestId('pending-changes').getAttribute('data-count');

/** Review by its key (save + plan), check the plan lists `expected` operations, Apply, and wait for the outcome. */
async function reviewAndApply(page: Page, shot: string, expected: readonly string[]): Promise<void> {
  await page.keyboard.press('Control+Enter');
  const panel = page.getByTestId('review-panel');
  for (const id of expected) await panel.getByTestId(`review-op-${id}`).waitFor({ timeout: 30_000 });
  await screenshot(page, `${shot}-review`);
  await panel.getByTestId('apply').click();
  const result = panel.getByTestId('apply-result');
  await result.waitFor({ timeout: 90_000 });
  await screenshot(page, `${shot}-applied`);
  const failed = await panel.locator('.review-op[data-state="failed"]').allTextContents();
  expect(await result.getAttribute('data-ok'), [await result.textContent(), ...failed].join('\n')).toBe('true');
  // After the apply the hosts are read again: the preview of the same document has nothing left to do.
  await expect.poll(() => pending(page), { timeout: 30_000 }).toBe('0');
  await panel.getByRole('button', { name: 'Close the review' }).click();
}

describe('review and apply from the editor, checked on the lab hosts', () => {
  it('draws, applies, moves a VM, undoes the move and a new VM, each applied and seen on the hosts', async () => {
    const { page, errors } = await app.open();
    const h1 = page.getByTestId('node-host-h1');
    const h2 = page.getByTestId('node-host-h2');
    await h1.getByText(/VirtualBox \d/).waitFor({ timeout: 60_000 });
    await h2.getByText(/VirtualBox \d/).waitFor({ timeout: 60_000 });

    // The document file: not there yet, so the canvas (empty) will be saved there.
    await page.getByTestId('doc-file').fill(file);
    await page.getByTestId('doc-open').click();
    await expect.poll(() => page.getByTestId('doc-status').textContent()).toMatch(/new file/);
    await expect(page.getByTestId('canvas-count').textContent()).resolves.toBe('0 items');

    // Two switches, VMs vm1+vm2 in h1 and vm3 in h2, each cabled; then vm4 in h2, cabled last, so that
    // undoing the last two edits takes exactly vm4 away.
    const b1 = await box(h1);
    const b2 = await box(h2);
    await dropFromPalette(page, 'switch', { x: b1.x + b1.width / 2, y: b1.y - 90 });
    await dropFromPalette(page, 'switch', { x: b2.x + b2.width / 2, y: b2.y - 90 });
    await dropFromPalette(page, 'vm', { x: b1.x + 110, y: b1.y + b1.height - 50 });
    await dropFromPalette(page, 'vm', { x: b1.x + b1.width - 110, y: b1.y + b1.height - 50 });
    await dropFromPalette(page, 'vm', { x: b2.x + 110, y: b2.y + b2.height - 50 });
    await expect.poll(() => hostCount(page, 'h1')).toBe('2 VMs');
    await expect.poll(() => hostCount(page, 'h2')).toBe('1 VM');
    await page.getByTestId('fit').click();
    await page.waitForTimeout(300); // the fit animation
    for (const [vm, sw] of [['vm1', 'net1'], ['vm2', 'net2'], ['vm3', 'net1']]) await connect(page, page.getByTestId(`node-vm-${vm}`), page.getByTestId(`node-switch-${sw}`));
    const b2now = await box(h2);
    await dropFromPalette(page, 'vm', { x: b2now.x + b2now.width - 80, y: b2now.y + b2now.height - 40 });
    await expect.poll(() => hostCount(page, 'h2')).toBe('2 VMs');
    await page.getByTestId('fit').click();
    await page.waitForTimeout(300);
    await connect(page, page.getByTestId('node-vm-vm4'), page.getByTestId('node-switch-net2'));
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(4);
    await expect.poll(() => pending(page)).not.toBe('0');
    await screenshot(page, 'editor-apply-01-drawn');

    // A settings file left where vm1's goes on h1 (a VM deleted by hand, half-way): creating vm1 will fail.
    const stray = `"$HOME/VirtualBox VMs/dcod/${DC}/vm1"`;
    expect((await sshHost('h1', `mkdir -p ${stray} && touch ${stray}/vm1.vbox`)).code).toBe(0);

    // Review: each VM's operations on its host, with their exact commands.
    await page.getByTestId('review-open').click();
    const panel = page.getByTestId('review-panel');
    for (const id of ['vm/vm1/create@h1', 'vm/vm2/create@h1', 'vm/vm3/create@h2', 'vm/vm4/create@h2']) await panel.getByTestId(`review-op-${id}`).waitFor({ timeout: 30_000 });
    const create = panel.getByTestId('review-op-vm/vm1/create@h1');
    await expect(create.getByTestId('review-op-host').textContent()).resolves.toBe('h1');
    await expect(create.getByTestId('review-op-commands').textContent()).resolves.toMatch(/\$ VBoxManage createvm .*vm1/);
    await screenshot(page, 'editor-apply-02-review');

    // Apply. The editor stays unlocked while it runs: a VM nudged meanwhile moves (an edit of the layout
    // only, so it plans nothing and the document is left unsaved).
    await panel.getByTestId('apply').click();
    await page.getByTestId('applying').waitFor();
    const vm1 = page.getByTestId('node-vm-vm1');
    const before = await box(vm1);
    await vm1.click();
    await page.keyboard.press('ArrowRight');
    await expect.poll(async () => (await box(vm1)).x).toBeGreaterThan(before.x);
    await expect(page.getByTestId('doc-save').textContent()).resolves.toBe('Save');
    await screenshot(page, 'editor-apply-03-applying');

    // vm1 failed: its node shows the host's own message, and a Retry.
    await panel.locator('[data-testid="apply-result"][data-ok="false"]').waitFor({ timeout: 90_000 });
    const failure = vm1.getByTestId('node-op');
    await expect(failure.getAttribute('data-state')).resolves.toBe('failed');
    await expect(failure.textContent()).resolves.toMatch(/vm1\.vbox' already exists/);
    await screenshot(page, 'editor-apply-04-failed');

    // The stray file cleared, Retry on the node runs the same plan again: only what failed or was skipped.
    expect((await sshHost('h1', `rm -rf ${stray}`)).code).toBe(0);
    await vm1.getByTestId('node-retry').click();
    await panel.locator('[data-testid="apply-result"][data-ok="true"]').waitFor({ timeout: 90_000 });
    await expect.poll(() => pending(page), { timeout: 30_000 }).toBe('0');
    await screenshot(page, 'editor-apply-05-applied');
    await panel.getByRole('button', { name: 'Close the review' }).click();

    // The VMs run on the hosts.
    expect(await vboxList('h1', 'runningvms')).toEqual(expect.arrayContaining(['vm1', 'vm2']));
    expect(await vboxList('h2', 'runningvms')).toEqual(expect.arrayContaining(['vm3', 'vm4']));
    await expect(page.getByTestId('node-vm-vm1').getByTestId('vm-status').textContent()).resolves.toBe('running');

    // Drag vm2 into h2: a move, planned and applied; it runs on h2 and no longer exists on h1.
    const to = await box(h2);
    await drag(page, middle(await box(page.getByTestId('node-vm-vm2'))), { x: to.x + to.width / 2, y: to.y + to.height - 40 });
    await expect.poll(() => hostCount(page, 'h2')).toBe('3 VMs');
    await expect.poll(() => pending(page)).not.toBe('0');
    await reviewAndApply(page, 'editor-apply-06-move', ['vm/vm2/export@h1', 'vm/vm2/delete@h1']);
    expect(await vboxList('h2', 'runningvms')).toContain('vm2');
    expect(await vboxList('h1', 'vms')).not.toContain('vm2');

    // Undo the move (Ctrl+Z): the document has vm2 on h1 again; applied, it moves back.
    await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
    await page.keyboard.press('Control+z');
    await expect.poll(() => hostCount(page, 'h1')).toBe('2 VMs');
    await reviewAndApply(page, 'editor-apply-07-move-undone', ['vm/vm2/export@h2', 'vm/vm2/delete@h2']);
    expect(await vboxList('h1', 'runningvms')).toContain('vm2');
    expect(await vboxList('h2', 'vms')).not.toContain('vm2');

    // Undo the nudge made while applying, vm4's cable and vm4 itself, edits applied long ago: the plan
    // deletes it, and it is gone from h2.
    for (let i = 0; i < 3; i++) await page.keyboard.press('Control+z');
    // Until the apply, h2 still runs it: the canvas shows it there as not in the document.
    await expect.poll(() => page.getByTestId('node-vm-vm4').getAttribute('data-status')).toBe('orphan');
    await reviewAndApply(page, 'editor-apply-08-vm-undone', ['vm/vm4/delete@h2']);
    expect(await vboxList('h2', 'vms')).not.toContain('vm4');
    expect(await vboxList('h2', 'runningvms')).toContain('vm3');
    expect(errors).toEqual([]);
  }, 300_000);
});
