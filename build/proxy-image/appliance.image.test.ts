// The appliance, end to end: build it (twice: the same OVA both times), read the OVA as the lab's
// VirtualBox simulator does, boot its VMDK under QEMU with the configuration in SMBIOS strings, log in
// over SSH with the generated key through the app's own SshRunner, and run the overlay's converge
// script for a proxy on it — then observe the proxy the way the app does and find exactly the desired
// state. Needs root and, the first time, the Debian archive. QEMU runs software-emulated unless
// DCOD_QEMU_ACCEL=kvm; it is killed at the end whatever happens.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DMI_SYSTEM_PRODUCT, PROXY_PRODUCT } from '../../e2e/lab/vboxsim/dmi';
import { OVF_DISK_FORMAT, parseManifest, parseOvf } from '../../e2e/lab/vboxsim/ovf';
import { readTar } from '../../e2e/lab/vboxsim/tar';
import { bareKey, encodeApplianceConfig, proxyHostname } from '../../src/overlay/appliance';
import { desiredFacts } from '../../src/overlay/facts';
import { colonMac, linkLocalOf } from '../../src/overlay/names';
import { observeProxy } from '../../src/overlay/observe';
import { hostSeen, overlayDoc, overlayPlacement } from '../../src/overlay/overlay.testkit';
import { convergeScript } from '../../src/overlay/script';
import { overlayTopology } from '../../src/overlay/topology';
import type { ProxyConfig } from '../../src/overlay/proxy-config';
import { KnownHosts } from '../../src/ssh/known-hosts';
import { SshRunner } from '../../src/ssh/ssh-runner';
import { buildImage, sourceDateEpoch, type BuildResult } from './build';
import { sha256 } from './ova';
import { freePort, startQemu, type RunningVm } from './qemu';
import { HARDWARE } from './spec';

const ACCEL = process.env.DCOD_QEMU_ACCEL === 'kvm' ? 'kvm' : 'tcg';
const BOOT_TIMEOUT_MS = (ACCEL === 'kvm' ? 2 : 8) * 60_000;
/**
 * The address QEMU's user-mode network gives the first guest and its gateway, set here as a fixed
 * underlay: with the longest hostname, the largest configuration DCoD writes into the DMI string.
 */
const UNDERLAY_ADDRESS = '10.0.2.15';
const UNDERLAY_GATEWAY = '10.0.2.2';
const HOSTNAME = proxyHostname(`h1-${'x'.repeat(80)}`);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcod-proxy-image-'));
const log = (line: string) => fs.appendFileSync(path.join(tmp, 'build.log'), `${line}\n`);
let built: BuildResult;
let vmdk: string;
let vm: RunningVm | undefined;
let runner: SshRunner | undefined;
let sshPort = 0;

/** The overlay's test datacenter, as planned for host h1: two switches, DHCP, a NAT router. */
function proxyConfig(): ProxyConfig {
  const topo = overlayTopology({
    desired: overlayDoc(),
    placement: overlayPlacement(),
    observed: ['h1', 'h2', 'h3'].map((h) => hostSeen(h)),
    // Never observed: every VTEP is the overlay's own link-local choice. VxLAN packets to the other
    // hosts' VTEPs leave through QEMU's restricted user network, which drops them.
    proxies: [],
  });
  const cfg = topo.proxies.find((p) => p.host === 'h1');
  if (!cfg) throw new Error(`no proxy planned for h1: ${JSON.stringify(topo.diagnostics)}`);
  return cfg;
}

/** One NIC per adapter slot up to the highest the config uses, each with the MAC the overlay gave it. */
function nicMacs(cfg: ProxyConfig): string[] {
  const bySlot = new Map<number, string>([[1, cfg.underlay.mac], ...cfg.segments.map((s) => [s.slot, s.mac] as [number, string])]);
  const top = Math.max(...bySlot.keys());
  return Array.from({ length: top }, (_, i) => colonMac(bySlot.get(i + 1) ?? `080027EE00${String(i + 1).padStart(2, '0')}`));
}

/** True once something on the port greets like an SSH server (QEMU accepts the TCP connection itself). */
function sshBanner(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(5000, () => done(false));
    sock.once('data', (d) => done(d.toString('latin1').startsWith('SSH-')));
    sock.once('error', () => done(false));
    sock.once('close', () => done(false));
  });
}

