/**
 * The overlay's part of a plan: per host, the proxy VM (created, kept in shape, started, its switch NICs
 * attached live) and its configuration (one converge script, run when what the proxy reports differs
 * from what it should be). Pure and stable like the main planner, which appends these operations.
 *
 * The watchdog is this comparison: a proxy found stopped or crashed is started and configured, one that
 * rebooted (its configuration lives in a tmpfs) or drifted is configured, one that is missing is created —
 * each shows as drift in the plan until the next reconcile carries it out.
 */
import type { Diagnostic } from '../diagnostics';
import type { ObservedHost, ObservedVm } from '../hosts/observed';
import type { Datacenter } from '../model/document';
import { dcodGroup, EXTRA_DATACENTER, EXTRA_ROLE } from '../model/tags';
import type { Command, Operation } from '../plan/plan';
import * as vbox from '../vbox/commands';
import { bareKey, encodeApplianceConfig, DMI_OEM_VBOX_REV, DMI_SYSTEM_PRODUCT, proxyHostname } from './appliance';
import { desiredFacts } from './facts';
import { segmentMtu } from './mtu';
import { FIRST_SEGMENT_SLOT, LAST_SEGMENT_SLOT, PROXY_CHIPSET, PROXY_PRODUCT, proxyNicMac, proxyVmName, UNDERLAY_SLOT } from './names';
import type { ObservedProxy } from './observed';
import type { ProxyConfig } from './proxy-config';
import { convergeScript } from './script';
import { ownedVm, overlayTopology } from './topology';

/** A proxy's LAN address given by the user, for LANs without DHCP: `198.18.0.250/24`. */
export interface StaticUnderlay {
  readonly address: string;
  readonly gateway?: string;
}

export interface OverlayOptions {
  /** The public key the proxies accept (./keys), one line. */
  readonly sshPublicKey: string;
  /** Host → the host interface a proxy's NIC 1 bridges to. Default: the one carrying the host's address. */
  readonly lanAdapters?: Readonly<Record<string, string>>;
  /** Host → its address in the inventory, to find its LAN adapter. */
  readonly hostAddresses?: Readonly<Record<string, string>>;
  /** Host → a fixed LAN address for its proxy (its NAT uplink's), for LANs without DHCP. */
  readonly staticUnderlay?: Readonly<Record<string, StaticUnderlay>>;
  readonly proxyMemoryMb?: number;
  /**
   * Host → the path on that host of the proxy appliance's OVA (build/proxy-image), imported to create the
   * proxy. Without one the proxy is an empty VM, which only the lab's simulator boots as the appliance.
   */
  readonly proxyImage?: Readonly<Record<string, string>>;
}

export interface OverlayPlan {
  readonly operations: readonly Operation[];
  readonly diagnostics: readonly Diagnostic[];
}

const PROXY_MEMORY_MB = 128;
/** VM states from which `startvm` brings the proxy back. */
const STARTABLE = new Set(['poweroff', 'aborted', 'saved', 'aborted-saved', 'teleported']);

const V = (argv: readonly string[]): Command => ['VBoxManage', ...argv];

/** The bridged interface whose address is the host's, else the first one that is up with an address. */
export function lanAdapter(host: ObservedHost, address: string | undefined): string | undefined {
  const ifs = host.bridgedInterfaces;
  return (ifs.find((i) => address !== undefined && i.ipv4 === address) ?? ifs.find((i) => i.status === 'Up' && i.ipv4) ?? ifs.find((i) => i.ipv4))?.name;
}

/** A new proxy VM: the appliance imported from its OVA when the host has it, else an empty VM. */
function createProxy(name: string, dc: string, ova: string | undefined): Command[] {
  if (ova === undefined) return [V(vbox.createVm({ name, osType: 'Linux26_64', groups: [dcodGroup(dc)] }))];
  return [V(vbox.importAppliance(ova, { vmName: name })), V(vbox.modifyVm(name, { groups: [dcodGroup(dc)] }))];
}

