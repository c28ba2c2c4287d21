import { describe, expect, it } from 'vitest';
import { fixture, parseFixture } from './fixtures.testkit';
import {
  parseDhcpServers, parseHostDrives, parseHostInfo, parseHostInterfaces, parseHostOnlyNetworks, parseIntNets, parseMedia,
  parseNatNetworks, parseOsTypes, parseSystemProperties, parseVmList,
} from './list';

describe('parseVmList', () => {
  it('one VM (7.2.20 Windows, CRLF)', () => {
    expect(parseFixture('win-7.2.20-list-vms.txt', parseVmList)).toEqual([{ name: 'pleiades-probe', uuid: '9883f6c3-b17d-4077-aa52-d9c49a6912a5', accessible: true }]);
  });

  it('one and two VMs (5.x/6.0)', () => {
    expect(parseFixture('list-vms-5.2-or-6.0-linux-one-vm.txt', parseVmList)).toEqual([{ name: 'ubuntu-18.04-amd64_1549746024485_35372', uuid: '6294f16b-4f05-4430-afb9-773bdb237aec', accessible: true }]);
    expect(parseFixture('list-vms-5x-macos-two-vms.txt', parseVmList).map((v) => v.name)).toEqual(['Ubuntu', 'go-virtualbox']);
  });

  it('a name with a line break, and an inaccessible VM', () => {
    expect(parseFixture('list-vms-with-newline-in-name-and-inaccessible-gns3-test-literal.txt', parseVmList)).toEqual([
      { name: 'Windows 8.1', uuid: '27b4d095-ff5f-4ac4-bb9d-5f2c7861c1f1', accessible: true },
      { name: 'Carriage\nReturn', uuid: '27b4d095-ff5f-4ac4-bb9d-5f2c7861c3f3', accessible: true },
      { name: '<inaccessible>', uuid: '42b4d095-ff5f-4ac4-bb9d-5f2c7861c1f1', accessible: false },
      { name: 'Linux Microcore 4.7.1', uuid: 'ccd8c50b-c172-457d-99fa-dd69371ede0e', accessible: true },
    ]);
  });

  it('quotes inside a name', () => {
    expect(parseVmList('"say "hi" {x}" {27b4d095-ff5f-4ac4-bb9d-5f2c7861c1f1}\n')).toEqual([{ name: 'say "hi" {x}', uuid: '27b4d095-ff5f-4ac4-bb9d-5f2c7861c1f1', accessible: true }]);
  });

  it('skips the prompts of a cmd.exe transcript', () => {
    const vms = parseVmList(fixture('transcript-win-cmd-list-startvm-controlvm-poweroff.txt'));
    expect(vms).toEqual([
      { name: 'AlmaLinux9', uuid: '6ebc2119-de35-467b-a695-047eb2e424f5', accessible: true },
      { name: 'AlmaLinux9', uuid: '6ebc2119-de35-467b-a695-047eb2e424f5', accessible: true },
    ]);
  });
});

