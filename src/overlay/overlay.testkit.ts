/**
 * The overlay's test datacenter — switches a (VNI 5001) and b (VNI 5002) with DHCP, router r1 between them
 * with a NAT uplink, VMs on three hosts — and observed hosts and proxies in the shapes the overlay reads.
 */
import type { ObservedHost, ObservedVm } from '../hosts/observed';
import { doc } from '../model/document.testkit';
import type { Datacenter } from '../model/document';
import { dcodGroup, EXTRA_DATACENTER, EXTRA_ROLE } from '../model/tags';
import type { Nic } from '../vbox/showvminfo';
import type { ObservedProxy } from './observed';

export function overlayDoc(parts: { vms?: Datacenter['vms']; underlayMtu?: number } = {}): Datacenter {
  return doc({
    underlayMtu: parts.underlayMtu ?? 1500,
    switches: [
      { name: 'a', vni: 5001, subnet: '10.0.1.0/24', dhcp: true },
      { name: 'b', vni: 5002, subnet: '10.0.2.0/24', dhcp: true },
    ],
    routers: [{ name: 'r1', interfaces: [{ switch: 'a', address: '10.0.1.1' }, { switch: 'b', address: '10.0.2.1' }], natUplink: true }],
    vms: parts.vms ?? [
      { name: 'a1', nics: [{ switch: 'a', mac: '080027000A01' }] },
      { name: 'b1', nics: [{ switch: 'b', mac: '080027000B01', address: '10.0.2.50' }] },
      { name: 'a2', nics: [{ switch: 'a' }] },
      { name: 'a3', nics: [{ switch: 'a', mac: '080027000A03' }] },
      { name: 'b2', nics: [{ switch: 'b', mac: '080027000B02' }] },
    ],
  });
}

export const overlayPlacement = (): Map<string, string> =>
  new Map([
    ['a1', 'h1'],
    ['b1', 'h1'],
    ['a2', 'h2'],
    ['a3', 'h2'],
    ['b2', 'h3'],
  ]);

/** A VM of datacenter `dc` as observed: `nics[i]` is slot i+1, `intnet:<name>`, `bridged:<if>` or `null`. */
export function vmSeen(name: string, role: 'vm' | 'proxy', o: { state?: ObservedVm['state']; chipset?: 'piix3' | 'ich9'; nics?: readonly { attach: string; mac: string }[]; extraData?: Record<string, string> } = {}): ObservedVm {
  const nics: Nic[] = (o.nics ?? []).map((n, i) => {
    const [type, network] = n.attach.split(':') as [Nic['attachment'], string | undefined];
    return { slot: i + 1, attachment: type, attachmentRaw: type, ...(network ? { network } : {}), mac: n.mac, cableConnected: true, portForwards: [] };
  });
  return {
    name,
    uuid: `00000000-0000-4000-8000-${Buffer.from(name).toString('hex').padStart(12, '0').slice(-12)}`,
    groups: [dcodGroup('dc')],
    state: o.state ?? 'running',
    chipset: o.chipset ?? 'piix3',
    nics,
    storageControllers: [],
    storageAttachments: [],
    snapshots: { root: undefined, current: undefined },
    guestAdditions: { facilities: [] },
    raw: {},
    extraData: { [EXTRA_DATACENTER]: 'dc', [EXTRA_ROLE]: role, ...o.extraData },
    guestProperties: {},
  };
}

export function hostSeen(host: string, vms: readonly ObservedVm[] = [], o: { reachable?: boolean } = {}): ObservedHost {
  return {
    host,
    reachable: o.reachable ?? true,
    vbox: { version: '7.0.6', major: 7, minor: 0, patch: 6 },
    bridgedInterfaces: [
      { name: 'eno1', status: 'Up' },
      { name: 'br0', status: 'Up', ipv4: `198.18.0.1${host.slice(1)}` },
    ],
    internalNetworks: [],
    vms,
    warnings: [],
    observedAt: '2025-01-01T00:00:00.000Z',
  };
}

export const proxySeen = (host: string, vtep: string | undefined, facts: readonly string[] = []): ObservedProxy => ({ host, reachable: true, ...(vtep ? { vtep } : {}), facts, observedAt: '2025-01-01T00:00:00.000Z' });