/** Every adapter of the proxy as it should be: NIC 1 on the LAN, one NIC per carried switch, the rest null. */
function proxyNics(cfg: ProxyConfig, adapter: string): vbox.NicSettings[] {
  const bySlot = new Map(cfg.segments.map((s) => [s.slot, s]));
  const nics: vbox.NicSettings[] = [
    { slot: UNDERLAY_SLOT, attachment: { type: 'bridged', adapter }, mac: cfg.underlay.mac, nicType: 'virtio', cableConnected: true },
  ];
  for (let slot = FIRST_SEGMENT_SLOT; slot <= LAST_SEGMENT_SLOT; slot++) {
    const s = bySlot.get(slot);
    nics.push({
      slot,
      attachment: s ? { type: 'intnet', network: vbox.vniIntnetName(s.vni) } : { type: 'null' },
      mac: proxyNicMac(cfg.datacenter, cfg.host, slot),
      nicType: 'virtio',
      cableConnected: true,
      promiscuous: 'allow-all',
    });
  }
  return nics;
}

function extraData(cfg: ProxyConfig, opts: OverlayOptions): Record<string, string> {
  const fixed = opts.staticUnderlay?.[cfg.host];
  return {
    [EXTRA_DATACENTER]: cfg.datacenter,
    [EXTRA_ROLE]: 'proxy',
    [DMI_SYSTEM_PRODUCT]: PROXY_PRODUCT,
    [DMI_OEM_VBOX_REV]: encodeApplianceConfig({
      hostname: proxyHostname(cfg.host),
      sshAuthorizedKeys: [bareKey(opts.sshPublicKey)],
      underlay: fixed ? { address: fixed.address, ...(fixed.gateway ? { gateway: fixed.gateway } : {}) } : { dhcp: true },
    }),
  };
}

const attachmentOf = (nic: vbox.NicSettings): string => {
  const a = nic.attachment;
  return a?.type === 'intnet' ? `intnet ${a.network}` : a?.type === 'bridged' ? `bridged ${a.adapter}` : (a?.type ?? 'none');
};
const observedAttachment = (vm: ObservedVm, slot: number): string => {
  const n = vm.nics.find((x) => x.slot === slot);
  if (!n) return 'none';
  return n.attachment === 'intnet' || n.attachment === 'bridged' ? `${n.attachment} ${n.network ?? ''}` : n.attachment;
};

/** What about the VM can only change while it is off (and takes a reboot to reach the guest). */
function offlineDrift(vm: ObservedVm, nics: readonly vbox.NicSettings[], extra: Record<string, string>): string[] {
  const out: string[] = [];
  if (vm.chipset !== PROXY_CHIPSET) out.push(`chipset ${vm.chipset ?? '?'} → ${PROXY_CHIPSET}`);
  const disabled = nics.filter((n) => observedAttachment(vm, n.slot) === 'none').map((n) => n.slot);
  if (disabled.length) out.push(`NIC ${disabled.join(', ')} disabled`);
  const macs = nics.filter((n) => n.mac !== undefined && vm.nics.find((x) => x.slot === n.slot)?.mac !== n.mac?.toUpperCase()).map((n) => n.slot);
  if (macs.length) out.push(`MAC of NIC ${macs.join(', ')}`);
  for (const [key, value] of Object.entries(extra)) if (vm.extraData[key] !== value) out.push(`extra data ${key.split('/').at(-1)}`);
  return out;
}

function factDiff(observed: readonly string[], desired: readonly string[]): string {
  const have = new Set(observed);
  const want = new Set(desired);
  const missing = desired.filter((f) => !have.has(f));
  const extra = observed.filter((f) => !want.has(f));
  const show = (xs: string[]) => xs.slice(0, 3).join('; ') + (xs.length > 3 ? `; … (${xs.length} in all)` : '');
  return [missing.length ? `missing: ${show(missing)}` : '', extra.length ? `not wanted: ${show(extra)}` : ''].filter(Boolean).join(' — ');
}

