/**
 * A small driver of the overlay in the lab, standing in for the main planner and apply engine: it creates
 * plain guest VMs (NICs on `dcod-vni-*` internal networks, tagged as the datacenter's), observes hosts and
 * proxies, plans with `planOverlay` and carries the operations out over SSH in dependency order — host
 * operations on the host, proxy operations inside the proxy — until nothing is left to do.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { observeHost } from '../../src/hosts/observe';
import type { ObservedHost } from '../../src/hosts/observed';
import type { HostRunner } from '../../src/hosts/runner';
import type { Datacenter } from '../../src/model/document';
import { dcodGroup, EXTRA_DATACENTER, EXTRA_ROLE } from '../../src/model/tags';
import { proxyRunner } from '../../src/overlay/access';
import { generateOverlayKey, type OverlayKey } from '../../src/overlay/keys';
import { observeProxy } from '../../src/overlay/observe';
import type { ObservedProxy } from '../../src/overlay/observed';
import { planOverlay, type OverlayPlan } from '../../src/overlay/planner';
import { ownedVm } from '../../src/overlay/topology';
import { levels, type Operation } from '../../src/plan/plan';
import { KnownHosts } from '../../src/ssh/known-hosts';
import { SshRunner } from '../../src/ssh/ssh-runner';
import * as vbox from '../../src/vbox/commands';
import { labPaths } from '../lab/plan';
import { currentLab, type LabHost, type LabInfo } from '../support/lab';

export interface OverlayLab {
  readonly lab: LabInfo;
  readonly hosts: ReadonlyMap<string, { readonly info: LabHost; readonly runner: SshRunner }>;
  readonly key: OverlayKey;
  readonly configDir: string;
  close(): Promise<void>;
}

export async function openOverlayLab(lab: LabInfo = currentLab()): Promise<OverlayLab> {
  const knownHosts = await KnownHosts.open(labPaths(lab.dir).knownHosts);
  const hosts = new Map(
    lab.hosts
      .filter((h) => h.kind === 'virtualbox')
      .map((h) => [h.name, { info: h, runner: new SshRunner({ host: h.address, port: h.port, username: lab.user, auth: { kind: 'password', password: lab.password }, shell: 'posix' }, { knownHosts, hostKeyPolicy: 'require-pinned' }) }]),
  );
  const configDir = mkdtempSync(path.join(os.tmpdir(), 'dcod-overlay-e2e-'));
  return {
    lab,
    hosts,
    key: generateOverlayKey(),
    configDir,
    async close() {
      await Promise.all([...hosts.values()].map((h) => h.runner.close()));
      rmSync(configDir, { recursive: true, force: true });
    },
  };
}

function host(ol: OverlayLab, name: string): { info: LabHost; runner: SshRunner } {
  const h = ol.hosts.get(name);
  if (!h) throw new Error(`lab ${ol.lab.name} has no VirtualBox host ${name}`);
  return h;
}

export async function vboxOn(ol: OverlayLab, hostName: string, argv: readonly string[]): Promise<string> {
  const r = await host(ol, hostName).runner.run(['VBoxManage', ...argv]);
  if (r.code !== 0) throw new Error(`VBoxManage ${argv.join(' ')} on ${hostName} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

/**
 * A guest the way the main planner makes one: in the datacenter's group, tagged, NICs on the switches'
 * internal networks in order; VirtualBox picks the MACs unless the document gives them.
 */
export async function createGuest(ol: OverlayLab, dc: Datacenter, vmName: string, hostName: string): Promise<void> {
  const vm = dc.vms.find((v) => v.name === vmName);
  if (!vm) throw new Error(`the document has no VM ${vmName}`);
  const nics: vbox.NicSettings[] = vm.nics.map((n, i) => {
    const sw = 'switch' in n ? dc.switches.find((s) => s.name === n.switch) : undefined;
    // Bridged NICs go to the lab host's LAN bridge.
    const attachment: vbox.NicAttachmentSpec = sw ? { type: 'intnet', network: vbox.vniIntnetName(sw.vni) } : { type: 'bridged', adapter: 'br0' };
    return { slot: i + 1, attachment, ...(n.mac ? { mac: n.mac } : {}) };
  });
  await vboxOn(ol, hostName, vbox.createVm({ name: vmName, osType: 'Ubuntu_64', groups: [dcodGroup(dc.metadata.name)] }));
  await vboxOn(ol, hostName, vbox.modifyVm(vmName, { memoryMb: vm.memoryMb, cpus: vm.cpus, nics }));
  await vboxOn(ol, hostName, vbox.setExtraData(vmName, EXTRA_DATACENTER, dc.metadata.name));
  await vboxOn(ol, hostName, vbox.setExtraData(vmName, EXTRA_ROLE, 'vm'));
  await vboxOn(ol, hostName, vbox.startVm(vmName));
}

