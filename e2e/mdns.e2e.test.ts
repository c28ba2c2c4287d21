/**
 * mDNS discovery against real responders: a lab of its own (`md`) whose every host runs avahi-daemon,
 * browsed by the real `dcod` CLI from that lab's laptop. This file runs in another lab's laptop, whose
 * LAN is a different bridge: it also checks that no multicast crosses from one lab to the other.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Candidate } from '../src/discovery/discover';
import { browseMdns, type MdnsService } from '../src/discovery/mdns';
import { labDown, labUp, type LabInfo } from './lab/lab';
import { labNamespaces, netnsPath, orphanDaemons, pidsInNamespaces } from './lab/netns';
import { run } from './lab/run';

const ROOT = path.resolve(import.meta.dirname, '..');
const NAME = 'md';
let lab: LabInfo;
let dir: string;

/** argv run in lab md's laptop: network namespace only, so it sees this repository and the lab's files. */
function inMdLaptop(argv: readonly string[]) {
  return run(['nsenter', `--net=${netnsPath(lab.laptop.netns)}`, '--', ...argv], { allowFailure: true, timeoutMs: 60_000 });
}

function dcod(...args: string[]) {
  return inMdLaptop([process.execPath, path.join(ROOT, 'bin/dcod.mjs'), '--inventory', path.join(dir, 'inventory.yaml'), '--known-hosts', path.join(dir, 'known_hosts'), ...args]);
}

function avahiPids(): number[] {
  return pidsInNamespaces(lab.hosts.map((h) => h.netns)).filter((pid) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'avahi-daemon');
}

beforeAll(async () => {
  lab = await labUp({ name: NAME, cidr: '198.18.11.0/24', hosts: 2, plainHosts: 1, mdns: true });
  dir = await mkdtemp(path.join(os.tmpdir(), 'dcod-mdns-e2e-'));
});
afterAll(async () => {
  await labDown(NAME);
  await rm(dir, { recursive: true, force: true });
});

describe('mDNS discovery with avahi-daemon on every host', () => {
  it('brings up one avahi-daemon per host, each announcing its own name', () => {
    expect(lab.hosts.map((h) => h.kind)).toEqual(['virtualbox', 'virtualbox', 'plain']);
    expect(lab.hosts.map((h) => h.mdnsName)).toEqual(['md-h1.local', 'md-h2.local', 'md-p1.local']);
    expect(avahiPids()).toHaveLength(lab.hosts.length);
    // avahi makes /run/avahi-daemon wherever /run is: the lab gives it a folder of its own instead.
    expect(existsSync('/run/avahi-daemon')).toBe(false);
  });

  it('dcod discover --mdns finds every host, on port 22, with nothing swept', async () => {
    const started = Date.now();
    const res = await dcod('discover', '--mdns', '--json');
    expect(res.code, res.stderr).toBe(0);
    const found = JSON.parse(res.stdout) as Candidate[];
    expect(found.map((c) => [c.address, c.port, c.source])).toEqual(lab.hosts.map((h) => [h.address, 22, 'mdns']));
    for (const c of found) expect(c.banner).toMatch(/^SSH-2\.0-OpenSSH_/);
    // The browse listens for its 2 s and stops: a sweep of the /24 is not hiding behind it.
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('probes what mDNS found with the credentials given, telling VirtualBox hosts from the plain one', async () => {
    const res = await dcod('discover', '--mdns', '--user', lab.user, '--key', lab.keyPath, '--json');
    expect(res.code, res.stderr).toBe(0);
    const found = JSON.parse(res.stdout) as Candidate[];
    expect(found.map((c) => [c.address, c.probe?.status])).toEqual(lab.hosts.map((h) => [h.address, h.kind === 'virtualbox' ? 'virtualbox' : 'no-virtualbox']));
  });

  it('resolves each host\'s SSH and workstation services to its avahi name and address', async () => {
    const script = 'const { browseMdns } = await import("./src/discovery/mdns.ts"); process.stdout.write(JSON.stringify(await browseMdns()));';
    const res = await inMdLaptop(['sh', '-c', `cd "$1" && exec "$2" --import tsx --input-type=module -e "$3"`, 'sh', ROOT, process.execPath, script]);
    expect(res.code, res.stderr).toBe(0);
    const services = JSON.parse(res.stdout) as MdnsService[];
    for (const h of lab.hosts) {
      const own = services.filter((s) => s.address === h.address);
      expect(own.map((s) => [s.service, s.port, s.hostName])).toEqual([
        ['_ssh._tcp', 22, h.mdnsName],
        ['_workstation._tcp', 9, h.mdnsName],
      ]);
      expect(own[0]?.instance).toBe(`md-${h.name}`);
      expect(own[1]?.instance).toMatch(new RegExp(`^md-${h.name} \\[[0-9a-f:]{17}\\]$`));
    }
    expect(services).toHaveLength(2 * lab.hosts.length);
  });

  it('stays on its own LAN: a browse from this (another) lab\'s laptop hears none of lab md', async () => {
    const heard = await browseMdns({ waitMs: 1500 });
    expect(heard.filter((s) => lab.hosts.some((h) => h.address === s.address))).toEqual([]);
  });

  it('down leaves no namespace, avahi-daemon or folder of the lab behind', async () => {
    await labDown(NAME);
    expect(labNamespaces(NAME)).toEqual([]);
    expect(orphanDaemons(lab.dir, [])).toEqual([]);
    expect(existsSync(lab.dir)).toBe(false);
  });
});
