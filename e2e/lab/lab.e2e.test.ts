/**
 * The lab itself, tested from where the app will stand: inside its laptop namespace, over the lab LAN, with
 * the real OpenSSH client and the ssh2 library against the real sshd of every host.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentLab, inNetns, sshArgv, sshHost, type LabHost, type LabInfo } from '../support/lab';
import { labDown, labStatus, labUp } from './lab';
import { LAN_BRIDGE, labPaths, lanNetns } from './plan';
import { run } from './run';

const ACCOUNT_FILES = ['/etc/passwd', '/etc/shadow', '/etc/group'];

function digest(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

let lab: LabInfo;
let accountsBefore: string[];

beforeAll(() => {
  lab = currentLab();
  accountsBefore = ACCOUNT_FILES.map(digest);
});

afterAll(() => {
  // Every `up` in this file (t1's included) must have left the machine's own account files alone.
  expect(ACCOUNT_FILES.map(digest)).toEqual(accountsBefore);
});

/** Logs in with the password only (no key, no agent) through ssh2, checking the pinned host key. */
function passwordLogin(host: LabHost, password: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    let out = '';
    client
      .on('ready', () => {
        client.exec(command, (err, stream) => {
          if (err) return reject(err);
          stream.on('data', (d: Buffer) => (out += d.toString()));
          stream.on('close', () => {
            client.end();
            resolve(out);
          });
        });
      })
      .on('error', reject)
      .connect({
        host: host.address,
        port: host.port,
        username: lab.user,
        password,
        tryKeyboard: false,
        readyTimeout: 10_000,
        hostVerifier: (key: Buffer) => `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}` === host.hostKeyFingerprint,
      });
  });
}

describe('the lab', () => {
  it('is up, with every host of lab.json running sshd', () => {
    expect(labStatus(lab.name)).toMatchObject({ up: true, problems: [] });
    expect(lab.hosts.length).toBeGreaterThan(0);
  });

  it('lets the lab key log in to every host, into /bin/sh as the uid 0 lab user, quickly', async () => {
    const results = await Promise.all(
      lab.hosts.map(async (h) => {
        const started = Date.now();
        const r = await sshHost(h, 'echo "$(readlink /proc/$$/exe) $(id -u) $USER $LANG $DCOD_SIM_CONFIG"');
        return { h, r, ms: Date.now() - started };
      }),
    );
    for (const { h, r, ms } of results) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe(`/usr/bin/dash 0 dcod C ${lab.dir}/hosts/${h.name}/sim.json`);
      expect(ms).toBeLessThan(2000);
    }
  });

  it('lets the password log in to every host, and only the right one', async () => {
    for (const h of lab.hosts) {
      expect(await passwordLogin(h, lab.password, 'echo in')).toBe('in\n');
    }
    const first = lab.hosts[0]!;
    await expect(passwordLogin(first, `${lab.password}x`, 'true')).rejects.toThrow(/authentication methods failed/i);
  });

  it('gives VirtualBox hosts VBoxManage on PATH and plain hosts a PATH without it', async () => {
    for (const h of lab.hosts) {
      const r = await sshHost(h, 'echo "$PATH"; command -v VBoxManage');
      const [path, found] = r.stdout.trim().split('\n');
      if (h.kind === 'virtualbox') {
        expect(path).toBe(`${labPaths(lab.dir).bin}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`);
        expect(found).toBe(labPaths(lab.dir).vboxManage);
      } else {
        expect(path).toBe('/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
        expect(r.code).not.toBe(0);
      }
    }
  });

  it('shows the lab user to sessions only, never to the machine', async () => {
    const r = await sshHost(lab.hosts[0]!, 'grep "^dcod:" /etc/passwd');
    expect(r.stdout).toBe(`dcod:x:0:0:DCoD lab:${lab.dir}/hosts/${lab.hosts[0]!.name}/home:/bin/sh\n`);
    expect(readFileSync('/etc/passwd', 'utf8')).not.toContain(`${lab.dir}/hosts`);
  });

  it('lets a host reach another host over the LAN', async () => {
    const [a, b] = lab.hosts;
    if (!a || !b) return;
    const r = await sshHost(a, `ping -c 1 -W 2 ${b.address} >/dev/null && nc -z -w 2 ${b.address} 22 && echo reached`);
    expect(r.stdout).toBe('reached\n');
  });

  it('hands out a LAN address by DHCP (.100-.199) from the router', async () => {
    const suffix = randomBytes(3).toString('hex');
    const ns = `${lab.name}-dhcp${suffix}`;
    const port = `vd-${suffix}`;
    await run(['ip', 'netns', 'add', ns]);
    try {
      await run(['ip', '-n', lanNetns(lab.name), 'link', 'add', port, 'type', 'veth', 'peer', 'name', 'nic1', 'netns', ns]);
      await run(['ip', '-n', lanNetns(lab.name), 'link', 'set', port, 'master', LAN_BRIDGE, 'up']);
      await run(['ip', '-n', ns, 'link', 'set', 'nic1', 'up']);
      const r = await inNetns(ns, ['busybox', 'udhcpc', '-f', '-n', '-q', '-i', 'nic1', '-s', '/bin/true', '-t', '5', '-T', '1']);
      const lease = /lease of ([0-9.]+) obtained from ([0-9.]+)/.exec(r.stderr + r.stdout);
      expect(lease, r.stderr).not.toBeNull();
      const [, address, server] = lease!;
      expect(server).toBe(lab.gateway);
      const last = Number(address!.split('.')[3]);
      expect(address!.split('.').slice(0, 3).join('.')).toBe(lab.gateway.split('.').slice(0, 3).join('.'));
      expect(last).toBeGreaterThanOrEqual(100);
      expect(last).toBeLessThanOrEqual(199);
    } finally {
      await run(['ip', 'netns', 'del', ns]);
    }
  });
});

