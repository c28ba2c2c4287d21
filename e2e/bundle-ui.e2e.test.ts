/**
 * Snapshots, export and import in Chromium, against the app in web mode and the lab's first two
 * VirtualBox hosts: a snapshot taken from the timeline, a VM deleted behind the app's back, Restore
 * bringing the VM and the document back; an export to a .dcod file with its progress bar showing bytes,
 * rate and time left; then, the datacenter destroyed, the import dialog bringing it back from that file
 * and opening it on the canvas. Two datacenters: the snapshotted one keeps its snapshot (a volume's
 * snapshot children would stop a destroy from deleting the volume), the exported one has a volume.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { Core } from '../src/api/service';
import type { DatacenterInput } from '../src/model/document';
import { startApp, type AppHarness } from './support/app';
import { screenshot } from './support/browser';
import { addLabHostsToCore } from './support/canvas';
import { sshHost } from './support/lab';
import { until } from './support/until';

const DC = 'uibx';
const SNAP_DC = 'uibs';
const IN_PROCESS = { transport: 'in-process' } as const;
const VOLUME_MB = 48;
let app: AppHarness;
let file: string;
let snapFile: string;

/** VMs stopped, the first on h1 and the second on h2; the exported datacenter's v1 has a volume. */
const doc = (name: string, vms: readonly string[]): DatacenterInput => ({
  apiVersion: 'dcod.dev/v1',
  kind: 'Datacenter',
  metadata: { name },
  vms: vms.map((vm) => ({ name: vm, memoryMb: 64, power: 'stopped', ...(name === DC && vm === 'v1' ? { volumes: ['data'] } : {}) })),
  volumes: name === DC ? [{ name: 'data', sizeMb: VOLUME_MB }] : [],
  placement: Object.fromEntries(vms.map((vm, i) => [vm, `h${(i % 2) + 1}`])),
});

/** Plans and applies `f` (or its destruction) through the core, as the app's own calls do. */
async function apply(core: Core, f: string, destroy = false): Promise<void> {
  const view = await core.call('plan.make', { file: f, ...(destroy ? { destroy } : {}) }, IN_PROCESS);
  const result = await core.call('apply.run', { file: f, planId: view.planId }, IN_PROCESS);
  expect(result.ok, JSON.stringify(result)).toBe(true);
}

/** A new page with the snapshots and bundles dialog open, on `f` when given. */
async function openOps(f?: string) {
  const { page, errors } = await app.open();
  await page.getByRole('button', { name: 'Snapshots & bundles' }).click();
  const ops = page.getByTestId('datacenter-ops');
  if (f) {
    await ops.getByLabel('Datacenter document').fill(f);
    await ops.getByRole('button', { name: 'Open' }).click();
  }
  return { page, errors, ops };
}