export async function deleteGuest(ol: OverlayLab, vmName: string, hostName: string): Promise<void> {
  await host(ol, hostName).runner.run(['VBoxManage', 'controlvm', vmName, 'poweroff']);
  await host(ol, hostName).runner.run(['VBoxManage', 'unregistervm', vmName, '--delete']);
}

/** Removes every VM of the datacenter from every lab host: guests and proxies. */
export async function wipe(ol: OverlayLab, datacenter: string): Promise<void> {
  for (const [name, h] of ol.hosts) {
    const seen = await observeHost(name, h.runner);
    // By group too: a VM whose creation stopped before it was tagged is still the datacenter's.
    for (const vm of seen.vms.filter((v) => v.extraData[EXTRA_DATACENTER] === datacenter || v.groups.includes(dcodGroup(datacenter)))) {
      await h.runner.run(['VBoxManage', 'controlvm', vm.uuid, 'poweroff']);
      await h.runner.run(['VBoxManage', 'unregistervm', vm.uuid, '--delete']);
    }
  }
}

export { until } from '../support/until';

export interface Observation {
  readonly hosts: readonly ObservedHost[];
  readonly proxies: readonly ObservedProxy[];
}

/** The runner into a host's proxy, for the proxy VM observed there. */
export async function proxyRunnerOf(ol: OverlayLab, seen: ObservedHost, datacenter: string, patient = false): Promise<HostRunner | undefined> {
  const vm = ownedVm(seen, datacenter, 'proxy');
  const mac = vm?.nics.find((n) => n.slot === 1)?.mac;
  if (!vm || !mac) return undefined;
  return proxyRunner(
    { host: seen.host, hostAddress: host(ol, seen.host).info.address, vmUuid: vm.uuid, underlayMac: mac },
    { key: ol.key, knownHostsDir: path.join(ol.configDir, 'known_hosts'), patient },
  );
}

export async function observeAll(ol: OverlayLab, datacenter: string): Promise<Observation> {
  const hosts = await Promise.all([...ol.hosts].map(([name, h]) => observeHost(name, h.runner)));
  const proxies = await Promise.all(
    hosts.map(async (seen): Promise<ObservedProxy | undefined> => {
      const vm = ownedVm(seen, datacenter, 'proxy');
      if (!vm || vm.state !== 'running') return undefined;
      const runner = await proxyRunnerOf(ol, seen, datacenter);
      if (!runner) return undefined;
      try {
        return await observeProxy(seen.host, runner, { underlayMac: vm.nics[0]!.mac! });
      } finally {
        await runner.close();
      }
    }),
  );
  return { hosts, proxies: proxies.filter((p): p is ObservedProxy => p !== undefined) };
}

/** Carries out operations level by level (a level's operations in parallel), failing on the first error. */
export async function apply(ol: OverlayLab, datacenter: string, operations: readonly Operation[]): Promise<void> {
  for (const level of levels({ datacenter, operations, diagnostics: [] })) {
    await Promise.all(
      level.map(async (op) => {
        let runner: HostRunner;
        let close = async () => {};
        if (op.target.kind === 'host') runner = host(ol, op.target.host).runner;
        else {
          const seen = await observeHost(op.target.host, host(ol, op.target.host).runner);
          // Right after a start the appliance is still booting: be patient.
          const r = await proxyRunnerOf(ol, seen, datacenter, true);
          if (!r) throw new Error(`${op.id}: no proxy VM on ${op.target.host}`);
          runner = r;
          close = () => r.close();
        }
        try {
          for (const argv of op.commands) {
            const res = await runner.run(argv, { timeoutMs: 180_000 });
            if (res.code !== 0) throw new Error(`${op.id}: ${argv.slice(0, 3).join(' ')}… failed (${res.code}):\n${res.stderr}${res.stdout.slice(-2000)}`);
          }
        } finally {
          await close();
        }
      }),
    );
  }
}

/** Observe → plan → apply until the plan is empty; returns the plans that were carried out. */
export async function reconcile(ol: OverlayLab, dc: Datacenter, placement: ReadonlyMap<string, string>, maxRounds = 4): Promise<OverlayPlan[]> {
  const plans: OverlayPlan[] = [];
  for (let round = 0; round < maxRounds; round++) {
    const seen = await observeAll(ol, dc.metadata.name);
    const hostAddresses = Object.fromEntries([...ol.hosts].map(([name, h]) => [name, h.info.address]));
    const plan = planOverlay(dc, placement, seen.hosts, seen.proxies, { sshPublicKey: ol.key.publicKey, hostAddresses });
    const errors = plan.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length) throw new Error(`the overlay plan has errors: ${errors.map((d) => d.message).join('; ')}`);
    if (plan.operations.length === 0) return plans;
    plans.push(plan);
    await apply(ol, dc.metadata.name, plan.operations);
  }
  throw new Error(`the overlay did not converge in ${maxRounds} rounds; last plan: ${plans.at(-1)?.operations.map((o) => `${o.id} (${o.reason})`).join(', ')}`);
}
