// Running simulated VMs in the lab, driven over real SSH the way the app drives VirtualBox hosts:
// guests on one internal network reach each other and no one else, bridged guests get a LAN
// lease that shows up as a guest property, NICs rewire live, power-off leaves nothing behind, and
// a VM marked as the DCoD proxy appliance boots into an sshd that takes the configured key.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentLab, inNetns, processesIn, sshHost, type LabHost } from '../../support/lab';
import { bareKey } from '../../../src/overlay/appliance';
import { DMI_OEM_VBOX_REV, DMI_SYSTEM_PRODUCT, encodeApplianceConfig, PROXY_PRODUCT } from './dmi';
import { until } from '../../support/until';

const lab = currentLab();
const [h1, h2] = lab.hosts.filter((h) => h.kind === 'virtualbox') as [LabHost, LabHost | undefined];
const prefix = (h: LabHost) => `${lab.name}-${h.name}-`;

function q(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

async function vbox(host: LabHost, ...args: string[]): Promise<string> {
  const r = await sshHost(host, `VBoxManage ${args.map(q).join(' ')}`);
  if (r.code !== 0) throw new Error(`VBoxManage ${args.join(' ')} on ${host.name} failed (${r.code}):\n${r.stderr}`);
  return r.stdout;
}

async function uuidOf(host: LabHost, vm: string): Promise<string> {
  return (/^UUID="([^"]+)"$/m.exec(await vbox(host, 'showvminfo', vm, '--machinereadable')) as RegExpExecArray)[1] as string;
}

async function netnsOf(host: LabHost, vm: string): Promise<string> {
  return `${prefix(host)}${(await uuidOf(host, vm)).replace(/-/g, '').slice(0, 8)}`;
}


async function ping(ns: string, address: string): Promise<boolean> {
  return (await inNetns(ns, ['ping', '-c', '1', '-W', '1', address])).code === 0;
}

/** A VM with the given NIC settings (modifyvm arguments), started headless. */
async function startVm(host: LabHost, name: string, nicArgs: string[]): Promise<string> {
  await vbox(host, 'createvm', '--name', name, '--ostype', 'Ubuntu_64', '--register');
  await vbox(host, 'modifyvm', name, ...nicArgs);
  const out = await vbox(host, 'startvm', name, '--type', 'headless');
  expect(out).toBe(`Waiting for VM "${name}" to power on...\nVM "${name}" has been successfully started.\n`);
  return netnsOf(host, name);
}

const created: { host: LabHost; name: string }[] = [];

async function cleanup(): Promise<void> {
  for (const { host, name } of created.splice(0)) {
    await sshHost(host, `VBoxManage controlvm ${q(name)} poweroff; VBoxManage unregistervm ${q(name)} --delete`);
  }
}

