import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { doc } from '../model/document.testkit';
import { saveDocumentFile } from '../model/document-file';
import type { Datacenter } from '../model/document';
import type { Operation, Plan } from '../plan/plan';
import { overlayRepairs, OverlayWatchdog, repairNotes, type WatchdogDeps } from './watchdog';

const operation = (id: string, kind: Operation['resource']['kind'], host: string, dependsOn: string[] = []): Operation => ({
  id,
  target: { kind: 'host', host },
  resource: { kind, name: host },
  action: 'start',
  summary: `${id}: details`,
  reason: `${id} is aborted`,
  commands: [['VBoxManage', 'startvm', id]],
  dependsOn,
});

const DRIFTED: Plan = {
  datacenter: 'dc1',
  operations: [operation('vm/web@h1', 'vm', 'h1'), operation('proxy/h1/start@h1', 'proxy', 'h1', ['vm/web@h1']), operation('proxy/h1/configure@h1', 'proxy', 'h1', ['proxy/h1/start@h1'])],
  diagnostics: [],
};

describe('overlayRepairs', () => {
  it('keeps the proxy operations only, and only the dependencies among them', () => {
    const r = overlayRepairs(DRIFTED);
    expect(r.operations.map((o) => [o.id, o.dependsOn])).toEqual([
      ['proxy/h1/start@h1', []],
      ['proxy/h1/configure@h1', ['proxy/h1/start@h1']],
    ]);
  });

  it('says per host what it found', () => {
    expect(repairNotes(overlayRepairs(DRIFTED))).toEqual([
      { host: 'h1', message: 'watchdog: the overlay of dc1 needs repair: proxy/h1/start@h1 (proxy/h1/start@h1 is aborted); proxy/h1/configure@h1 (proxy/h1/configure@h1 is aborted)' },
    ]);
  });
});

describe('OverlayWatchdog', () => {
  let dir: string;
  let file: string;
  let plans: Datacenter[];
  let executed: Plan[];
  let log: string[];
  let planned: Plan;
  let refreshes: number;
  const dc = doc({ name: 'dc1' });

  const watchdog = (over: Partial<WatchdogDeps> = {}) =>
    new OverlayWatchdog({
      intervalMs: 10,
      refresh: async () => {
        refreshes++;
        return [];
      },
      plan: (desired) => {
        plans.push(desired);
        return planned;
      },
      execute: async (plan) => {
        executed.push(plan);
        return { ok: true, counts: { done: plan.operations.length, failed: 0, skipped: 0 } };
      },
      log: (level, source, message) => log.push(`${level} ${source} ${message}`),
      ...over,
    });

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'dcod-watchdog-'));
    file = path.join(dir, 'dc.yaml');
    plans = [];
    executed = [];
    log = [];
    refreshes = 0;
    planned = DRIFTED;
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const applied = async (w: OverlayWatchdog, destroy = false, version?: string) => {
    const v = await saveDocumentFile(file, dc);
    return w.whileApplying(async () => 'result', async () => ({ file, docVersion: version ?? v, destroy }));
  };

  it('watches nothing until a datacenter is applied', async () => {
    const w = watchdog();
    await w.check();
    expect(refreshes).toBe(0);
    expect(await applied(w)).toBe('result');
    expect(w.datacenters()).toEqual(['dc1']);
  });

  it('carries out the proxy operations of a fresh plan of the applied document, and logs what it found and did', async () => {
    const w = watchdog();
    await applied(w);
    await w.check();
    expect(plans).toEqual([dc]);
    expect(executed.map((p) => p.operations.map((o) => o.id))).toEqual([['proxy/h1/start@h1', 'proxy/h1/configure@h1']]);
    expect(log).toEqual([expect.stringMatching(/^warn h1\/proxy watchdog: the overlay of dc1 needs repair: /), 'info core watchdog: restored the overlay of dc1 (2 done, 0 failed, 0 skipped)']);
  });

  it('does nothing when the overlay is as planned', async () => {
    planned = { ...DRIFTED, operations: [operation('vm/web@h1', 'vm', 'h1')] };
    const w = watchdog();
    await applied(w);
    await w.check();
    expect(executed).toEqual([]);
    expect(log).toEqual([]);
  });

  it('plans from the document as applied, not a later edit of the file', async () => {
    const w = watchdog();
    await applied(w);
    await saveDocumentFile(file, doc({ name: 'dc1', switches: [{ name: 'a', vni: 5001, subnet: '10.0.1.0/24' }] }));
    await w.check();
    expect(plans).toEqual([dc]);
  });

  it('stops watching a destroyed datacenter, and does not watch a file that changed during its apply', async () => {
    const w = watchdog();
    await applied(w);
    await applied(w, true);
    expect(w.datacenters()).toEqual([]);
    await applied(w, false, 'another version');
    expect(w.datacenters()).toEqual([]);
    expect(log).toEqual([expect.stringContaining('changed while it was applied')]);
  });

  it('holds off while an apply runs, and an apply waits for a check under way', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const order: string[] = [];
    const w = watchdog({
      execute: async (plan) => {
        order.push('repair start');
        await gate;
        order.push('repair end');
        return { ok: true, counts: { done: plan.operations.length, failed: 0, skipped: 0 } };
      },
    });
    await applied(w);
    const checking = w.check();
    await new Promise((r) => setTimeout(r, 5));
    const applying = w.whileApplying(
      async () => {
        order.push('apply');
        await w.check(); // refused: an apply runs
        return null;
      },
      async () => ({ file, docVersion: 'x', destroy: true }),
    );
    release();
    await Promise.all([checking, applying]);
    expect(order).toEqual(['repair start', 'repair end', 'apply']);
  });

  it('logs a failed repair or an unreadable host instead of throwing', async () => {
    const failing = (message: string) => async (): Promise<never> => {
      throw new Error(message);
    };
    const w = watchdog({ execute: failing('ssh went away') });
    await applied(w);
    await w.check();
    expect(log.at(-1)).toBe('error core watchdog: could not restore the overlay of dc1: ssh went away');
    const blind = watchdog({ refresh: failing('no network') });
    await applied(blind);
    await blind.check();
    expect(log.at(-1)).toBe('error core watchdog: could not read the hosts: no network');
  });

  it('looks every interval once started, until stopped', async () => {
    const w = watchdog();
    await applied(w);
    w.start();
    await new Promise((r) => setTimeout(r, 80));
    await w.stop();
    const seen = refreshes;
    expect(seen).toBeGreaterThan(1);
    await new Promise((r) => setTimeout(r, 40));
    expect(refreshes).toBe(seen);
  });
});
