import { describe, expect, it } from 'vitest';
import { DcodError } from '../errors';
import { fixture, parseFixture } from './fixtures.testkit';
import { parseMachineReadable } from './machinereadable';
import { guestAdditionsFromMachineReadable, nicsFromMachineReadable, parsePortForward, parseShowVmInfo } from './showvminfo';

const disabled = (slots: number[]) => slots.map((slot) => ({ slot, attachment: 'none', attachmentRaw: 'none', portForwards: [] }));

describe('parseShowVmInfo on Windows 11 / VirtualBox 7.2.20 captures', () => {
  it('running VM with one NAT NIC (CRLF)', () => {
    const vm = parseFixture('win-7.2.20-showvminfo-machinereadable-running-nat.txt', parseShowVmInfo);
    expect(vm).toMatchObject({
      name: 'pleiades-probe',
      uuid: '9883f6c3-b17d-4077-aa52-d9c49a6912a5',
      osType: 'Other/Unknown (64-bit)',
      groups: ['/'],
      state: 'running',
      stateChangedMs: Date.UTC(2026, 8, 26, 0, 41, 17, 212),
      sessionName: 'headless',
      configFile: 'G:\\PleiadesLab\\pleiades-probe\\pleiades-probe.vbox',
      memoryMb: 64,
      cpus: 1,
      chipset: 'piix3',
      firmware: 'BIOS',
      encryption: 'disabled',
      storageControllers: [],
      storageAttachments: [],
      snapshots: { root: undefined, current: undefined },
    });
    expect(vm.nics).toEqual([
      { slot: 1, attachment: 'nat', attachmentRaw: 'nat', mac: '080027101678', cableConnected: true, nicType: 'Am79C973', speedKbps: 0, natNet: 'nat', portForwards: [] },
      ...disabled([2, 3, 4, 5, 6, 7, 8]),
    ]);
    // Keys no field claims stay available.
    expect(vm.raw.get('VideoMode')).toBe('720,400,0');
    expect(vm.raw.get('autostart-enabled')).toBe('on');
    expect(vm.raw.has('name')).toBe(false);
    expect(vm.raw.has('nic1')).toBe(false);
  });

  it('powered-off VM (CRLF)', () => {
    const vm = parseFixture('win-7.2.20-showvminfo-machinereadable-poweroff-nat.txt', parseShowVmInfo);
    expect(vm).toMatchObject({ name: 'pleiades-probe', state: 'poweroff', stateChangedMs: Date.UTC(2026, 8, 26, 0, 13, 36) });
    expect(vm.sessionName).toBeUndefined();
    expect(vm.nics[0]).toMatchObject({ attachment: 'nat', mac: '080027101678' });
  });

  it('powered-off VM with one snapshot (CRLF)', () => {
    const vm = parseFixture('win-7.2.20-showvminfo-machinereadable-poweroff-with-snapshot.txt', parseShowVmInfo);
    expect(vm.snapshots).toEqual({
      root: { name: 'fixture-snap', uuid: '5732a952-0b85-4e3a-820a-1a568f31166b', description: 'fixture', path: [], children: [] },
      current: { name: 'fixture-snap', uuid: '5732a952-0b85-4e3a-820a-1a568f31166b' },
    });
    expect(vm.raw.has('CurrentSnapshotNode')).toBe(false);
  });

  it('running linked clone: NAT + host-only NICs, IDE/SCSI/floppy storage, Guest Additions', () => {
    const vm = parseFixture('win-7.2.20-showvminfo-machinereadable-running-linked-clone-nat-hostonly-ide-scsi-floppy-uart.txt', parseShowVmInfo);
    expect(vm).toMatchObject({ name: 'ubuntu-lab', uuid: '440c6dee-9275-4cf9-bd9a-9d96a4d386fb', state: 'running', memoryMb: 2048, cpus: 2, vramMb: 16 });
    expect(vm.nics.slice(0, 2)).toEqual([
      { slot: 1, attachment: 'nat', attachmentRaw: 'nat', mac: '08002754B6F3', cableConnected: true, nicType: '82540EM', speedKbps: 0, natNet: 'nat', portForwards: [] },
      { slot: 2, attachment: 'hostonly', attachmentRaw: 'hostonly', network: 'VirtualBox Host-Only Ethernet Adapter', mac: '080027811634', cableConnected: true, nicType: '82540EM', speedKbps: 0, portForwards: [] },
    ]);
    expect(vm.storageControllers).toEqual([
      { index: 0, name: 'IDE', type: 'PIIX4', instance: 0, portCount: 2, maxPortCount: 2, bootable: true },
      { index: 1, name: 'SCSI', type: 'LsiLogic', instance: 0, portCount: 16, maxPortCount: 16, bootable: true },
      { index: 2, name: 'Floppy', type: 'I82078', instance: 0, portCount: 1, maxPortCount: 1, bootable: true },
    ]);
    expect(vm.storageAttachments).toEqual([
      {
        controller: 'IDE', port: 0, device: 0, medium: 'G:\\PleiadesLab\\ubuntu-lab\\seed.iso', imageUuid: 'e074ec5a-bd85-4157-ad2d-d83f538de9e0',
        options: { tempeject: 'off', IsEjected: 'off', nonrotational: 'off', discard: 'off' },
      },
      {
        controller: 'SCSI', port: 0, device: 0, medium: 'G:\\PleiadesLab\\ubuntu-lab\\Snapshots\\{a44419a2-9529-4bf7-839f-7261dc940c27}.vmdk',
        imageUuid: 'a44419a2-9529-4bf7-839f-7261dc940c27', options: { nonrotational: 'off', discard: 'off' },
      },
      { controller: 'Floppy', port: 0, device: 0, medium: 'emptydrive', options: {} },
    ]);
    expect(vm.guestAdditions).toEqual({
      guestOsType: 'Linux26_64',
      runLevel: 1,
      version: '6.0.0 r127566',
      facilities: [
        { name: 'VirtualBox Base Driver', statusCode: 50, status: 'active', changedMs: 1790521531922 },
        { name: 'Seamless Mode', statusCode: 0, status: 'inactive', changedMs: 1790521531899 },
        { name: 'Graphics Mode', statusCode: 0, status: 'inactive', changedMs: 1790521531899 },
      ],
    });
    expect(vm.raw.get('uartmode1')).toBe('file,G:\\PleiadesLab\\ubuntu-lab\\console.log');
  });

  it('imported OVA with no NICs and a base snapshot', () => {
    const vm = parseFixture('win-7.2.20-showvminfo-machinereadable-poweroff-imported-ova-no-nics-snapshot.txt', parseShowVmInfo);
    expect(vm).toMatchObject({ name: 'ubuntu-2404-base', uuid: '58af4b55-8f5b-4126-b11d-3fff38f2b9ca', state: 'poweroff', memoryMb: 1024, cpus: 2 });
    expect(vm.nics).toEqual(disabled([1, 2, 3, 4, 5, 6, 7, 8]));
    expect(vm.storageAttachments.map((a) => [a.controller, a.medium])).toEqual([
      ['SCSI', 'G:\\PleiadesLab\\ubuntu-2404-base\\Snapshots/{ccc97fb6-a275-4e19-84f2-25842ca5bcf4}.vmdk'],
      ['Floppy', 'emptydrive'],
    ]);
    expect(vm.snapshots.root).toMatchObject({ name: 'base', description: 'Ubuntu 24.04 cloud image 20260926, never booted' });
    expect(vm.snapshots.current?.uuid).toBe('88573fb2-b63c-454f-a963-b0a46faf551f');
  });
});