const vmsOn = async (host: string) => [...(await sshHost(host, 'VBoxManage list vms')).stdout.matchAll(/^"(.*)" \{/gm)].map((m) => m[1]!).filter((n) => !n.startsWith('dcod-proxy-'));

beforeAll(async () => {
  app = await startApp();
  await addLabHostsToCore(app.core);
  file = path.join(app.dir, 'datacenter.yaml');
  snapFile = path.join(app.dir, 'snapshotted.yaml');
  await writeFile(file, stringify(doc(DC, ['v1', 'v2'])));
  await writeFile(snapFile, stringify(doc(SNAP_DC, ['s1', 's2'])));
  await apply(app.core, file);
  await apply(app.core, snapFile);
  // Bytes worth a progress bar: the volume (downloaded as itself, and inside v1's OVA) filled with data.
  const r = await sshHost('h1', `f=$(find "$HOME" -path '*/dcod-${DC}/data.vdi' | head -1); test -n "$f" && head -c ${VOLUME_MB}M /dev/urandom > "$f"`);
  expect(r.code, r.stderr).toBe(0);
}, 300_000);

afterAll(async () => {
  if (!app) return;
  for (const f of [snapFile, file, path.join(app.dir, 'imported.yaml')]) await apply(app.core, f, true).catch(() => undefined);
  await app.close();
}, 300_000);

describe('snapshots, export and import, in Chromium', () => {
  it('takes a snapshot, and Restore brings back a VM deleted since, with the document', async () => {
    const { page, errors, ops } = await openOps(snapFile);
    await ops.getByLabel('Snapshot name').fill('before');
    await ops.getByRole('button', { name: 'Take snapshot' }).click();
    const timeline = ops.getByTestId('snapshot-timeline');
    await timeline.getByText('before').waitFor({ timeout: 120_000 });
    await expect.poll(() => timeline.locator('li').first().textContent()).toMatch(/before .* 2 VMs · document [0-9a-f]{12}/);

    const original = await readFile(snapFile, 'utf8');
    await writeFile(snapFile, stringify(doc(SNAP_DC, ['s1'])));
    await apply(app.core, snapFile);
    expect(await vmsOn('h2')).toEqual(['v2']);

    await timeline.locator('li', { hasText: 'before' }).getByRole('button', { name: 'Restore' }).click();
    await ops.getByText('Restoring before…').waitFor();
    await ops.getByText('Restoring before…').waitFor({ state: 'detached', timeout: 240_000 });
    expect(await ops.getByRole('alert').count()).toBe(0);
    expect((await vmsOn('h2')).sort()).toEqual(['s2', 'v2']);
    expect(await readFile(snapFile, 'utf8')).toBe(original);
    await screenshot(page, 'bundle-ui-01-restored');
    expect(errors).toEqual([]);
  }, 600_000);

  it('exports to a .dcod file with a progress bar showing bytes, rate and time left', async () => {
    const { page, errors, ops } = await openOps(file);
    const out = path.join(app.dir, 'ui.dcod');
    await ops.getByLabel('Bundle to export to').fill(out);
    await ops.getByRole('button', { name: 'Export' }).click();
    const bar = ops.getByTestId('bundle-progress');
    await bar.waitFor();
    // Every text the bar shows, recorded in the page as it changes: a download of these small OVAs can
    // begin and end between two polls from here.
    await ops.evaluate((panel) => {
      const texts: string[] = [];
      (window as unknown as { bundleTexts: string[] }).bundleTexts = texts;
      const record = () => {
        const text = panel.querySelector('[data-testid="bundle-progress"] span')?.textContent;
        if (text && texts.at(-1) !== text) texts.push(text);
      };
      record();
      new MutationObserver(record).observe(panel, { subtree: true, childList: true, characterData: true });
    });
    let shot = false;
    await until(
      'the export to finish',
      async () => {
        const text = await bar.locator('span').textContent({ timeout: 1000 }).catch(() => null);
        if (!shot && text && /left$/.test(text)) {
          shot = true;
          await screenshot(page, 'bundle-ui-02-export-progress');
        }
        return (await ops.locator('.dc-done').count()) > 0 ? true : undefined;
      },
      300_000,
    );
    await expect(ops.locator('.dc-done').textContent()).resolves.toBe(`Exported 2 VMs and 1 volumes to ${out}.`);
    const seen = await page.evaluate(() => (window as unknown as { bundleTexts: string[] }).bundleTexts);
    const downloading = seen.filter((t) => t.startsWith('downloading'));
    expect(downloading.length, seen.join('\n')).toBeGreaterThan(0);
    expect(downloading.some((t) => /^downloading \S+: [\d.]+ (KiB|MiB) of [\d.]+ (KiB|MiB) · [\d.]+ \S+\/s · \d+:\d\d left$/.test(t)), seen.join('\n')).toBe(true);
    expect(errors).toEqual([]);
  }, 600_000);

  it('imports the .dcod onto the hosts after the datacenter is destroyed, and opens it on the canvas', async () => {
    await apply(app.core, file, true);
    expect([...(await vmsOn('h1')), ...(await vmsOn('h2'))].sort()).toEqual(['s1', 's2']);
    const { page, errors, ops } = await openOps();
    const imported = path.join(app.dir, 'imported.yaml');
    await ops.getByLabel('Bundle to import').fill(path.join(app.dir, 'ui.dcod'));
    await ops.getByLabel('Document to write').fill(imported);
    await ops.getByRole('button', { name: 'Import' }).click();
    await ops.locator('.dc-done').waitFor({ timeout: 480_000 });
    await expect(ops.locator('.dc-done').textContent()).resolves.toMatch(new RegExp(`^Imported ${DC} onto [12] hosts\\.`));
    await page.getByTestId('node-vm-v1').waitFor();
    await page.getByTestId('node-vm-v2').waitFor();
    expect([...(await vmsOn('h1')), ...(await vmsOn('h2'))].sort()).toEqual(['s1', 's2', 'v1', 'v2']);
    await screenshot(page, 'bundle-ui-03-imported');
    expect(errors).toEqual([]);
  }, 600_000);
});