describe('parseHostInterfaces', () => {
  it('bridged, 4.3 Windows, uncompressed IPv6', () => {
    expect(parseFixture('list-bridgedifs-4.3-windows-one-if-FRAGMENT.txt', parseHostInterfaces)).toEqual([
      {
        name: 'Intel(R) Ethernet Connection I217-V', guid: '4b8796d6-a4ed-4752-8e8e-bf23984fd93c', dhcp: true, ipAddress: '192.168.1.19', networkMask: '255.255.255.0',
        ipv6Address: 'fe80:0000:0000:0000:31c2:0053:4f50:4e64', ipv6PrefixLength: 64, mac: 'bc:5f:f4:ba:cc:16', mediumType: 'Ethernet', up: true,
        vboxNetworkName: 'HostInterfaceNetworking-Intel(R) Ethernet Connection I217-V',
      },
    ]);
  });

  it('bridged, 5.1 Windows 7, non-ASCII name', () => {
    const [nic] = parseFixture('list-bridgedifs-5.1.26-windows7-non-ascii-name-vagrant-8967.txt', parseHostInterfaces);
    expect(nic).toMatchObject({ name: 'DW1501 Wireless-N WLAN Half-Mini 卡', dhcp: false, ipv6Address: '', ipv6PrefixLength: 0, mac: '1c:65:9d:f8:b7:25' });
  });

  it('bridged, 5.2/6.0 Linux', () => {
    expect(parseFixture('list-bridgedifs-5.2-or-6.0-linux-eno1.txt', parseHostInterfaces)).toEqual([
      {
        name: 'eno1', guid: '316f6e65-0000-4000-8000-309c233b62a9', dhcp: false, ipAddress: '10.143.72.133', networkMask: '255.255.255.224', ipv6Address: 'fe80::9226:82e9:1101:60e6',
        ipv6PrefixLength: 64, mac: '30:9c:23:3b:62:a9', mediumType: 'Ethernet', wireless: false, up: true, vboxNetworkName: 'HostInterfaceNetworking-eno1',
      },
    ]);
  });

  it('bridged, 7.x macOS: five interfaces, names with colons', () => {
    const nics = parseFixture('list-bridgedifs-7x-macos-anonymized-mac.txt', parseHostInterfaces);
    expect(nics.map((n) => [n.name, n.ipAddress, n.wireless, n.vboxNetworkName])).toEqual([
      ['en1: Wi-Fi (AirPort)', '10.0.0.49', true, 'HostInterfaceNetworking-en1'],
      ['en0: Ethernet', '0.0.0.0', false, 'HostInterfaceNetworking-en0'],
      ['bridge100', '192.168.61.1', false, 'HostInterfaceNetworking-bridge100'],
      ['en2: Thunderbolt 1', '0.0.0.0', false, 'HostInterfaceNetworking-en2'],
      ['bridge101', '192.168.22.1', false, 'HostInterfaceNetworking-bridge101'],
    ]);
  });

  it('host-only, 4.x: two interfaces, and one with IPv6', () => {
    expect(parseFixture('list-hostonlyifs-4x-two-ifs.txt', parseHostInterfaces).map((n) => [n.name, n.ipAddress, n.guid])).toEqual([
      ['vboxnet0', '172.28.128.1', '786f6276-656e-4074-8000-0a0027000000'],
      ['vboxnet1', '10.0.0.1', '5764a976-8479-8388-1245-8a0048080840'],
    ]);
    expect(parseFixture('list-hostonlyifs-4x-ipv6.txt', parseHostInterfaces)).toEqual([
      expect.objectContaining({ name: 'vboxnet1', ipAddress: '192.168.57.1', ipv6Address: 'fde4:8dba:82e1::', ipv6PrefixLength: 64, up: true }),
    ]);
  });

  it('host-only, 5.x: one interface that is down', () => {
    expect(parseFixture('list-hostonlyifs-5x-vboxnet0-down.txt', parseHostInterfaces)).toEqual([expect.objectContaining({ name: 'vboxnet0', ipAddress: '192.168.56.1', up: false })]);
  });

  it('host-only, 5.2/6.0 Linux: one down, one up with IPv6', () => {
    expect(parseFixture('list-hostonlyifs-5.2-or-6.0-linux-two-ifs-ipv6.txt', parseHostInterfaces).map((n) => [n.name, n.ipAddress, n.up, n.ipv6Address, n.wireless])).toEqual([
      ['vboxnet0', '192.168.33.1', false, '', false],
      ['vboxnet1', '192.168.19.1', true, 'fe80::800:27ff:fe00:1', false],
    ]);
  });
});

describe('parseHostOnlyNetworks (7.x)', () => {
  it.each([
    ['list-hostonlynets-7x-macos.txt', ['192.168.61.0', '192.168.61.0']],
    ['list-hostonlynets-7x-macos-dhcp-range.txt', ['192.168.61.10', '192.168.61.100']],
  ])('%s: a blank line inside each record', (name, [lower, upper]) => {
    expect(parseFixture(name, parseHostOnlyNetworks)).toEqual([
      { name: 'vagrantnet-vbox1', guid: '10000000-0000-0000-0000-000000000000', enabled: true, networkMask: '255.255.255.0', lowerIp: lower, upperIp: upper, vboxNetworkName: 'hostonly-vagrantnet-vbox1' },
      { name: 'vagrantnet-vbox2', guid: '20000000-0000-0000-0000-000000000000', enabled: true, networkMask: '255.255.255.0', lowerIp: '192.168.22.0', upperIp: '192.168.22.0', vboxNetworkName: 'hostonly-vagrantnet-vbox2' },
    ]);
  });
});

