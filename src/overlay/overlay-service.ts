/**
 * The overlay inside the core: the composition root gives the main planner `planner` (a part for
 * `planWith`), calls `observe` after every host refresh (so the plan sees the proxies as they are now),
 * and gives the apply engine, traffic and capture `runnerForProxy`.
 */
import path from 'node:path';
import type { ObservedHost } from '../hosts/observed';
import { defaultVBoxManage } from '../hosts/observe';
import type { StreamingRunner } from '../hosts/runner';
import type { InventoryHost } from '../inventory/schema';
import { EXTRA_DATACENTER, EXTRA_ROLE } from '../model/tags';
import type { Planner } from '../plan/planner';
import { DcodError, toDcodError } from '../errors';
import type { SshRunner } from '../ssh/ssh-runner';
import * as vbox from '../vbox/commands';
import { dcodErrorOf, parseVBoxManageStderr } from '../vbox/error';
import { parseShowVmInfo } from '../vbox/showvminfo';
import { proxyRunner, type ProxyTarget } from './access';
import { loadOrCreateOverlayKey, type OverlayKey } from './keys';
import { proxyVmName, UNDERLAY_SLOT } from './names';
import { observeProxy } from './observe';
import type { ObservedProxy } from './observed';
import { planOverlay } from './planner';

export interface OverlayServiceDeps {
  /** DCoD's config dir: the overlay key and the proxies' known_hosts live in `overlay/` there. */
  readonly configDir: string;
  inventory(): Promise<readonly InventoryHost[]>;
  runnerFor(host: InventoryHost): Promise<StreamingRunner>;
}

export class OverlayService {
  /** Proxies as last observed, by datacenter. */
  private readonly proxies = new Map<string, readonly ObservedProxy[]>();
  /** Host → the datacenter whose plan last had a proxy there: whose proxy `runnerForProxy` means. */
  private readonly datacenterOn = new Map<string, string>();
  private readonly runners = new Map<string, SshRunner>();

  private constructor(
    private readonly deps: OverlayServiceDeps,
    private readonly key: OverlayKey,
  ) {}

  static async create(deps: OverlayServiceDeps): Promise<OverlayService> {
    return new OverlayService(deps, await loadOrCreateOverlayKey(deps.configDir));
  }

  /** The overlay's part of every plan (for `planWith`, after the core planner). */
  readonly planner: Planner = (world) => {
    const placement = new Map([...world.targets].map(([vm, t]) => [vm, t.host]));
    const lanAdapters: Record<string, string> = {};
    for (const host of world.hosts.keys()) {
      const adapter = world.bridgeAdapter(host);
      if (adapter !== undefined) lanAdapters[host] = adapter;
    }
    const part = planOverlay(world.doc, placement, [...world.hosts.values()], this.proxies.get(world.dc) ?? [], { sshPublicKey: this.key.publicKey, lanAdapters });
    for (const op of part.operations) this.datacenterOn.set(op.target.host, world.dc);
    return part;
  };

  /** Reads every running proxy on these hosts (one exec each, in parallel), whatever its datacenter. */
  async observe(hosts: readonly ObservedHost[]): Promise<void> {
    const inventory = await this.deps.inventory();
    const found = hosts.flatMap((h) =>
      h.vms.filter((vm) => vm.extraData[EXTRA_ROLE] === 'proxy' && vm.extraData[EXTRA_DATACENTER] !== undefined).map((vm) => ({ host: h.host, vm, dc: vm.extraData[EXTRA_DATACENTER]! })),
    );
    const seen = await Promise.all(
      found.map(async ({ host, vm, dc }) => {
        const address = inventory.find((i) => i.name === host)?.address;
        const mac = vm.nics.find((n) => n.slot === UNDERLAY_SLOT)?.mac;
        if (vm.state !== 'running' || address === undefined || mac === undefined) return { dc, proxy: undefined };
        try {
          const runner = await this.runner({ host, hostAddress: address, vmUuid: vm.uuid, underlayMac: mac }, vm.stateChangedMs);
          return { dc, proxy: await observeProxy(host, runner, { underlayMac: mac }) };
        } catch (err) {
          // No way to it at all (no interface on its LAN…): the plan shows it as unreadable.
          return { dc, proxy: { host, reachable: false, error: toDcodError(err).toInfo(), facts: [], observedAt: new Date().toISOString() } };
        }
      }),
    );
    const byDc = new Map<string, ObservedProxy[]>();
    for (const { dc, proxy } of seen) if (proxy) (byDc.get(dc) ?? byDc.set(dc, []).get(dc)!).push(proxy);
    for (const dc of new Set(found.map((f) => f.dc))) this.proxies.set(dc, byDc.get(dc) ?? []);
  }

