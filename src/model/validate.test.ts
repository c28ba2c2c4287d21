import { describe, expect, it } from 'vitest';
import type { ObservedHost } from '../hosts/observed';
import { docInput } from './document.testkit';
import { validateDocument } from './validate';

const messages = (input: unknown, ctx = {}) => validateDocument(input, ctx).diagnostics.map((d) => `${d.severity} ${d.path}: ${d.message}`);

const host = (name: string, memorySizeMb: number, reachable = true): ObservedHost => ({
  host: name,
  reachable,
  vbox: reachable ? { version: '7.0.6', major: 7, minor: 0, patch: 6 } : null,
  hostInfo: { processorCount: 8, memorySizeMb, memoryAvailableMb: memorySizeMb },
  bridgedInterfaces: [],
  internalNetworks: [],
  vms: [],
  warnings: [],
  observedAt: '2025-01-01T00:00:00.000Z',
});

describe('validateDocument', () => {
  it('returns the typed document when all is well', () => {
    const r = validateDocument(docInput({ switches: [{ name: 'lan', vni: 10, subnet: '10.0.0.0/24', dhcp: true }], vms: [{ name: 'web', nics: [{ switch: 'lan' }] }] }));
    expect(r.diagnostics).toEqual([]);
    expect(r.document?.vms[0]).toMatchObject({ name: 'web', cpus: 1, memoryMb: 512, power: 'running' });
  });

  it('reports schema problems with JSON paths and fixes, all at once', () => {
    const r = validateDocument(docInput({ vms: [{ name: 'Web', nics: [{} as never, { switch: 'lan', mac: 'zz' }] }, { name: 'db', colour: 'red' } as never], switches: [{ vni: 0 } as never] }));
    expect(r.document).toBeUndefined();
    expect(r.diagnostics).toEqual([
      { severity: 'error', path: 'switches[0].name', message: 'missing (expected string)', fix: 'add name' },
      { severity: 'error', path: 'switches[0].vni', message: 'a VNI is from 1 to 16777215' },
      { severity: 'error', path: 'vms[0].name', message: 'use lower-case letters, digits and "-", starting with a letter, at most 63 characters' },
      { severity: 'error', path: 'vms[0].nics[0]', message: 'a NIC is either on a virtual switch or bridged to the LAN', fix: 'write `switch: <switch name>` or `bridged: true`' },
      { severity: 'error', path: 'vms[0].nics[1].mac', message: '12 hex digits, like 080027A1B2C3' },
      { severity: 'error', path: 'vms[1].colour', message: 'unknown field "colour"', fix: 'remove it, or check its spelling' },
    ]);
  });

  it('still checks what parsed when the schema failed, without blaming references to broken items', () => {
    const input = docInput({ switches: [{ name: 'lan', vni: 99_999_999 }], vms: [{ name: 'a', nics: [{ switch: 'lan' }, { switch: 'nowhere' }], cpus: 0 }, { name: 'b', nics: [{ switch: 'nowhere' }] }] });
    expect(messages(input)).toEqual([
      'error switches[0].vni: a VNI is from 1 to 16777215',
      'error vms[0].cpus: Too small: expected number to be >=1',
      'error vms[1].nics[0].switch: unknown switch "nowhere"',
    ]);
  });

  it.each([
    ['duplicate names', { vms: [{ name: 'a' }, { name: 'a' }] }, 'error vms[1].name: name "a" is already used by vms[0]'],
    ['duplicate VNIs', { switches: [{ name: 'a', vni: 5 }, { name: 'b', vni: 5 }] }, 'error switches[1].vni: VNI 5 is already used by switches[0]'],
    ['host bits in a subnet', { switches: [{ name: 'a', vni: 5, subnet: '10.0.0.1/24' }] }, 'error switches[0].subnet: 10.0.0.1/24 has host bits set'],
    ['DHCP without a subnet', { switches: [{ name: 'a', vni: 5, dhcp: true }] }, 'error switches[0].dhcp: switch "a" serves DHCP but has no subnet to hand out'],
    ['an MTU VXLAN cannot carry', { switches: [{ name: 'a', vni: 5, mtu: 1500 }] }, 'error switches[0].mtu: MTU 1500 does not fit in the 1500-byte underlay once VXLAN adds 50 bytes'],
    ['an unknown image', { images: [{ name: 'deb', template: 'debian' }], vms: [{ name: 'a', image: 'ubuntu' }] }, 'error vms[0].image: unknown image "ubuntu"'],
    ['an unknown switch', { vms: [{ name: 'a', nics: [{ switch: 'lan' }] }] }, 'error vms[0].nics[0].switch: unknown switch "lan"'],
    ['too many NICs for piix3', { vms: [{ name: 'a', nics: Array.from({ length: 9 }, () => ({ bridged: true as const })) }] }, 'error vms[0].nics: 9 NICs, but a piix3 VM has 8 adapters'],
    ['a static address outside the subnet', { switches: [{ name: 'lan', vni: 1, subnet: '10.0.0.0/24' }], vms: [{ name: 'a', nics: [{ switch: 'lan', address: '10.0.1.5' }] }] }, 'error vms[0].nics[0].address: 10.0.1.5 is not inside the switch\'s subnet 10.0.0.0/24'],
    ['a broadcast address', { switches: [{ name: 'lan', vni: 1, subnet: '10.0.0.0/24' }], vms: [{ name: 'a', nics: [{ switch: 'lan', address: '10.0.0.255' }] }] }, 'error vms[0].nics[0].address: 10.0.0.255 is the broadcast address of 10.0.0.0/24'],
    ['a static address on a switch without subnet', { switches: [{ name: 'lan', vni: 1 }], vms: [{ name: 'a', nics: [{ switch: 'lan', address: '10.0.0.5' }] }] }, 'error vms[0].nics[0].address: VM "a" has address 10.0.0.5 but switch "lan" has no subnet'],
    ['a duplicate static address', { switches: [{ name: 'lan', vni: 1, subnet: '10.0.0.0/24' }], routers: [{ name: 'r', interfaces: [{ switch: 'lan', address: '10.0.0.1' }] }], vms: [{ name: 'a', nics: [{ switch: 'lan', address: '10.0.0.1' }] }] }, 'error vms[0].nics[0].address: 10.0.0.1 is already used on switch "lan" by routers[0].interfaces[0].address'],
    ['a duplicate MAC', { vms: [{ name: 'a', nics: [{ bridged: true, mac: '080027000001' }] }, { name: 'b', nics: [{ bridged: true, mac: '080027000001' }] }] }, 'error vms[1].nics[0].mac: MAC 080027000001 is already used by vms[0].nics[0]'],
    ['a multicast MAC', { vms: [{ name: 'a', nics: [{ bridged: true, mac: '010027000001' }] }] }, 'error vms[0].nics[0].mac: 010027000001 is a multicast MAC address (lowest bit of the first byte set)'],
    ['a router address outside the subnet', { switches: [{ name: 'lan', vni: 1, subnet: '10.0.0.0/24' }], routers: [{ name: 'r', interfaces: [{ switch: 'lan', address: '10.9.0.1' }] }] }, 'error routers[0].interfaces[0].address: 10.9.0.1 is not inside the switch\'s subnet 10.0.0.0/24'],
    ['a router on a switch without subnet', { switches: [{ name: 'lan', vni: 1 }], routers: [{ name: 'r', interfaces: [{ switch: 'lan', address: '10.0.0.1' }] }] }, 'error routers[0].interfaces[0].switch: switch "lan" has no subnet, so the router can\'t route it'],
    [
      'overlapping subnets on one router',
      { switches: [{ name: 'a', vni: 1, subnet: '10.0.0.0/16' }, { name: 'b', vni: 2, subnet: '10.0.5.0/24' }], routers: [{ name: 'r', interfaces: [{ switch: 'a', address: '10.0.0.1' }, { switch: 'b', address: '10.0.5.1' }] }] },
      'error routers[0].interfaces[1].switch: switches "a" (10.0.0.0/16) and "b" (10.0.5.0/24) overlap, so router "r" can\'t tell them apart',
    ],
    ['a router twice on one switch', { switches: [{ name: 'a', vni: 1, subnet: '10.0.0.0/24' }], routers: [{ name: 'r', interfaces: [{ switch: 'a', address: '10.0.0.1' }, { switch: 'a', address: '10.0.0.2' }] }] }, 'error routers[0].interfaces[1].switch: router "r" is already on switch "a" (interfaces[0])'],
    ['an unknown volume', { vms: [{ name: 'a', volumes: ['data'] }] }, 'error vms[0].volumes[0]: unknown volume "data"'],
    ['a volume on two VMs', { volumes: [{ name: 'data', sizeMb: 10 }], vms: [{ name: 'a', volumes: ['data'] }, { name: 'b', volumes: ['data'] }] }, 'error vms[1].volumes[0]: volume "data" is already attached to VM "a"'],
    ['a volume on no VM', { volumes: [{ name: 'data', sizeMb: 10 }] }, 'warning volumes[0]: volume "data" is attached to no VM, so it is kept where it is but not created anywhere'],
    ['apartFrom an unknown VM', { vms: [{ name: 'a', apartFrom: ['b'] }] }, 'error vms[0].apartFrom[0]: unknown VM "b"'],
    ['apartFrom itself', { vms: [{ name: 'a', apartFrom: ['a'] }] }, 'error vms[0].apartFrom[0]: VM "a" can\'t keep apart from itself'],
    ['a name VirtualBox cannot use on Windows', { vms: [{ name: 'con' }] }, 'error vms[0].name: "con" is a name Windows reserves, so VirtualBox can\'t create its folder on a Windows host'],
    ['a name like DCoD\'s own VMs', { vms: [{ name: 'dcod-proxy' }] }, 'error vms[0].name: VM names starting with "dcod-" are DCoD\'s own (the overlay\'s proxies)'],
    ['placement of an unknown VM', { placement: { ghost: 'h1' } }, 'error placement.ghost: placement names VM "ghost", which is not in vms'],
  ])('%s', (_what, parts, expected) => {
    expect(messages(docInput(parts as never))).toContain(expected);
  });

  it('gives each rule a fix', () => {
    const r = validateDocument(docInput({ switches: [{ name: 'a', vni: 5, subnet: '10.0.0.1/24' }], vms: [{ name: 'a', nics: Array.from({ length: 9 }, () => ({ switch: 'a' })) }] }));
    expect(r.diagnostics.map((d) => d.fix)).toEqual(['write the network address: 10.0.0.0/24', 'set chipset: ich9 (up to 36 NICs), or remove NICs']);
  });

  it('checks placement against the inventory and what the hosts hold', () => {
    const input = docInput({
      vms: [
        { name: 'a', memoryMb: 3000, apartFrom: ['b'] },
        { name: 'b', memoryMb: 2000 },
        { name: 'c', memoryMb: 9000, power: 'stopped' },
        { name: 'd' },
      ],
      placement: { a: 'h1', b: 'h1', c: 'h1', d: 'h9' },
    });
    expect(messages(input, { inventory: [{ name: 'h1' }, { name: 'h2' }], observed: [host('h1', 4096)] })).toEqual([
      'error placement.d: host "h9" is not in the inventory',
      'error placement.a: "a" keeps apart from "b", but both are placed on h1',
      'warning placement.b: the VMs placed on h1 need 5000 MB of memory; the host has 4096 MB',
    ]);
    expect(messages(docInput({ vms: [{ name: 'a' }], placement: { a: 'h2' } }), { observed: [host('h2', 4096, false)] })).toEqual([
      'warning placement.a: host "h2" is unreachable, so "a" can\'t be put there now',
    ]);
  });

  it('warnings alone still give the document', () => {
    const r = validateDocument(docInput({ volumes: [{ name: 'spare', sizeMb: 10 }] }));
    expect(r.document).toBeDefined();
    expect(r.diagnostics).toHaveLength(1);
  });
});