async function waitForSsh(port: number, key: Buffer): Promise<SshRunner> {
  const deadline = Date.now() + BOOT_TIMEOUT_MS;
  while (!(await sshBanner(port))) {
    if (vm && (vm.process.exitCode !== null || vm.process.signalCode !== null)) throw new Error(`QEMU exited\n${vm.console()}`);
    if (Date.now() > deadline) throw new Error(`no SSH server within ${BOOT_TIMEOUT_MS / 1000} s\n${vm?.console() ?? ''}`);
    await new Promise((res) => setTimeout(res, 500));
  }
  const r = new SshRunner(
    { host: '127.0.0.1', port, username: 'root', auth: { kind: 'key', privateKey: key }, shell: 'posix' },
    { knownHosts: await KnownHosts.open(undefined), hostKeyPolicy: 'pin-on-first-use', connectTimeoutMs: 60_000 },
  );
  const res = await r.exec('true');
  if (res.code !== 0) throw new Error(`\`true\` exited ${res.code} on the appliance`);
  return r;
}

async function sh(command: string): Promise<string> {
  const res = await runner!.exec(command, { timeoutMs: 120_000 });
  if (res.code !== 0) throw new Error(`\`${command}\` exited ${res.code}: ${res.stderr}${res.stdout}`);
  return res.stdout;
}

beforeAll(async () => {
  // Both builds from the same sources, even if a commit lands while this runs.
  process.env.SOURCE_DATE_EPOCH ??= String(sourceDateEpoch());
  built = await buildImage({ log });
});

afterAll(async () => {
  await runner?.close().catch(() => undefined);
  await vm?.stop();
  if (process.env.DCOD_KEEP_TMP) console.log(`kept ${tmp}`);
  else fs.rmSync(tmp, { recursive: true, force: true });
});

