// The state lock under real concurrency: separate VBoxManage processes, as an app firing many
// commands at one host would start them.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSimulator } from './build';
import { takeOverStaleLock, withState } from './store';

let dir: string;
let bundle: string;
let config: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vboxsim-store-'));
  bundle = path.join(dir, 'vboxsim.cjs');
  await buildSimulator(bundle);
  config = path.join(dir, 'sim.json');
  fs.writeFileSync(config, JSON.stringify({ stateDir: path.join(dir, 'state'), home: path.join(dir, 'home') }));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function vboxmanage(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [bundle, ...args], { env: { ...process.env, DCOD_SIM_CONFIG: config } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d));
    p.stderr.on('data', (d: Buffer) => (stderr += d));
    p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('state store', () => {
  it('loses no registration when many VBoxManage processes run at once', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `vm${i}`);
    const results = await Promise.all(names.map((n) => vboxmanage('createvm', '--name', n, '--register')));
    expect(results.map((r) => r.code)).toEqual(names.map(() => 0));
    const list = await vboxmanage('list', 'vms');
    expect(list.stdout.split('\n').filter(Boolean).map((l) => /^"([^"]+)"/.exec(l)?.[1]).sort()).toEqual([...names].sort());
    // Concurrent edits of one machine all land too.
    const edits = await Promise.all(names.map((n, i) => vboxmanage('setextradata', 'vm0', `k${i}`, n)));
    expect(edits.every((r) => r.code === 0)).toBe(true);
    expect((await vboxmanage('getextradata', 'vm0', 'enumerate')).stdout.split('\n').filter(Boolean)).toHaveLength(12);
  }, 60_000);

  it('takes over the lock of a process that died holding it', () => {
    const state = path.join(dir, 'stale');
    fs.mkdirSync(state, { recursive: true });
    // A pid that cannot be alive (beyond the kernel's maximum).
    fs.writeFileSync(path.join(state, 'lock'), '4194305');
    expect(withState(state, (tx) => tx.registry.machines.length)).toBe(0);
    expect(fs.existsSync(path.join(state, 'lock'))).toBe(false);
  });

  it("takes over only the dead holder's lock it read, never a live holder's that replaced it meanwhile", () => {
    const state = path.join(dir, 'raced');
    fs.mkdirSync(state, { recursive: true });
    const lock = path.join(state, 'lock');
    fs.writeFileSync(lock, String(process.pid)); // the dead holder released it and a live one took it
    takeOverStaleLock(lock, '4194305');
    expect(fs.readFileSync(lock, 'utf8')).toBe(String(process.pid));
    fs.writeFileSync(lock, '4194305');
    takeOverStaleLock(lock, '4194305');
    expect(fs.readdirSync(state)).toEqual([]);
  });
});