describe('parseShowVmInfo on older and other-host captures', () => {
  it('5.1 Linux: three internal networks and a host-only adapter', () => {
    const vm = parseFixture('showvminfo-machinereadable-5.1-linux-poweroff-3x-intnet-hostonly-EDITED.txt', parseShowVmInfo);
    expect(vm).toMatchObject({ name: 'Company Router', groups: ['/BREACHv4'], state: 'poweroff', memoryMb: 512 });
    expect(vm.nics.slice(0, 4).map((n) => [n.slot, n.attachment, n.network, n.mac])).toEqual([
      [1, 'intnet', 'Internet', '080027CA0E5D'],
      [2, 'intnet', 'DMZ', '0800279104ED'],
      [3, 'intnet', 'Internal', '080027859405'],
      [4, 'hostonly', 'vboxnet0', '080027D98E94'],
    ]);
    expect(vm.storageAttachments).toEqual([{ controller: 'IDE', port: 1, device: 0, medium: 'emptydrive', options: {} }]);
    // 5.1's port-less key matches no attachment and is kept as printed.
    expect(vm.raw.get('IDE-IsEjected')).toBe('off');
  });

  it('5.2/6.0 Linux: SATA disk on a differencing image, one snapshot, VRDE', () => {
    const vm = parseFixture('showvminfo-machinereadable-5.2-or-6.0-linux-poweroff-nat-sata-snapshot.txt', parseShowVmInfo);
    expect(vm).toMatchObject({ name: 'ubuntu-18.04-amd64_1549746024485_35372', uuid: '6294f16b-4f05-4430-afb9-773bdb237aec', state: 'poweroff' });
    expect(vm.storageAttachments).toEqual([
      {
        controller: 'SATA Controller', port: 0, device: 0,
        medium: '/virtual/machines/ubuntu-18.04-amd64_1549746024485_35372/Snapshots/{1c182745-4b09-41a1-a147-d3ced46f72f6}.vmdk',
        imageUuid: '1c182745-4b09-41a1-a147-d3ced46f72f6', options: {},
      },
    ]);
    expect(vm.snapshots.current).toEqual({ name: 'base', uuid: '085cbbec-70cd-4864-9208-5d938dcabb71' });
    expect(vm.raw.get('vrdeproperty[TCP/Ports]')).toBe('5947');
  });

  it('5.x macOS: saved state, a NAT port forward, <not set> values', () => {
    const vm = parseFixture('showvminfo-machinereadable-5x-macos-saved-nat-vrde-sharedfolder.txt', parseShowVmInfo);
    expect(vm).toMatchObject({
      name: 'go-virtualbox',
      state: 'saved',
      stateFile: '/Users/fix/VirtualBox VMs/go-virtualbox/Snapshots/2018-04-23T09-29-48-014952000Z.sav',
    });
    expect(vm.nics[0]!.portForwards).toEqual([{ name: 'ssh', protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 2222, guestIp: '', guestPort: 22 }]);
    expect(vm.raw.get('vrdeproperty[Security/Method]')).toBe('<not set>');
    expect(vm.raw.get('SharedFolderNameMachineMapping1')).toBe('vagrant');
  });

  it('5.x Windows fragment (docker-machine): escaped backslashes, no state line', () => {
    const vm = parseFixture('showvminfo-machinereadable-5x-windows-docker-machine-dbg-toolbox-630-FRAGMENT.txt', parseShowVmInfo);
    expect(vm).toMatchObject({ name: 'default', uuid: '05294aac-fce7-4a18-abbf-fbdf17055721', state: 'unknown', memoryMb: 1024 });
    expect(vm.stateRaw).toBeUndefined();
    expect(vm.configFile).toBe('C:\\Users\\Administrator\\.docker\\machine\\machines\\default\\default\\default.vbox');
  });

  it('6.0.14 user-filtered lines: no UUID, so only the NICs and Guest Additions can be read', () => {
    const text = fixture('showvminfo-machinereadable-6.0.14-running-hostonly-nat-GA-facilities-USER-FILTERED-terraform-provider-virtualbox-79.txt');
    expect(() => parseShowVmInfo(text)).toThrow(DcodError);
    expect(() => parseShowVmInfo(text)).toThrow(/no UUID line/);
    const mr = parseFixture('showvminfo-machinereadable-6.0.14-running-hostonly-nat-GA-facilities-USER-FILTERED-terraform-provider-virtualbox-79.txt', parseMachineReadable);
    expect(nicsFromMachineReadable(mr).slice(0, 2).map((n) => [n.attachment, n.network ?? n.natNet, n.mac, n.nicType])).toEqual([
      ['hostonly', 'vboxnet1', '0800275BAF21', '82545EM'],
      ['nat', 'nat', '0800274A2EA2', '82545EM'],
    ]);
    const ga = guestAdditionsFromMachineReadable(mr);
    expect(ga).toMatchObject({ guestOsType: 'Linux26_64', runLevel: 2, version: '6.0.14 r133895' });
    expect(ga.facilities.map((f) => [f.name, f.status])).toEqual([
      ['VirtualBox Base Driver', 'active'],
      ['VirtualBox System Service', 'active'],
      ['Seamless Mode', 'inactive'],
      ['Graphics Mode', 'inactive'],
    ]);
  });

  it('7.0.0 fragment with the leaked human "Encryption:" line', () => {
    const vm = parseFixture('showvminfo-machinereadable-7.0.0-encryption-human-line-bug-vagrant-test-FRAGMENT.txt', parseShowVmInfo);
    expect(vm).toMatchObject({ name: 'vagrant-test_default_1665781960041_56631', uuid: 'MACHINE-UUID', encryption: 'disabled', memoryMb: 1024, configFile: 'MACHINE_CONFIG_PATH' });
  });

  it('7.x fragment: a NIC on a host-only network (7.x) next to NAT', () => {
    const text = fixture('showvminfo-machinereadable-7x-fragment-nat-hostonlynetwork.txt');
    expect(() => parseShowVmInfo(text)).toThrow(/no name line/);
    const nics = nicsFromMachineReadable(parseFixture('showvminfo-machinereadable-7x-fragment-nat-hostonlynetwork.txt', parseMachineReadable));
    expect(nics.slice(0, 2)).toEqual([
      {
        slot: 1, attachment: 'nat', attachmentRaw: 'nat', natNet: 'nat', mac: '080027BB1475', cableConnected: true, nicType: '82540EM', speedKbps: 0,
        portForwards: [{ name: 'ssh', protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 2222, guestIp: '', guestPort: 22 }],
      },
      { slot: 2, attachment: 'hostonlynetwork', attachmentRaw: 'hostonlynetwork', network: 'vagrantnet-vbox1', mac: '080027FBC15B', cableConnected: true, nicType: '82540EM', speedKbps: 0, portForwards: [] },
    ]);
    expect(nics).toHaveLength(8);
  });

  it('2013 macOS fragment: running, glued "Time offset" line, truncated at the end', () => {
    const vm = parseFixture('showvminfo-machinereadable-macos-2013-running-time-offset-missing-newline-vagrant-1351-FRAGMENT.txt', parseShowVmInfo);
    expect(vm).toMatchObject({ name: 'web', uuid: 'f746aadb-5045-4864-8e19-e8527371455d', osType: 'Ubuntu', state: 'running', memoryMb: 512 });
    expect(vm.raw.get('rtcuseutc')).toBe('on');
    expect(vm.raw.get('Time offset')).toBe('0');
  });
});