/** What the proxy will carry, with each switch's MTU and where it comes from: the plan says which. */
function describe(dc: Datacenter, cfg: ProxyConfig): string {
  const mtu = (name: string) => {
    const sw = dc.switches.find((x) => x.name === name);
    return sw ? segmentMtu(dc, sw).how : '';
  };
  const parts = [
    cfg.segments.length ? `switches ${cfg.segments.map((s) => `${s.switch} (VNI ${s.vni} on NIC ${s.slot}; ${mtu(s.switch)})`).join(', ')}` : 'no switches',
    ...cfg.dhcp.map((d) => `DHCP of ${d.switch}`),
    ...cfg.routers.map((r) => `router ${r.name}${r.uplink ? ' with NAT uplink' : ''}`),
  ];
  return parts.join('; ');
}

export function planOverlay(desired: Datacenter, placement: ReadonlyMap<string, string>, observed: readonly ObservedHost[], proxyState: readonly ObservedProxy[], opts: OverlayOptions): OverlayPlan {
  const dc = desired.metadata.name;
  const topology = overlayTopology({ desired, placement, observed, proxies: proxyState });
  const diagnostics: Diagnostic[] = [...topology.diagnostics];
  const operations: Operation[] = [];
  const configs = new Map(topology.proxies.map((p) => [p.host, p]));
  const hosts = [...new Set([...configs.keys(), ...observed.filter((h) => ownedVm(h, dc, 'proxy')).map((h) => h.host)])].sort();

  for (const host of hosts) {
    const seen = observed.find((h) => h.host === host);
    const cfg = configs.get(host);
    if (!seen?.reachable || seen.vbox === null) {
      diagnostics.push({ severity: 'warning', path: `placement`, message: `the overlay on ${host} is left as it is: the host could not be read`, fix: `check that ${host} is reachable and has VirtualBox` });
      continue;
    }
    const vm = ownedVm(seen, dc, 'proxy');
    const ref = vm?.uuid ?? proxyVmName(dc);
    const op = (kind: string, o: Omit<Operation, 'id' | 'resource' | 'target'> & { target?: Operation['target'] }): Operation => {
      const made: Operation = { id: `proxy/${host}/${kind}@${host}`, target: o.target ?? { kind: 'host', host }, resource: { kind: 'proxy', name: host }, ...o };
      operations.push(made);
      return made;
    };

    if (!cfg) {
      if (!vm) continue;
      const running = vm.state === 'running' || vm.state === 'paused';
      op('delete', {
        action: 'delete',
        summary: `delete the overlay proxy ${vm.name} on ${host}`,
        reason: `no switch of ${dc} is on ${host} any more`,
        commands: [...(running ? [V(vbox.controlVm(ref, 'poweroff'))] : []), V(vbox.unregisterVmAndDelete(ref))],
        dependsOn: [],
      });
      continue;
    }

    const adapter = opts.lanAdapters?.[host] ?? lanAdapter(seen, opts.hostAddresses?.[host]);
    if (adapter === undefined) {
      diagnostics.push({ severity: 'error', path: 'placement', message: `${host} has no LAN adapter to bridge its overlay proxy to`, fix: `name the adapter for ${host} in the overlay settings` });
      continue;
    }
    const nics = proxyNics(cfg, adapter);
    const extra = extraData(cfg, opts);
    const setExtra = Object.entries(extra).map(([k, v]) => V(vbox.setExtraData(ref, k, v)));
    const modify = V(vbox.modifyVm(ref, { memoryMb: opts.proxyMemoryMb ?? PROXY_MEMORY_MB, cpus: 1, chipset: PROXY_CHIPSET, nics }, { chipset: PROXY_CHIPSET }));
    const before: string[] = [];
    let boots = false;

    if (!vm) {
      before.push(
        op('create', {
          action: 'create',
          summary: `create the overlay proxy ${proxyVmName(dc)} on ${host} (ICH9, NIC 1 bridged to ${adapter}, ${cfg.segments.length} switch NIC(s))`,
          reason: `switches ${cfg.segments.map((s) => s.switch).join(', ')} have VMs on ${host}`,
          // `ref` is the name here: the VM has no UUID yet.
          commands: [...createProxy(proxyVmName(dc), dc, opts.proxyImage?.[host]), modify, ...setExtra],
          dependsOn: [],
          after: { adapter, segments: cfg.segments.map((s) => ({ switch: s.switch, vni: s.vni, slot: s.slot })) },
        }).id,
      );
      boots = true;
    } else {
      const drift = offlineDrift(vm, nics, extra);
      const running = vm.state === 'running' || vm.state === 'paused';
      if (drift.length) {
        before.push(
          op('update', {
            action: 'update',
            summary: `reconfigure the overlay proxy on ${host}${running ? ' (powered off and started again)' : ''}`,
            reason: drift.join('; '),
            commands: [...(running ? [V(vbox.controlVm(ref, 'poweroff'))] : []), ...(vm.state === 'saved' || vm.state === 'aborted-saved' ? [V(vbox.discardState(ref))] : []), modify, ...setExtra],
            dependsOn: [],
          }).id,
        );
        boots = true;
      } else {
        const changed = nics.filter((n) => n.slot !== UNDERLAY_SLOT && observedAttachment(vm, n.slot) !== attachmentOf(n));
        if (changed.length) {
          const label = (n: vbox.NicSettings) => {
            const s = cfg.segments.find((x) => x.slot === n.slot);
            return s ? `NIC ${n.slot} → switch ${s.switch} (VNI ${s.vni})` : `NIC ${n.slot} → not attached`;
          };
          before.push(
            op('rewire', {
              action: 'update',
              summary: `${running ? 'attach live' : 'attach'} on the overlay proxy of ${host}: ${changed.map(label).join(', ')}`,
              reason: changed.map((n) => `NIC ${n.slot} is ${observedAttachment(vm, n.slot)}`).join('; '),
              commands: running
                ? changed.map((n) => V(vbox.controlVmNic(ref, n.slot, n.attachment!, PROXY_CHIPSET)))
                : [V(vbox.modifyVm(ref, { nics: changed.map((n) => ({ slot: n.slot, attachment: n.attachment! })) }, { chipset: PROXY_CHIPSET }))],
              dependsOn: [],
              before: Object.fromEntries(changed.map((n) => [n.slot, observedAttachment(vm, n.slot)])),
              after: Object.fromEntries(changed.map((n) => [n.slot, attachmentOf(n)])),
            }).id,
          );
        }
        if (vm.state === 'paused') {
          before.push(op('start', { action: 'start', summary: `resume the overlay proxy on ${host}`, reason: 'it is paused', commands: [V(vbox.controlVm(ref, 'resume'))], dependsOn: [...before] }).id);
        }
        if (!running) boots = true;
      }
      if (boots && !STARTABLE.has(vm.state) && !drift.length) {
        diagnostics.push({ severity: 'warning', path: 'placement', message: `the overlay proxy on ${host} is ${vm.state}; it is left until that settles`, fix: 'reconcile again in a moment' });
        continue;
      }
    }
    if (boots) {
      before.push(
        op('start', {
          action: 'start',
          summary: `start the overlay proxy on ${host}`,
          reason: !vm ? 'it was just created' : `it is ${vm.state}${vm.state === 'aborted' ? ' (crashed): the watchdog restarts it' : ''}`,
          commands: [V(vbox.startVm(ref))],
          dependsOn: [...before],
        }).id,
      );
    }

    const proxy = proxyState.find((p) => p.host === host);
    const want = desiredFacts(cfg);
    const why = boots
      ? 'the proxy boots with no configuration'
      : !proxy
        ? 'the proxy has not been observed'
        : !proxy.reachable || proxy.error
          ? `the proxy could not be read: ${proxy.error?.message ?? 'unreachable'}`
          : factDiff(proxy.facts, want);
    if (why) {
      op('configure', {
        target: { kind: 'proxy', host },
        action: 'update',
        summary: `configure the overlay proxy on ${host}: ${describe(desired, cfg)}`,
        reason: why,
        commands: [['sh', '-c', convergeScript(cfg)]],
        dependsOn: before,
        before: proxy?.facts ?? [],
        after: want,
      });
    }
  }
  return { operations, diagnostics };
}