describe('simulated VMs on a lab host', () => {
  beforeAll(cleanup);
  afterAll(cleanup);

  it('guests on the same internal network reach each other, others do not', async () => {
    created.push({ host: h1, name: 'ia' }, { host: h1, name: 'ib' }, { host: h1, name: 'ic' });
    const a = await startVm(h1, 'ia', ['--nic1', 'intnet', '--intnet1', 'blue']);
    const b = await startVm(h1, 'ib', ['--nic1', 'intnet', '--intnet1', 'blue']);
    const c = await startVm(h1, 'ic', ['--nic1', 'intnet', '--intnet1', 'red']);
    for (const [ns, addr] of [[a, '10.77.0.1/24'], [b, '10.77.0.2/24'], [c, '10.77.0.3/24']] as const)
      expect((await inNetns(ns, ['ip', 'addr', 'add', addr, 'dev', 'nic1'])).code).toBe(0);
    // The guest side carries the VM's MAC address.
    const mac = /^macaddress1="([0-9A-F]{12})"$/m.exec(await vbox(h1, 'showvminfo', 'ia', '--machinereadable'))?.[1] as string;
    const link = JSON.parse((await inNetns(a, ['ip', '-j', 'link', 'show', 'nic1'])).stdout) as { address: string }[];
    expect(link[0]?.address.replace(/:/g, '').toUpperCase()).toBe(mac);
    expect(await until('ia to reach ib', async () => ((await ping(a, '10.77.0.2')) ? true : undefined))).toBe(true);
    expect(await ping(a, '10.77.0.3')).toBe(false);
    expect(await vbox(h1, 'list', 'intnets')).toBe('Name:        blue\nName:        red\n');
    // The adapter counters are the guest interface's real ones.
    const stats = await vbox(h1, 'debugvm', 'ia', 'statistics', '--pattern', '/Drivers/IntNet-0/Packets/*');
    const sent = Number(/c="(\d+)" unit="count" name="\/Drivers\/IntNet-0\/Packets\/Sent"/.exec(stats)?.[1]);
    expect(sent).toBeGreaterThan(0);

    // Rewired live onto "blue", ic now reaches ia.
    expect(await vbox(h1, 'controlvm', 'ic', 'nic1', 'intnet', 'blue')).toBe('');
    expect(await until('ic to reach ia after the rewire', async () => ((await ping(c, '10.77.0.1')) ? true : undefined))).toBe(true);
    // A pulled cable cuts it off again.
    await vbox(h1, 'controlvm', 'ic', 'setlinkstate1', 'off');
    expect(await ping(c, '10.77.0.1')).toBe(false);
    expect(await vbox(h1, 'showvminfo', 'ic', '--machinereadable')).toMatch(/^cableconnected1="off"$/m);
  });

  it('a bridged guest gets a LAN lease, published as a guest property', async () => {
    created.push({ host: h1, name: 'br' });
    await startVm(h1, 'br', ['--nic1', 'bridged', '--bridgeadapter1', 'br0']);
    const ip = await until('the guest IP property', async () => {
      const out = await vbox(h1, 'guestproperty', 'get', 'br', '/VirtualBox/GuestInfo/Net/0/V4/IP');
      return out.startsWith('Value: ') ? out.slice(7).trim() : undefined;
    });
    const lan = lab.cidr.split('.').slice(0, 3).join('.');
    expect(ip.startsWith(`${lan}.`)).toBe(true);
    expect(Number(ip.split('.')[3])).toBeGreaterThanOrEqual(100);
    expect(await vbox(h1, 'guestproperty', 'get', 'br', '/VirtualBox/GuestInfo/Net/Count')).toBe('Value: 1\n');
    // The laptop, on the same LAN, reaches it.
    const r = await until('the laptop to reach the guest', async () => ((await ping(`${lab.name}-laptop`, ip)) ? true : undefined));
    expect(r).toBe(true);
  });

  it('power-off removes the namespace and everything running in it', async () => {
    created.push({ host: h1, name: 'off' });
    const ns = await startVm(h1, 'off', ['--nic1', 'bridged', '--bridgeadapter1', 'br0']);
    expect(fs.existsSync(`/run/netns/${ns}`)).toBe(true);
    expect(await vbox(h1, 'list', 'runningvms')).toContain('"off" {');
    const r = await sshHost(h1, 'VBoxManage controlvm off poweroff');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('0%...10%...20%...30%...40%...50%...60%...70%...80%...90%...100%\n');
    expect(fs.existsSync(`/run/netns/${ns}`)).toBe(false);
    expect(await vbox(h1, 'showvminfo', 'off', '--machinereadable')).toMatch(/^VMState="poweroff"$/m);
    // Its host-side veth ends ("vb" + the UUID's first 8 hex digits) went with it.
    const tag = ns.slice(prefix(h1).length);
    expect((await sshHost(h1, `ip -br link | grep -c "^vb${tag}" || true`)).stdout.trim()).toBe('0');
  });

  it('a VM marked as the proxy appliance boots into sshd with the configured key', async () => {
    const host = h2 ?? h1;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vboxsim-e2e-'));
    try {
      const key = path.join(dir, 'id');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]);
      const pub = fs.readFileSync(`${key}.pub`, 'utf8').trim();
      created.push({ host, name: 'proxy' });
      await vbox(host, 'createvm', '--name', 'proxy', '--ostype', 'Linux26_64', '--register');
      await vbox(host, 'modifyvm', 'proxy', '--nic1', 'bridged', '--bridgeadapter1', 'br0', '--nic2', 'intnet', '--intnet2', 'overlay1');
      await vbox(host, 'setextradata', 'proxy', DMI_SYSTEM_PRODUCT, PROXY_PRODUCT);
      await vbox(host, 'setextradata', 'proxy', DMI_OEM_VBOX_REV, encodeApplianceConfig({ hostname: 'proxy-1', sshAuthorizedKeys: [bareKey(pub)], underlay: { dhcp: true } }));
      await vbox(host, 'startvm', 'proxy', '--type', 'headless');
      const ns = await netnsOf(host, 'proxy');
      // No Guest Additions in the appliance: its address is found the way the app's proxy code must.
      const ip = await until('the appliance lease', async () => {
        const a = JSON.parse((await inNetns(ns, ['ip', '-j', '-4', 'addr', 'show', 'nic1'])).stdout) as { addr_info: { local: string }[] }[];
        return a[0]?.addr_info[0]?.local;
      });
      expect(await vbox(host, 'guestproperty', 'enumerate', 'proxy', '--patterns', '/VirtualBox/GuestInfo/Net/*')).toBe('No properties found.\n');
      const ssh = ['ssh', '-F', '/dev/null', '-i', key, '-o', 'StrictHostKeyChecking=no', '-o', `UserKnownHostsFile=${path.join(dir, 'kh')}`, '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=3', '-o', 'LogLevel=ERROR', `root@${ip}`];
      const out = await until('sshd on the appliance', async () => {
        try {
          return execFileSync(ssh[0] as string, [...ssh.slice(1), 'hostname; id -un'], { encoding: 'utf8' });
        } catch {
          return undefined;
        }
      });
      expect(out).toBe('proxy-1\nroot\n');
      // Overlay ports get no DHCP client (read where the appliance's sshd is seen, so not an empty list).
      const procs = (await processesIn(ns)).map((p) => p.args);
      expect(procs.some((a) => a.includes('sshd'))).toBe(true);
      expect(procs.filter((a) => /udhcpc.*nic2/.test(a))).toEqual([]);
      // Only the configured key: a stranger's is refused.
      const other = path.join(dir, 'other');
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
      const refused = (() => {
        try {
          execFileSync(ssh[0] as string, [...ssh.slice(1).map((a) => (a === key ? other : a)), 'true'], { stdio: 'pipe' });
          return false;
        } catch {
          return true;
        }
      })();
      expect(refused).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
