import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireApplyLock, applyLockHolder, applyLockPath } from './apply-lock';

let dir: string;
let doc: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dcod-apply-lock-'));
  doc = path.join(dir, 'datacenter.yaml');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** A lock file as another dcod would have left it. */
async function heldBy(pid: number, host = os.hostname()): Promise<void> {
  const file = applyLockPath(doc, 'dc');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify({ pid, host, planId: 'a1b2c3d4e5f6a7b8', since: '2026-11-22T03:00:00.000Z' }));
}

describe('the apply lock', () => {
  it('is held beside the journal until released, and refuses a second apply meanwhile, naming the holder', async () => {
    const release = await acquireApplyLock(doc, 'dc', 'plan-one');
    expect(JSON.parse(await readFile(path.join(dir, '.dcod', 'journal', 'dc.lock'), 'utf8'))).toMatchObject({ pid: process.pid, planId: 'plan-one' });
    await expect(acquireApplyLock(doc, 'dc', 'plan-two')).rejects.toMatchObject({ code: 'INVALID_STATE', retryable: true, message: expect.stringContaining(`datacenter dc is being applied by dcod (pid ${process.pid}, plan plan-one`) });
    await (await acquireApplyLock(doc, 'other', 'plan-three'))(); // another datacenter: its own lock
    await release();
    expect(existsSync(applyLockPath(doc, 'dc'))).toBe(false);
    await (await acquireApplyLock(doc, 'dc', 'plan-two'))();
  });

  it('refuses while the holding process lives, and takes the lock over once it is gone', async () => {
    const holder = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await heldBy(holder.pid!);
      await expect(acquireApplyLock(doc, 'dc', 'mine')).rejects.toThrow(`pid ${holder.pid}, plan a1b2c3d4e5f6, since 2026-11-22T03:00:00.000Z`);
    } finally {
      holder.kill();
    }
    await new Promise((resolve) => holder.once('exit', resolve));
    const release = await acquireApplyLock(doc, 'dc', 'mine');
    expect(JSON.parse(await readFile(applyLockPath(doc, 'dc'), 'utf8'))).toMatchObject({ pid: process.pid, planId: 'mine' });
    await release();
  });

  it('takes over a lock of a dead process or left half written long ago, and never removes a lock that is not its own', async () => {
    const dead = spawnSync('true').pid;
    await heldBy(dead);
    const release = await acquireApplyLock(doc, 'dc', 'mine');
    await heldBy(dead); // replaced behind its back
    await release();
    expect(existsSync(applyLockPath(doc, 'dc'))).toBe(true);
    await writeFile(applyLockPath(doc, 'dc'), '{"pid":');
    const old = new Date(Date.now() - 60_000);
    await utimes(applyLockPath(doc, 'dc'), old, old);
    await (await acquireApplyLock(doc, 'dc', 'mine'))();
  });

  it("can't tell whether another machine's holder lives, so refuses and says how to clear it", async () => {
    await heldBy(1, 'elsewhere');
    await expect(acquireApplyLock(doc, 'dc', 'mine')).rejects.toThrow(/pid 1 on elsewhere.*or remove .*dc\.lock if that apply is gone/);
  });

  it('tells who applies right now: a live holder, or another machine\'s; nobody for a dead holder or no lock', async () => {
    expect(await applyLockHolder(doc, 'dc')).toBeUndefined();
    const release = await acquireApplyLock(doc, 'dc', 'plan-one');
    expect(await applyLockHolder(doc, 'dc')).toMatchObject({ pid: process.pid, planId: 'plan-one' });
    await release();
    await heldBy(spawnSync('true').pid);
    expect(await applyLockHolder(doc, 'dc')).toBeUndefined();
    await heldBy(1, 'elsewhere');
    expect(await applyLockHolder(doc, 'dc')).toMatchObject({ pid: 1, host: 'elsewhere' });
  });
});
