import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveSecret } from '../secrets/resolve';
import { parseHostsFile } from './hosts-file';
import { EMPTY_INVENTORY, loadInventory, parseInventory, removeHost, saveInventory, upsertHost, type InventoryHost } from './inventory';

const dirs: string[] = [];
const tmp = async () => {
  const d = await mkdtemp(path.join(os.tmpdir(), 'dcod-inv-'));
  dirs.push(d);
  return d;
};
afterEach(async () => Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true }))));

const h1: InventoryHost = { name: 'h1', address: '198.18.0.11', port: 22, os: 'linux', user: 'dcod', auth: { method: 'key', keyFile: '/k/id_ed25519' } };

describe('inventory file', () => {
  it('round-trips through an atomic save, with owner-only permissions', async () => {
    const file = path.join(await tmp(), 'nested', 'inventory.yaml');
    const inv = upsertHost(upsertHost(EMPTY_INVENTORY, h1), { ...h1, name: 'h2', address: '198.18.0.12', auth: { method: 'password', password: 'env:H2_PASSWORD' } });
    await saveInventory(file, inv);
    expect(await loadInventory(file)).toEqual(inv);
    const { stat } = await import('node:fs/promises');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(removeHost(inv, 'h1').hosts.map((h) => h.name)).toEqual(['h2']);
    expect(() => removeHost(inv, 'nope')).toThrow(/no host named "nope"/);
  });

  it('reports every problem with its path', () => {
    const { diagnostics } = parseInventory(`
apiVersion: dcod/v1
kind: Inventory
hosts:
  - { name: h1, address: a, user: u, auth: { method: key, keyFile: k } }
  - { name: h1, address: b, user: u, port: 70000, auth: { method: password, password: hunter2 } }
`);
    expect(diagnostics.map((d) => d.path)).toEqual(['hosts[1].port', 'hosts[1].auth.password', 'hosts[1].name']);
    expect(diagnostics[1]!.message).toMatch(/never the secret itself/);
    const dup = parseInventory('apiVersion: dcod/v1\nkind: Inventory\nhosts:\n  - { name: h1, address: a, user: u, auth: { method: agent } }\n  - { name: h1, address: b, user: u, auth: { method: agent } }\n');
    expect(dup.diagnostics).toEqual([{ severity: 'error', path: 'hosts[1].name', message: 'host name "h1" is already used by hosts[0]' }]);
    expect(parseInventory('hosts: [').diagnostics[0]!.message).toMatch(/not valid YAML/);
  });

  it('fails loading a broken file with the file name and path, and never loses it', async () => {
    const file = path.join(await tmp(), 'inventory.yaml');
    await writeFile(file, 'apiVersion: dcod/v2\nkind: Inventory\n');
    await expect(loadInventory(file)).rejects.toThrow(/inventory.yaml: error at apiVersion/);
    expect(await readFile(file, 'utf8')).toBe('apiVersion: dcod/v2\nkind: Inventory\n');
  });
});

describe('hosts file import', () => {
  it('reads DCoD hosts.yaml, all values strings, keeping passwords out of the entries', async () => {
    const text = 'hosts:\n  "198.18.0.11": { os: "linux", user: "dcod", password: "p w\'\\"$x" }\n  "198.18.0.12": { os: "windows", user: "Admin", port: "2222" }\n';
    const { entries, diagnostics } = parseHostsFile(text);
    expect(diagnostics).toEqual([]);
    expect(entries).toEqual([
      { address: '198.18.0.11', os: 'linux', user: 'dcod', port: 22, hasPassword: true },
      { address: '198.18.0.12', os: 'windows', user: 'Admin', port: 2222, hasPassword: false },
    ]);
    const file = path.join(await tmp(), 'hosts.yaml');
    await writeFile(file, text);
    expect(await resolveSecret(`hosts-file:${file}#198.18.0.11`, 'h1', {})).toBe('p w\'"$x');
  });

  it('says what is wrong in a bad hosts file', () => {
    const { diagnostics } = parseHostsFile('hosts:\n  "10.0.0.1": { os: "solaris", user: "u", port: 22 }\n');
    expect(diagnostics.map((d) => d.path)).toEqual(['hosts["10.0.0.1"].os', 'hosts["10.0.0.1"].port']);
  });
});

describe('secret references', () => {
  it('resolve from the environment and files, and say precisely what is missing', async () => {
    expect(await resolveSecret('env:X_PW', 'h1', { env: { X_PW: 's3cret' } })).toBe('s3cret');
    await expect(resolveSecret('env:X_PW', 'h1', { env: {} })).rejects.toThrow('no secret for h1: the environment variable X_PW is not set');
    await expect(resolveSecret('keychain:h1', 'h1', {})).rejects.toThrow(/only available in the app/);
    await expect(resolveSecret('prompt', 'h1', {})).rejects.toThrow(/nobody can answer here/);
    expect(await resolveSecret('prompt', 'h1', { prompt: async (q) => `answer to ${q}` })).toBe('answer to Password for h1: ');
  });
});