describe('parseNatNetworks', () => {
  it.each(['list-natnets-5x-natnetwork-loopback-mapping.txt', 'list-natnets-sorted-5.2-or-6.0-linux.txt'])('%s', (name) => {
    expect(parseFixture(name, parseNatNetworks)).toEqual([
      {
        name: 'NatNetwork', gateway: '10.0.2.1', network: '10.0.2.0/24', ipv6Enabled: false, ipv6Prefix: 'fd17:625c:f037:2::/64', dhcpEnabled: true, enabled: true,
        loopbackMappings: [{ address: '127.0.0.1', offset: 2 }], portForwards: [],
      },
    ]);
  });

  it('the 7.x spellings and port-forwarding rules', () => {
    const text = 'Name:         dcod\nNetwork:      10.9.0.0/24\nGateway:      10.9.0.1\nDHCP Server:  No\nIPv6:         No\nEnabled:      Yes\nPort-forwarding (ipv4)\n        ssh:tcp:[]:1022:[10.9.0.5]:22\n';
    expect(parseNatNetworks(text)).toEqual([
      { name: 'dcod', gateway: '10.9.0.1', network: '10.9.0.0/24', ipv6Enabled: false, dhcpEnabled: false, enabled: true, loopbackMappings: [], portForwards: ['ssh:tcp:[]:1022:[10.9.0.5]:22'] },
    ]);
  });
});

describe('parseDhcpServers', () => {
  const vboxnet = (n: number, ip: string, lower: string, upper: string) => ({ networkName: `HostInterfaceNetworking-vboxnet${n}`, serverIp: ip, networkMask: '255.255.255.0', lowerIp: lower, upperIp: upper, enabled: true });

  it('4.x and 5.2/6.0 spellings', () => {
    expect(parseFixture('list-dhcpservers-4x-two-servers.txt', parseDhcpServers)).toEqual([vboxnet(0, '172.28.128.2', '172.28.128.3', '172.28.128.254'), vboxnet(1, '10.0.0.2', '10.0.0.3', '10.0.0.254')]);
    expect(parseFixture('list-dhcpservers-5.2-or-6.0-linux-two-servers.txt', parseDhcpServers)).toEqual([vboxnet(0, '192.168.56.100', '192.168.56.101', '192.168.56.254'), vboxnet(1, '192.168.19.2', '192.168.19.3', '192.168.19.254')]);
  });

  it('5.x Windows host-only network name with spaces', () => {
    expect(parseFixture('list-dhcpservers-5x-windows-hostonly-name.txt', parseDhcpServers)).toEqual([
      { networkName: 'HostInterfaceNetworking-VirtualBox Host-Only Ethernet Adapter', serverIp: '192.168.56.100', networkMask: '255.255.255.0', lowerIp: '192.168.56.101', upperIp: '192.168.56.254', enabled: true },
    ]);
  });

  it('6.1 spellings with the nested Global Configuration block', () => {
    expect(parseFixture('list-dhcpservers-6.1-one-server.txt', parseDhcpServers)).toEqual([vboxnet(0, '192.168.56.100', '192.168.56.101', '192.168.56.254')]);
    expect(parseFixture('list-dhcpservers-6.1-two-servers.txt', parseDhcpServers)).toEqual([vboxnet(0, '192.168.56.100', '192.168.56.101', '192.168.56.254'), vboxnet(5, '172.28.128.2', '172.28.128.3', '172.28.128.254')]);
  });
});

