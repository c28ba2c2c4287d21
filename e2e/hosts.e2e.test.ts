import { existsSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Candidate } from '../src/discovery/discover';
import type { ObservedHost } from '../src/hosts/observed';
import { observeHost } from '../src/hosts/observe';
import { KnownHosts } from '../src/ssh/known-hosts';
import { SshRunner } from '../src/ssh/ssh-runner';
import { createVm, unregisterVmAndDelete } from '../src/vbox/commands';
import { dcodIn } from './support/cli';
import { currentLab, sshHost, type LabHost } from './support/lab';

const pexec = promisify(execFile);
const lab = currentLab();
const vboxHosts = lab.hosts.filter((h) => h.kind === 'virtualbox');
const plainHosts = lab.hosts.filter((h) => h.kind === 'plain');
let dir: string;

/** The real `dcod` CLI, with its own inventory and known_hosts in this file's temp folder. */
const dcod = dcodIn(() => dir);

function runnerFor(host: LabHost, knownHosts: KnownHosts): SshRunner {
  return new SshRunner({ host: host.address, port: host.port, username: lab.user, auth: { kind: 'password', password: lab.password }, shell: 'posix' }, { knownHosts });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dcod-hosts-e2e-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('discovery on the lab LAN', () => {
  it('finds every VirtualBox host in the /24 and tells the plain SSH host apart', async () => {
    const res = await dcod('discover', '--cidr', lab.cidr, '--user', lab.user, '--key', lab.keyPath, '--json');
    expect(res.code, res.stderr).toBe(0);
    const found = JSON.parse(res.stdout) as Candidate[];
    expect(found.map((c) => c.address).sort()).toEqual(lab.hosts.map((h) => h.address).sort());
    for (const h of vboxHosts) {
      const c = found.find((f) => f.address === h.address)!;
      expect(c.os).toBe('linux');
      expect(c.banner).toMatch(/^SSH-2\.0-OpenSSH/);
      expect(c.probe).toMatchObject({ status: 'virtualbox', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    }
    for (const h of plainHosts) expect(found.find((f) => f.address === h.address)!.probe).toEqual({ status: 'no-virtualbox' });
    expect(plainHosts.length).toBeGreaterThan(0);
  });

  it('refuses to sweep more than a /20 without --force, and needs a range', async () => {
    expect((await dcod('discover', '--cidr', '198.18.0.0/16')).stderr).toMatch(/more than a \/20/);
    expect((await dcod('discover')).stderr).toMatch(/never sweeps a network you did not name/);
  });
});

describe('inventory', () => {
  it('imports the lab hosts file and returns each host\'s VMs after the lab creates some', async () => {
    const created = vboxHosts.map((h, i) => ({ host: h, name: `inv-e2e-${h.name}-${i}` }));
    for (const { host, name } of created) {
      const r = await sshHost(host, `VBoxManage createvm --name ${name} --register`);
      expect(r.code, r.stderr).toBe(0);
    }
    try {
      const imported = await dcod('hosts', 'import', path.join(lab.dir, 'hosts.yaml'));
      expect(imported.code, imported.stderr).toBe(0);
      const inventory = await readFile(path.join(dir, 'inventory.yaml'), 'utf8');
      expect(inventory).not.toContain(lab.password); // the password stays in the hosts file
      const res = await dcod('inventory', '--json');
      const observed = JSON.parse(res.stdout) as ObservedHost[];
      for (const { host, name } of created) {
        const o = observed.find((x) => x.host.endsWith(host.address.replaceAll('.', '-')))!;
        expect(o, `host ${host.address} in ${observed.map((x) => x.host)}`).toBeDefined();
        expect(o.reachable).toBe(true);
        expect(o.vms.map((v) => v.name)).toContain(name);
      }
      const plain = observed.filter((o) => plainHosts.some((p) => o.host.endsWith(p.address.replaceAll('.', '-'))));
      for (const p of plain) expect(p).toMatchObject({ reachable: true, vbox: null });
    } finally {
      for (const { host, name } of created) await sshHost(host, `VBoxManage unregistervm ${name} --delete`);
    }
  });
});

describe('host keys', () => {
  it('refuses a changed host key, showing both fingerprints, until that exact key is accepted', async () => {
    const host = vboxHosts[0]!;
    const known = await KnownHosts.open(path.join(dir, 'kh-change'));
    const first = runnerFor(host, known);
    expect((await first.run(['true'])).code).toBe(0);
    await first.close();
    const pinned = known.check(host.address, host.port, Buffer.alloc(0));

    // Give the host a new key, as a reinstall (or an interceptor) would.
    const hostDir = path.join(lab.dir, 'hosts', host.name);
    const keyFile = path.join(hostDir, 'ssh_host_ed25519_key');
    await copyFile(keyFile, `${keyFile}.orig`);
    await copyFile(`${keyFile}.pub`, `${keyFile}.pub.orig`);
    const rekey = async () => {
      await rm(keyFile, { force: true });
      await rm(`${keyFile}.pub`, { force: true });
      await pexec('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyFile]);
    };
    const restart = async () => pexec('sh', ['-c', `kill -HUP "$(cat ${path.join(hostDir, 'sshd.pid')})"; sleep 0.3`]);
    try {
      await rekey();
      await restart();
      const second = runnerFor(host, known);
      const err = await second.run(['true']).catch((e: unknown) => e);
      await second.close();
      expect(err).toMatchObject({ code: 'HOST_KEY_CHANGED', retryable: false });
      const message = (err as Error).message;
      const fingerprints = message.match(/SHA256:[A-Za-z0-9+/]{43}/g) ?? [];
      expect(fingerprints).toHaveLength(2);
      expect(fingerprints[0]).not.toBe(fingerprints[1]);
      expect(pinned.status).toBe('changed'); // (an empty key never matches the pin)
      // Accepting some other fingerprint changes nothing; accepting the one shown lets it in.
      await expect(known.accept(host.address, host.port, fingerprints[0]!)).rejects.toMatchObject({ code: 'HOST_KEY_CHANGED' });
      await known.accept(host.address, host.port, fingerprints[1]!);
      const third = runnerFor(host, known);
      expect((await third.run(['true'])).code).toBe(0);
      await third.close();
    } finally {
      await copyFile(`${keyFile}.orig`, keyFile);
      await copyFile(`${keyFile}.pub.orig`, `${keyFile}.pub`);
      await rm(`${keyFile}.orig`);
      await rm(`${keyFile}.pub.orig`);
      await restart();
    }
  });
});

describe('user text never becomes shell syntax', () => {
  it('round-trips a VM named x"; touch /tmp/pwned; " through create, list and delete', async () => {
    const name = 'x"; touch /tmp/pwned; "';
    const canary = '/tmp/pwned';
    await rm(canary, { force: true });
    const host = vboxHosts[0]!;
    const runner = runnerFor(host, await KnownHosts.open(undefined));
    try {
      const created = await runner.run(['VBoxManage', ...createVm({ name })]);
      expect(created.code, created.stderr).toBe(0);
      expect(created.stdout).toContain(`Virtual machine '${name}' is created and registered.`);
      const listed = await observeHost(host.name, runner);
      expect(listed.vms.map((v) => v.name)).toContain(name);
      const deleted = await runner.run(['VBoxManage', ...unregisterVmAndDelete(name)]);
      expect(deleted.code, deleted.stderr).toBe(0);
      expect((await observeHost(host.name, runner)).vms.map((v) => v.name)).not.toContain(name);
      expect(existsSync(canary)).toBe(false);
      expect((await runner.run(['test', '-e', canary])).code).toBe(1);
    } finally {
      await runner.close();
    }
  });
});