describe.sequential('the dcod-proxy appliance', () => {
  it('builds reproducibly: a second build gives the same OVA, byte for byte', async () => {
    const again = await buildImage({ log });
    expect(again.sha256).toBe(built.sha256);
    expect(fs.readFileSync(`${built.ova}.sha256`, 'utf8')).toBe(`${built.sha256}  ${path.basename(built.ova)}\n`);
    console.log(`OVA ${(built.bytes / 1e6).toFixed(1)} MB (VMDK ${(built.vmdkBytes / 1e6).toFixed(1)} MB), sha256 ${built.sha256}; build ${built.seconds.toFixed(0)} s, rebuild from cache ${again.seconds.toFixed(0)} s`);
  });

  it('is an OVA the simulator importer reads: ICH9, 36 virtio NICs, the proxy marker, a stream-optimized disk, a matching manifest', () => {
    const entries = readTar(fs.readFileSync(built.ova));
    const [ovf, disk, mf] = entries;
    expect(entries.map((e) => path.extname(e.name))).toEqual(['.ovf', '.vmdk', '.mf']);
    const manifest = parseManifest(mf!.data.toString('utf8'));
    for (const e of [ovf!, disk!]) expect(manifest.get(e.name)?.digest).toBe(sha256(e.data));
    const sys = parseOvf(ovf!.data.toString('utf8')).systems[0]!;
    expect(sys.chipset).toBe('ich9');
    expect(sys.nics).toHaveLength(HARDWARE.nics);
    expect(sys.nics.every((n) => n.type === 'virtio')).toBe(true);
    expect(sys.extradata[DMI_SYSTEM_PRODUCT]).toBe(PROXY_PRODUCT);
    expect(sys.disks).toMatchObject([{ href: disk!.name, format: OVF_DISK_FORMAT }]);
    vmdk = path.join(tmp, disk!.name);
    fs.writeFileSync(vmdk, disk!.data);
    const info = JSON.parse(execFileSync('qemu-img', ['info', '--output=json', vmdk], { encoding: 'utf8' })) as { format: string; 'virtual-size': number; 'format-specific'?: { data?: { 'create-type'?: string } } };
    expect(info).toMatchObject({ format: 'vmdk', 'virtual-size': sys.disks[0]!.capacity });
    expect(info['format-specific']?.data?.['create-type']).toBe('streamOptimized');
  });

  it('boots under QEMU with its configuration in SMBIOS and takes the generated key over SSH', async () => {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'dcod-test', '-f', path.join(tmp, 'id_ed25519')]);
    const key = fs.readFileSync(path.join(tmp, 'id_ed25519'));
    const config = encodeApplianceConfig({
      hostname: HOSTNAME,
      sshAuthorizedKeys: [bareKey(fs.readFileSync(path.join(tmp, 'id_ed25519.pub'), 'utf8'))],
      underlay: { address: `${UNDERLAY_ADDRESS}/24`, gateway: UNDERLAY_GATEWAY },
    });
    expect(HOSTNAME).toHaveLength(63);
    sshPort = await freePort();
    const started = Date.now();
    vm = startQemu({ disk: vmdk, diskFormat: 'vmdk', macs: nicMacs(proxyConfig()), product: PROXY_PRODUCT, oemStrings: ['vboxVer_7.0.6', config], sshPort, consoleLog: path.join(tmp, 'console.log'), memoryMB: HARDWARE.memoryMB, accel: ACCEL });
    runner = await waitForSsh(sshPort, key);
    const guest = /\[\s*([\d.]+)\] dcod-boot\[\d+\]: dcod-boot: /.exec(vm.console())?.[1];
    console.log(`SSH login ${((Date.now() - started) / 1000).toFixed(1)} s after QEMU started (${ACCEL}); dcod-boot done ${guest ?? '?'} s into the kernel's boot`);
    expect(vm.console()).toContain(`dcod-boot: ${HOSTNAME}: underlay nic1 ${UNDERLAY_ADDRESS}/24 via ${UNDERLAY_GATEWAY}, 1 authorized keys`);
  });

  it('took its hostname, key and underlay from the OEM string, and nothing else is configured', async () => {
    expect((await sh('hostname')).trim()).toBe(HOSTNAME);
    expect((await sh('cat /sys/class/dmi/id/product_name')).trim()).toBe(PROXY_PRODUCT);
    expect(await sh('ip -4 -o addr show dev nic1')).toContain(`inet ${UNDERLAY_ADDRESS}/24`);
    expect(await sh('ip -4 route show default')).toContain(`default via ${UNDERLAY_GATEWAY} dev nic1`);
    // DCoD's way in on a real LAN: the EUI-64 link-local address of nic1's MAC, usable at once (no DAD).
    const ll = await sh('ip -6 -o addr show dev nic1 scope link');
    expect(ll).toContain(`inet6 ${linkLocalOf(proxyConfig().underlay.mac)}/64`);
    expect(ll).not.toMatch(/tentative|dadfailed/);
    expect((await sh('cat /proc/sys/net/ipv6/conf/nic1/accept_dad')).trim()).toBe('0');
    const macs = nicMacs(proxyConfig());
    for (const [i, mac] of macs.entries()) expect((await sh(`cat /sys/class/net/nic${i + 1}/address`)).trim()).toBe(mac.toLowerCase());
    expect(await sh('ip -4 -o addr show dev nic2')).toBe('');
    expect((await sh('sshd -T | grep -E "^(passwordauthentication|kbdinteractiveauthentication|permitrootlogin) "')).split('\n').sort().filter(Boolean)).toEqual([
      'kbdinteractiveauthentication no',
      'passwordauthentication no',
      'permitrootlogin without-password',
    ]);
    expect(await sh('ls /etc/ssh/ssh_host_ed25519_key.pub')).toContain('ssh_host_ed25519_key.pub');
    for (const tool of ['ip', 'bridge', 'dnsmasq', 'nft', 'tcpdump', 'awk', 'comm', 'cmp', 'sha256sum']) await sh(`command -v ${tool}`);
  });

  it('runs the overlay converge script for its host, which succeeds, and the app then observes exactly the desired proxy', async () => {
    const cfg = proxyConfig();
    const res = await runner!.exec('sh -s', { stdin: convergeScript(cfg), timeoutMs: 180_000 });
    expect(res.stderr + res.stdout).not.toMatch(/dcod-proxy: /);
    expect(res.code).toBe(0);
    const observed = await observeProxy('h1', runner!, { underlayMac: cfg.underlay.mac });
    expect([...observed.facts].sort()).toEqual(desiredFacts(cfg));
    // Idempotent on the real image too: a second run succeeds and changes nothing.
    const again = await runner!.exec('sh -s', { stdin: convergeScript(cfg), timeoutMs: 180_000 });
    expect(again.code).toBe(0);
    expect((await observeProxy('h1', runner!, { underlayMac: cfg.underlay.mac })).facts).toEqual(observed.facts);
  });

  it('offers public-key authentication only', async () => {
    const methods = await new Promise<string[]>((resolve, reject) => {
      const c = new ssh2.Client();
      c.on('error', (err) => reject(err));
      c.connect({
        host: '127.0.0.1',
        port: sshPort,
        username: 'root',
        // After a "none" attempt the server lists the methods it would accept.
        authHandler: (left, _partial, next) => {
          if (left === null) return next({ type: 'none', username: 'root' });
          resolve(left);
          c.end();
          return next(false as unknown as ssh2.AuthenticationType);
        },
      });
    });
    expect(methods).toEqual(['publickey']);
  });
});
