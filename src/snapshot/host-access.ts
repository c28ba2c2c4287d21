/**
 * What datacenter-wide operations (snapshots, bundles) need from the core: the inventory, a fresh read of
 * every host, and a runner per host — the same doors the apply service uses, so they share its SSH
 * connections. Plus the one way they run VBoxManage: with the host's own path to it, failing with the
 * host's parsed error.
 */
import { DcodError } from '../errors';
import { defaultVBoxManage } from '../hosts/observe';
import type { ObservedHost, ObservedVm } from '../hosts/observed';
import type { StreamingRunner } from '../hosts/runner';
import type { InventoryHost } from '../inventory/schema';
import { ownership } from '../model/tags';
import { dcodErrorOf, parseVBoxManageStderr } from '../vbox/error';
import type { Argv } from '../vbox/commands';

export interface HostAccess {
  inventory(): Promise<readonly InventoryHost[]>;
  refresh(): Promise<readonly ObservedHost[]>;
  runnerFor(host: InventoryHost): Promise<StreamingRunner>;
}

/** Runs `VBoxManage argv` on a host; resolves its stdout, or throws what VirtualBox said (with `context`). */
export async function vboxOn(access: HostAccess, host: InventoryHost, argv: Argv, context: string, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<string> {
  const runner = await access.runnerFor(host);
  const res = await runner.run([host.vboxmanage ?? defaultVBoxManage(runner.shell), ...argv], { timeoutMs: opts.timeoutMs ?? 600_000, ...(opts.signal ? { signal: opts.signal } : {}) });
  if (res.code === 0) return res.stdout;
  const parsed = parseVBoxManageStderr(res.stderr);
  if (parsed.error) throw dcodErrorOf(parsed.error, [`host ${host.name}`, context]);
  throw new DcodError(res.code === null ? 'HOST_UNREACHABLE' : 'VBOX_ERROR', res.stderr.trim() || `VBoxManage exited with ${res.code}`, { context: [`host ${host.name}`, context] });
}

/** The inventory entry of a host, or NOT_FOUND naming it. */
export function hostNamed(hosts: readonly InventoryHost[], name: string): InventoryHost {
  const host = hosts.find((h) => h.name === name);
  if (!host) throw new DcodError('NOT_FOUND', `host ${name} is not in the inventory`);
  return host;
}

/** The datacenter's own VMs (not proxies) as the hosts show them, by name. */
export function datacenterVms(observed: readonly ObservedHost[], datacenter: string): Map<string, { host: string; vm: ObservedVm }> {
  const out = new Map<string, { host: string; vm: ObservedVm }>();
  for (const h of observed) for (const vm of h.vms) if (ownership(vm, datacenter) === 'vm') out.set(vm.name, { host: h.host, vm });
  return out;
}