describe('a second lab', () => {
  // Only what belongs to this lab, or to t1: other labs (a developer's, a benchmark's) may be starting
  // and stopping guests on this machine meanwhile, and their churn says nothing about t1's teardown.
  const ours = (text: string) => text.startsWith(`${lab.name}-`) || text.startsWith('t1-') || text.includes(`/run/dcod-lab/${lab.name}/`) || text.includes('/run/dcod-lab/t1/');

  /** Namespaces, less the simulator's guests, which come and go with VMs. */
  function labNamespacesNow(): string[] {
    return (existsSync('/run/netns') ? readdirSync('/run/netns') : []).filter((n) => ours(n) && !/^[a-z0-9]+-[hp][0-9]+-/.test(n)).sort();
  }

  async function labDaemons(): Promise<string[]> {
    const r = await run(['pgrep', '-a', '-f', '/run/dcod-lab/'], { allowFailure: true });
    return r.stdout.split('\n').filter((line) => line && ours(line.slice(line.indexOf(' ') + 1)) && !/\/vbox\/guests\//.test(line)).sort();
  }

  it('goes up beside this one on its own LAN and down leaving everything as it was', async () => {
    const namespacesBefore = labNamespacesNow();
    const daemonsBefore = await labDaemons();
    const t1 = await labUp({ name: 't1', cidr: '198.18.1.0/24', hosts: 1, plainHosts: 1 });
    try {
      expect(t1.hosts.map((h) => [h.name, h.address, h.kind])).toEqual([
        ['h1', '198.18.1.11', 'virtualbox'],
        ['p1', '198.18.1.51', 'plain'],
      ]);
      // Idempotent: a second up finds it all there and returns the same lab.
      expect(await labUp({ name: 't1', hosts: 1, plainHosts: 1 })).toEqual(t1);
      // Its LAN is its own: reachable from its laptop, with its own key and PATHs.
      for (const h of t1.hosts) {
        const r = await inNetns(t1.laptop.netns, sshArgv(t1, h, 'command -v VBoxManage || echo none'));
        expect(r.stdout.trim()).toBe(h.kind === 'virtualbox' ? labPaths(t1.dir).vboxManage : 'none');
      }
    } finally {
      await labDown('t1');
    }
    expect(existsSync('/run/dcod-lab/t1')).toBe(false);
    expect(labNamespacesNow()).toEqual(namespacesBefore);
    expect((existsSync('/run/netns') ? readdirSync('/run/netns') : []).filter((n) => n.startsWith('t1-'))).toEqual([]);
    expect(await labDaemons()).toEqual(daemonsBefore);
    expect(labStatus(lab.name).up).toBe(true);
  });
});
