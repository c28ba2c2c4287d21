import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type AppHarness } from './support/app';
import { screenshot } from './support/browser';
import { currentLab, type LabInfo } from './support/lab';

let app: AppHarness;
let lab: LabInfo;

beforeAll(async () => {
  lab = currentLab();
  app = await startApp();
});
afterAll(async () => app?.close());
/** The row of one discovered address in the Discover dialog. */
const candidateRow = (page: Page, address: string) => page.getByTestId(`candidate-${address}`);

describe('Hosts panel and Discover dialog, against the lab', () => {
  it('discovers the lab, adds a host from a discovered row with its password, and shows it reachable', async () => {
    const { page, errors } = await app.open();
    await page.getByTestId('hosts-empty').getByText('No hosts yet.').waitFor();

    // Discover: nothing is swept until a range is typed.
    await page.getByTestId('hosts-discover').click();
    const dialog = page.getByTestId('discover-dialog');
    await dialog.waitFor();
    await page.getByTestId('discover-start').click();
    await page.getByTestId('discover-ranges-error').waitFor();
    await expect(page.getByTestId('discover-state').getAttribute('data-phase')).resolves.toBe('idle');

    // A range the core refuses (too large) comes back as the core's own message; nothing is swept.
    await page.getByTestId('discover-ranges').fill('10.0.0.0/8');
    await page.getByTestId('discover-start').click();
    await expect(page.getByTestId('discover-error').textContent()).resolves.toMatch(/10\.0\.0\.0\/8/);
    await expect(page.getByTestId('discover-results').count()).resolves.toBe(0);

    await page.getByTestId('discover-ranges').fill(lab.cidr);
    await page.getByTestId('discover-user').fill(lab.user);
    await page.getByTestId('discover-method-password').check();
    await page.getByTestId('discover-password').fill(lab.password);
    await page.getByTestId('discover-start').click();
    await expect(page.getByTestId('discover-password').inputValue()).resolves.toBe(''); // not kept once sent
    await page.locator('[data-testid="discover-state"][data-phase="done"]').waitFor({ timeout: 60_000 });

    for (const h of lab.hosts) {
      const row = candidateRow(page, h.address);
      const status = row.getByTestId('candidate-status');
      if (h.kind === 'virtualbox') {
        await expect(status.textContent()).resolves.toMatch(/^VirtualBox \d+\.\d+\.\d+/);
        await expect(row.textContent()).resolves.toMatch(/\d+ CPUs · RAM .+ · \d+ VMs? · (no dcod-proxy|dcod-proxy present)/);
        await expect(row.getByTestId('candidate-add').isVisible()).resolves.toBe(true);
      } else {
        await expect(status.textContent()).resolves.toBe('SSH, no VirtualBox');
        await expect(row.getByTestId('candidate-add').count()).resolves.toBe(0);
      }
      await expect(row.textContent()).resolves.toContain('SSH-2.0-OpenSSH');
    }
    await screenshot(page, 'hosts-discover');

    // Add the first VirtualBox host from its row: the form is pre-filled, the password is typed again.
    const target = lab.hosts.find((h) => h.kind === 'virtualbox')!;
    await candidateRow(page, target.address).getByTestId('candidate-add').click();
    const form = page.getByTestId('add-host-dialog');
    await form.waitFor();
    await expect(page.getByTestId('add-host-address').inputValue()).resolves.toBe(target.address);
    await expect(page.getByTestId('add-host-user').inputValue()).resolves.toBe(lab.user);
    await expect(page.getByTestId('add-host-password').inputValue()).resolves.toBe('');

    // A name the core refuses: its message shows by the field, and the password field is emptied.
    await page.getByTestId('add-host-name').fill('not a name!');
    await page.getByTestId('add-host-password').fill(lab.password);
    await page.getByTestId('add-host-submit').click();
    await expect(page.getByTestId('add-host-name-error').textContent()).resolves.toMatch(/letters, digits/);
    await expect(page.getByTestId('add-host-password').inputValue()).resolves.toBe('');
    await expect(page.getByTestId('add-host-name').getAttribute('aria-invalid')).resolves.toBe('true');
    await screenshot(page, 'hosts-add-invalid');

    const name = `lab-${target.name}`;
    await page.getByTestId('add-host-name').fill(name);
    await page.getByTestId('add-host-password').fill(lab.password);
    await page.getByTestId('add-host-submit').click();
    await form.waitFor({ state: 'detached' });
    await candidateRow(page, target.address).getByText('in inventory').waitFor();
    await page.keyboard.press('Escape'); // the keyboard closes the dialog on top
    await dialog.waitFor({ state: 'detached' });

    // Refresh: a progress indicator while it runs, then the host reachable with its version and figures.
    const row = page.getByTestId(`host-${name}`);
    await row.waitFor();
    await row.getByTestId('host-refreshing').waitFor({ state: 'detached', timeout: 60_000 });
    await page.getByTestId('hosts-refresh').click();
    await row.getByTestId('host-refreshing').waitFor({ state: 'detached', timeout: 60_000 });
    await expect(row.getByTestId('host-status').textContent()).resolves.toMatch(/^VirtualBox \d+\.\d+\.\d+\S*$/);
    await expect(row.getByTestId('host-figures').textContent()).resolves.toMatch(/CPU\d+ CPUs.*RAM.+ \/ .+\d+ VMs? · (no dcod-proxy|dcod-proxy present)/);

    // Two more through the empty form, with the lab key file: the plain host, and the router, which runs no sshd.
    const plain = lab.hosts.find((h) => h.kind === 'plain');
    const more = [...(plain ? [{ name: 'lab-plain', address: plain.address }] : []), { name: 'lab-router', address: lab.gateway }];
    for (const h of more) {
      await page.getByTestId('hosts-add').click();
      await page.getByTestId('add-host-name').fill(h.name);
      await page.getByTestId('add-host-address').fill(h.address);
      await page.getByTestId('add-host-user').fill(lab.user);
      await page.getByTestId('add-host-method-key').check();
      await page.getByTestId('add-host-keyfile').fill(lab.keyPath);
      await page.getByTestId('add-host-submit').click();
      await page.getByTestId('add-host-dialog').waitFor({ state: 'detached' });
    }
    await page.getByTestId('hosts-refresh').click();
    await page.getByTestId('host-refreshing').first().waitFor({ state: 'detached', timeout: 60_000 });
    await expect(page.getByTestId('hosts-refresh').isEnabled()).resolves.toBe(true);
    if (plain) await expect(page.getByTestId('host-lab-plain').getByTestId('host-status').textContent()).resolves.toMatch(/^SSH, no VirtualBox/);
    await expect(page.getByTestId('host-lab-router').getByTestId('host-status').textContent()).resolves.toMatch(/^Unreachable.+/);
    await screenshot(page, 'hosts-panel');

    // Remove asks first, and Cancel keeps the host.
    const router = page.getByTestId('host-lab-router');
    await router.getByTestId('host-remove').click();
    await router.getByTestId('host-remove-confirm').getByRole('button', { name: 'Cancel' }).click();
    await router.getByTestId('host-remove').click();
    await router.getByTestId('host-remove-confirm').getByRole('button', { name: 'Remove' }).click();
    await router.waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Toggle theme' }).click();
    await screenshot(page, 'hosts-panel-light');

    // The password went to the keychain: not to the browser's storage, not to the inventory file.
    await expect(page.evaluate(() => JSON.stringify({ ...localStorage }))).resolves.not.toContain(lab.password);
    await expect(readFile(path.join(app.dir, 'inventory.yaml'), 'utf8')).resolves.not.toContain(lab.password);
    expect(errors).toEqual([]);
  });
});
