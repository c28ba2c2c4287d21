import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExecResult, StreamingRunner } from '../hosts/runner';
import { InventoryHost } from '../inventory/schema';
import { corePlanner, planWith } from '../plan/planner';
import { hostSeen, overlayDoc, overlayPlacement } from './overlay.testkit';
import { OverlayService } from './overlay-service';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the overlay in the main plan', () => {
  it('adds the proxies to the core planner\'s VMs in one DAG', async () => {
    const configDir = mkdtempSync(path.join(os.tmpdir(), 'dcod-overlay-'));
    dirs.push(configDir);
    const service = await OverlayService.create({ configDir, inventory: async () => [], runnerFor: () => Promise.reject(new Error('no host in this test')) });
    const doc = { ...overlayDoc(), placement: Object.fromEntries(overlayPlacement()) };
    const plan = planWith([corePlanner, service.planner], doc, ['h1', 'h2', 'h3'].map((h) => hostSeen(h)));
    const ids = plan.operations.map((o) => o.id);
    expect(ids).toContain('vm/a1/create@h1');
    expect(ids.filter((id) => id.startsWith('proxy/'))).toEqual(
      expect.arrayContaining(['h1', 'h2', 'h3'].flatMap((h) => [`proxy/${h}/create@${h}`, `proxy/${h}/start@${h}`, `proxy/${h}/configure@${h}`])),
    );
    // Each proxy is configured after it started.
    expect(ids.indexOf('proxy/h2/configure@h2')).toBeGreaterThan(ids.indexOf('proxy/h2/start@h2'));
    expect(plan.operations.find((o) => o.id === 'proxy/h1/configure@h1')?.target).toEqual({ kind: 'proxy', host: 'h1' });
    await service.close();
  });
});

describe('runnerForProxy', () => {
  /** A host whose every command answers `res`, in a service that planned the overlay doc (so it knows h1's proxy). */
  async function lookUp(res: ExecResult): Promise<unknown> {
    const configDir = mkdtempSync(path.join(os.tmpdir(), 'dcod-overlay-'));
    dirs.push(configDir);
    const h1 = InventoryHost.parse({ name: 'h1', address: '192.0.2.11', user: 'u', auth: { method: 'agent' } });
    const runner = { shell: 'posix', run: async () => res } as unknown as StreamingRunner;
    const service = await OverlayService.create({ configDir, inventory: async () => [h1], runnerFor: async () => runner });
    planWith([corePlanner, service.planner], { ...overlayDoc(), placement: Object.fromEntries(overlayPlacement()) }, ['h1', 'h2', 'h3'].map((h) => hostSeen(h)));
    try {
      return await service.runnerForProxy('h1').catch((err: unknown) => err);
    } finally {
      await service.close();
    }
  }

  it('says a failing VirtualBox or a lost connection for what it is, not that the proxy is missing', async () => {
    const eFail = 'VBoxManage: error: The VirtualBox service is not answering\nVBoxManage: error: Details: code E_FAIL (0x80004005), component VirtualBoxWrap, interface IVirtualBox\n';
    expect(await lookUp({ code: 1, stdout: '', stderr: eFail })).toMatchObject({ code: 'VBOX_ERROR', context: ['host h1', 'looking up the overlay proxy dcod-proxy-' + overlayDoc().metadata.name] });
    expect(await lookUp({ code: null, stdout: '', stderr: '' })).toMatchObject({ code: 'HOST_UNREACHABLE' });
    const missing = "VBoxManage: error: Could not find a registered machine named 'x'\nVBoxManage: error: Details: code VBOX_E_OBJECT_NOT_FOUND (0x80bb0001), component VirtualBoxWrap, interface IVirtualBox, callee nsISupports\n";
    expect(await lookUp({ code: 1, stdout: '', stderr: missing })).toMatchObject({ code: 'VM_NOT_FOUND' });
  });
});