describe('parseMedia and parseHostDrives', () => {
  it('a base disk and its differencing child', () => {
    expect(parseFixture('list-hdds-5.2-or-6.0-linux-base-and-differencing.txt', parseMedia)).toEqual([
      {
        uuid: 'ebb6dca0-879f-480b-a50e-9efe330bd021', state: 'locked read', type: 'normal (base)', format: 'VMDK', capacityMb: 65536, encryption: 'disabled',
        location: '/virtual/machines/ubuntu-18.04-amd64_1549746024485_35372/ubuntu-18.04-amd64-disk001.vmdk',
      },
      {
        uuid: '1c182745-4b09-41a1-a147-d3ced46f72f6', parentUuid: 'ebb6dca0-879f-480b-a50e-9efe330bd021', state: 'created', type: 'normal (differencing)', format: 'VMDK', capacityMb: 65536, encryption: 'disabled',
        location: '/virtual/machines/ubuntu-18.04-amd64_1549746024485_35372/Snapshots/{1c182745-4b09-41a1-a147-d3ced46f72f6}.vmdk',
      },
    ]);
  });

  it('a DVD image without parent line', () => {
    expect(parseFixture('list-dvds-5.2-or-6.0-linux.txt', parseMedia)).toEqual([
      { uuid: '897aa7bc-1ec1-4e13-a16d-101d3716c72d', state: 'created', type: 'normal (base)', location: '/tmp/test.dvd', format: 'RAW', capacityMb: 100, encryption: 'disabled' },
    ]);
  });

  it('host DVD drives', () => {
    expect(parseFixture('list-hostdvds-5.2-or-6.0-linux.txt', parseHostDrives)).toEqual([{ uuid: '00445644-0000-0000-2f64-65762f737230', name: '/dev/sr0' }]);
  });
});

describe('parseSystemProperties', () => {
  it('7.0 Linux: NIC limits per chipset and a value glued to its colon', () => {
    const p = parseFixture('list-systemproperties-7.0-linux.txt', parseSystemProperties);
    expect(p).toMatchObject({
      apiVersion: '7_0', minGuestRamMb: 4, maxGuestRamMb: 2097152, minGuestCpus: 1, maxGuestCpus: 64, maxNics: { piix3: 8, ich9: 36 },
      defaultMachineFolder: '/home/username/VirtualBox VMs', defaultAdditionsIso: '/usr/share/virtualbox/VBoxGuestAdditions.iso',
    });
    expect(p.values.get('Maximum PIIX3 Floppy Controllers')).toBe('1');
    expect(p.values.get('Remote desktop ExtPack')).toBe('');
  });

  it('4.3 Windows fragment with an elision line', () => {
    const p = parseFixture('list-systemproperties-4.3-windows-FRAGMENT-elided.txt', parseSystemProperties);
    expect(p).toMatchObject({ apiVersion: '4_3', maxGuestRamMb: 2097152, maxNics: {}, defaultAdditionsIso: 'C:\\Program Files\\Oracle\\VirtualBox/VBoxGuestAdditions.iso' });
  });
});

describe('parseHostInfo', () => {
  it('Windows 11, 7.2.20 (CRLF)', () => {
    const h = parseFixture('win-7.2.20-list-hostinfo.txt', parseHostInfo);
    expect(h).toMatchObject({
      hostTimeMs: Date.UTC(2026, 8, 27, 16, 20, 57, 30), processorCount: 20, processorOnlineCount: 20, processorCoreCount: 20, hwVirtualization: true, nestedPaging: true,
      memorySizeMb: 32388, memoryAvailableMb: 15121, operatingSystem: 'Windows 11', operatingSystemVersion: '10.0.26200.9457',
    });
    expect(h.processorDescriptions).toHaveLength(20);
    expect(h.processorDescriptions[19]).toBe('Intel(R) Core(TM) Ultra 7 265KF');
  });
});

describe('parseIntNets and parseOsTypes (no captures yet; layout as VBoxManageList.cpp prints it)', () => {
  it('internal networks: one Name line each, no blank lines between', () => {
    expect(parseIntNets('Name:        dcod-vni-100\nName:        intnet\n')).toEqual(['dcod-vni-100', 'intnet']);
    expect(parseIntNets('')).toEqual([]);
  });

  it('OS types', () => {
    expect(parseOsTypes('ID:          Ubuntu_64\nDescription: Ubuntu (64-bit)\nFamily ID:   Linux\nFamily Desc: Linux\n64 bit:      true\n\nID:          Other\nDescription: Other/Unknown\n')).toEqual([
      { id: 'Ubuntu_64', description: 'Ubuntu (64-bit)', familyId: 'Linux', familyDescription: 'Linux', is64Bit: true },
      { id: 'Other', description: 'Other/Unknown' },
    ]);
  });
});