describe('parseShowVmInfo details', () => {
  it('keeps a description over several lines and splits groups', () => {
    const vm = parseShowVmInfo('name="a"\nUUID="u"\ngroups="/dcod/lab1,/x"\ndescription="line 1\nline \\"2\\""\nVMState="gurumeditation"\nnic1="cloudnetwork"\nnic2="weird"\n');
    expect(vm.description).toBe('line 1\nline "2"');
    expect(vm.groups).toEqual(['/dcod/lab1', '/x']);
    expect(vm.state).toBe('gurumeditation');
    expect(vm.nics.map((n) => [n.attachment, n.attachmentRaw])).toEqual([
      ['cloudnetwork', 'cloudnetwork'],
      ['unknown', 'weird'],
    ]);
  });

  it('reads a controller whose name looks like another one plus a port', () => {
    const vm = parseShowVmInfo('name="a"\nUUID="u"\nstoragecontrollername0="SATA"\nstoragecontrollername1="SATA-2"\n"SATA-2-0-0"="/b.vdi"\n"SATA-0-0"="/a.vdi"\n');
    expect(vm.storageAttachments.map((a) => [a.controller, a.port, a.medium])).toEqual([
      ['SATA-2', 0, '/b.vdi'],
      ['SATA', 0, '/a.vdi'],
    ]);
  });

  it('reads port-forward rules and refuses malformed ones', () => {
    expect(parsePortForward('web,tcp,,8080,10.0.2.15,80')).toEqual({ name: 'web', protocol: 'tcp', hostIp: '', hostPort: 8080, guestIp: '10.0.2.15', guestPort: 80 });
    expect(parsePortForward('bad')).toBeUndefined();
  });
});