  /**
   * The runner inside a host's proxy. The VM is looked up on the host at that moment: within one apply
   * it may have been created a second ago, and a new VM means a new host key (and known_hosts file).
   */
  async runnerForProxy(host: string): Promise<StreamingRunner> {
    const dc = this.datacenterOn.get(host) ?? [...this.proxies].find(([, ps]) => ps.some((p) => p.host === host))?.[0];
    if (dc === undefined) throw new DcodError('NOT_FOUND', `no overlay proxy is known on ${host}: plan first`);
    const inv = (await this.deps.inventory()).find((i) => i.name === host);
    if (!inv) throw new DcodError('NOT_FOUND', `no host named "${host}" in the inventory`);
    const hostRunner = await this.deps.runnerFor(inv);
    // Bounded: a VBoxManage that hangs here would otherwise hold up the whole apply, not just this host.
    const res = await hostRunner.run([inv.vboxmanage ?? defaultVBoxManage(hostRunner.shell), ...vbox.showVmInfo(proxyVmName(dc))], { timeoutMs: 30_000 });
    if (res.code !== 0) {
      // Only VirtualBox saying so means the proxy is not there; a failing VirtualBox or a lost connection is its own error.
      const looking = [`host ${host}`, `looking up the overlay proxy ${proxyVmName(dc)}`];
      if (res.code === null) throw new DcodError('HOST_UNREACHABLE', 'the connection was lost before VBoxManage answered', { context: looking });
      const parsed = parseVBoxManageStderr(res.stderr).error;
      if (parsed && parsed.code !== 'VM_NOT_FOUND') throw dcodErrorOf(parsed, looking);
      throw new DcodError('VM_NOT_FOUND', `the overlay proxy ${proxyVmName(dc)} is not on ${host}: ${res.stderr.trim()}`);
    }
    const vm = parseShowVmInfo(res.stdout);
    const mac = vm.nics.find((n) => n.slot === UNDERLAY_SLOT)?.mac;
    if (mac === undefined) throw new DcodError('INVALID_STATE', `the overlay proxy on ${host} has no LAN NIC`);
    // Patient: the proxy may still be booting.
    return this.runner({ host, hostAddress: inv.address, vmUuid: vm.uuid, underlayMac: mac }, vm.stateChangedMs, true);
  }

  /**
   * One runner per proxy boot (`bootedMs`: when VirtualBox last changed the VM's state, its start for a
   * running VM). A proxy that crashed and was started again is another machine to SSH: a connection to
   * its previous boot is dead, and would only be found so by keepalives half a minute later. Runners of
   * that VM's earlier boots are closed.
   */
  private async runner(target: ProxyTarget, bootedMs: number | undefined, patient = false): Promise<SshRunner> {
    const vm = `${target.vmUuid}/${target.underlayMac}/`;
    const id = `${vm}${bootedMs ?? ''}/${patient}`;
    const known = this.runners.get(id);
    if (known) return known;
    for (const [other, r] of this.runners) {
      if (other.startsWith(vm) && !other.startsWith(`${vm}${bootedMs ?? ''}/`)) {
        this.runners.delete(other);
        void r.close();
      }
    }
    const r = await proxyRunner(target, { key: this.key, knownHostsDir: path.join(this.deps.configDir, 'overlay', 'known_hosts'), patient });
    this.runners.set(id, r);
    return r;
  }

  async close(): Promise<void> {
    await Promise.all([...this.runners.values()].map((r) => r.close()));
    this.runners.clear();
  }
}
