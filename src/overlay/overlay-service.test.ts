import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
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
