/**
 * Secrets (issue #11): the lab's SSH password, used by the real CLI for a whole apply, must never show up
 * on any command line on the machine (the laptop and the hosts share its process table, so one `ps`
 * sees both, sampled all through the apply), in the CLI's output, in the activity log or a status report,
 * in any file the app writes (inventory, known_hosts, document, journal, plan store) or on the hosts, nor
 * in the error for a wrong password. A hosts file that holds passwords is imported by reference only.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { inProcessClient } from '../src/api/client';
import { createService } from '../src/api/service';
import { dcodIn, spawnDcod } from './support/cli';
import { currentLab, sshHost } from './support/lab';

const lab = currentLab();
const hosts = lab.hosts.filter((h) => h.kind === 'virtualbox').slice(0, 2);
const PW_ENV = 'DCOD_E2E_SECRET_PW';
const DC = 'secret';
let dir: string;
let file: string;
const dcod = dcodIn(() => dir);

async function filesUnder(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(root, { withFileTypes: true, recursive: true })) if (e.isFile()) out.push(path.join(e.parentPath, e.name));
  return out;
}

async function filesHolding(root: string, secret: string): Promise<string[]> {
  const hits: string[] = [];
  for (const f of await filesUnder(root)) if ((await readFile(f)).includes(secret)) hits.push(f);
  return hits;
}

beforeAll(async () => {
  process.env[PW_ENV] = lab.password;
  dir = await mkdtemp(path.join(os.tmpdir(), 'dcod-secrets-'));
  file = path.join(dir, 'datacenter.yaml');
  for (const h of hosts) {
    const r = await dcod('hosts', 'add', h.name, h.address, '--user', lab.user, '--password-env', PW_ENV);
    expect(r.code, r.stderr).toBe(0);
  }
});

afterAll(async () => {
  await dcod('destroy', '-f', file, '--yes').catch(() => undefined);
  for (const h of hosts) await sshHost(h.name, `cd "$HOME/VirtualBox VMs" 2>/dev/null && rm -rf dcod/${DC} dcod-${DC}*`).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
  delete process.env[PW_ENV];
});

describe('the SSH password stays secret', () => {
  it('is on no command line during a whole apply, and in no output, log, report or file', async () => {
    const vms = Array.from({ length: 4 }, (_, i) => ({ name: `svm${i + 1}`, memoryMb: 96, nics: [{ switch: 'ssw' }] }));
    await writeFile(file, stringify({ apiVersion: 'dcod.dev/v1', kind: 'Datacenter', metadata: { name: DC }, switches: [{ name: 'ssw', vni: 7100 }], vms, placement: Object.fromEntries(vms.map((v, i) => [v.name, hosts[i % hosts.length]!.name])) }));

    const child = spawnDcod(dir, ['apply', '-f', file, '--yes']);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    let samples = 0;
    const onCommandLines: string[] = [];
    for (let running = true; running; ) {
      const ps = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8', maxBuffer: 16 << 20 });
      samples++;
      onCommandLines.push(...ps.split('\n').filter((l) => l.includes(lab.password)));
      running = await Promise.race([exited.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 50))]);
    }
    expect(await exited, out).toBe(0);
    expect(onCommandLines).toEqual([]);
    expect(out).not.toContain(lab.password);

    // The same core in-process: its activity log and status report.
    const core = await createService({ paths: { inventory: path.join(dir, 'inventory.yaml'), knownHosts: path.join(dir, 'known_hosts') } });
    try {
      const client = inProcessClient(core);
      const status = await client.call('status.get', { file });
      // An apply through the core, so the activity log has something to say.
      await writeFile(file, (await readFile(file, 'utf8')).replaceAll('memoryMb: 96', 'memoryMb: 112'));
      const view = await client.call('plan.make', { file });
      expect((await client.call('apply.run', { file, planId: view.planId })).ok).toBe(true);
      const activity = await client.call('activity.list');
      expect(JSON.stringify(status)).not.toContain(lab.password);
      expect(activity.length).toBeGreaterThan(0);
      expect(JSON.stringify(activity)).not.toContain(lab.password);
    } finally {
      await core.close();
    }

    // Every file the app wrote, and everything on the hosts but the lab's own account files.
    const local = await filesUnder(dir);
    expect(local.some((f) => f.includes(`${path.sep}journal${path.sep}`))).toBe(true);
    expect(await filesHolding(dir, lab.password)).toEqual([]);
    for (const h of hosts) {
      const r = await sshHost(h.name, `grep -rlF -- "$(cat)" "$HOME" ${path.join(lab.dir, 'hosts', h.name, 'vbox')} 2>/dev/null; true`, { input: lab.password });
      expect(r.stdout.trim(), `files on ${h.name}`).toBe('');
    }
    console.log(`[secrets] password on command lines: 0 in ${samples} ps samples through the apply; in CLI output, activity log, status report, ${local.length} app files, host files: 0`);
  }, 300_000);

  it('is not in the error a wrong password gets', async () => {
    const wrong = `${lab.password}-wrong`;
    process.env[PW_ENV] = wrong;
    try {
      const r = await dcod('hosts', 'list', '--json');
      const all = r.stdout + r.stderr;
      expect(all).toMatch(/AUTH_FAILED|authentication|password/i);
      expect(all).not.toContain(wrong);
      expect(all).not.toContain(lab.password);
    } finally {
      process.env[PW_ENV] = lab.password;
    }
  });

  it('stays in the hosts file on import: the inventory refers to it', async () => {
    const imported = path.join(dir, 'import');
    const r = await dcodIn(() => imported)('hosts', 'import', path.join(lab.dir, 'hosts.yaml'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(lab.password);
    const inventory = await readFile(path.join(imported, 'inventory.yaml'), 'utf8');
    expect(inventory).toContain('hosts-file:');
    expect(inventory).not.toContain(lab.password);
  });
});
