import { describe, expect, it } from 'vitest';
import * as cmd from './commands';

const UUID = '9883f6c3-b17d-4077-aa52-d9c49a6912a5';

describe('command builders render exact argv lists', () => {
  it('machines', () => {
    expect(cmd.version()).toEqual(['--version']);
    expect(cmd.list('runningvms')).toEqual(['list', 'runningvms']);
    expect(cmd.showVmInfo('web 1')).toEqual(['showvminfo', 'web 1', '--machinereadable']);
    expect(cmd.createVm({ name: 'web-1', osType: 'Ubuntu_64', baseFolder: '/vms', uuid: UUID, groups: ['/dcod/lab1'] })).toEqual([
      'createvm', '--name', 'web-1', '--ostype', 'Ubuntu_64', '--register', '--basefolder', '/vms', '--uuid', UUID, '--groups', '/dcod/lab1',
    ]);
    expect(cmd.createVm({ name: 'x', register: false })).toEqual(['createvm', '--name', 'x']);
    expect(cmd.startVm(UUID)).toEqual(['startvm', UUID, '--type', 'headless']);
    expect(cmd.controlVm('web', 'acpipowerbutton')).toEqual(['controlvm', 'web', 'acpipowerbutton']);
    expect(cmd.unregisterVmAndDelete('web')).toEqual(['unregistervm', 'web', '--delete']);
  });

  it('modifyvm sets the promiscuous policy of a NIC', () => {
    expect(cmd.modifyVm('proxy', { nics: [{ slot: 2, attachment: { type: 'intnet', network: 'dcod-vni-5001' }, promiscuous: 'allow-all' }] })).toEqual([
      'modifyvm', 'proxy', '--nic2', 'intnet', '--intnet2', 'dcod-vni-5001', '--nicpromisc2', 'allow-all',
    ]);
  });

  it('modifyvm with memory, CPUs, chipset and NICs', () => {
    expect(
      cmd.modifyVm('web', {
        memoryMb: 2048,
        cpus: 2,
        chipset: 'ich9',
        nics: [
          { slot: 1, attachment: { type: 'nat' } },
          { slot: 2, attachment: { type: 'intnet', network: cmd.vniIntnetName(100) }, mac: '080027a1b2c3', cableConnected: true, nicType: 'virtio' },
          { slot: 3, attachment: { type: 'bridged', adapter: 'en0: Ethernet' }, mac: 'auto' },
          { slot: 4, attachment: { type: 'hostonly', adapter: 'vboxnet0' } },
          { slot: 5, attachment: { type: 'natnetwork', network: 'NatNetwork' } },
          { slot: 6, attachment: { type: 'hostonlynet', network: 'vagrantnet-vbox1' } },
          { slot: 9, attachment: { type: 'none' }, cableConnected: false },
          { slot: 36, attachment: { type: 'generic', driver: 'UDPTunnel' } },
        ],
      }),
    ).toEqual([
      'modifyvm', 'web', '--memory', '2048', '--cpus', '2', '--chipset', 'ich9',
      '--nic1', 'nat',
      '--nic2', 'intnet', '--intnet2', 'dcod-vni-100', '--macaddress2', '080027A1B2C3', '--cableconnected2', 'on', '--nictype2', 'virtio',
      '--nic3', 'bridged', '--bridgeadapter3', 'en0: Ethernet', '--macaddress3', 'auto',
      '--nic4', 'hostonly', '--hostonlyadapter4', 'vboxnet0',
      '--nic5', 'natnetwork', '--natnetwork5', 'NatNetwork',
      '--nic6', 'hostonlynet', '--host-only-net6', 'vagrantnet-vbox1',
      '--nic9', 'none', '--cableconnected9', 'off',
      '--nic36', 'generic', '--nicgenericdrv36', 'UDPTunnel',
    ]);
  });

  it('groups, saved state and disk growth', () => {
    expect(cmd.modifyVm(UUID, { groups: ['/dcod/lab1'] })).toEqual(['modifyvm', UUID, '--groups', '/dcod/lab1']);
    expect(() => cmd.modifyVm('web', { groups: [] })).toThrow(/nothing to change/);
    expect(cmd.discardState('web')).toEqual(['discardstate', 'web']);
    expect(cmd.resizeDisk('/vms/dcod-lab/data.vdi', 4096)).toEqual(['modifymedium', 'disk', '/vms/dcod-lab/data.vdi', '--resize', '4096']);
    expect(() => cmd.resizeDisk('-x.vdi', 1)).toThrow(/starts with "-"/);
  });

  it('running-VM NIC changes', () => {
    expect(cmd.controlVmNic('web', 2, { type: 'intnet', network: 'dcod-vni-7' }, 'piix3')).toEqual(['controlvm', 'web', 'nic2', 'intnet', 'dcod-vni-7']);
    expect(cmd.controlVmNic('web', 1, { type: 'null' }, 'piix3')).toEqual(['controlvm', 'web', 'nic1', 'null']);
    expect(cmd.controlVmLinkState('web', 8, false, 'piix3')).toEqual(['controlvm', 'web', 'setlinkstate8', 'off']);
  });

  it('clones and snapshots', () => {
    expect(cmd.cloneVm('base', { name: 'web-2', snapshot: 'golden', linked: true })).toEqual(['clonevm', 'base', '--name', 'web-2', '--snapshot', 'golden', '--options', 'link', '--register']);
    expect(cmd.cloneVm('base', { name: 'full', register: false, baseFolder: '/vms', groups: ['/g'] })).toEqual(['clonevm', 'base', '--name', 'full', '--basefolder', '/vms', '--groups', '/g']);
    expect(cmd.snapshotTake('web', 'before upgrade', { description: '-- not an option', live: true })).toEqual(['snapshot', 'web', 'take', 'before upgrade', '--description', '-- not an option', '--live']);
    expect(cmd.snapshotList('web')).toEqual(['snapshot', 'web', 'list', '--machinereadable']);
    expect(cmd.snapshotRestore('web', UUID)).toEqual(['snapshot', 'web', 'restore', UUID]);
    expect(cmd.snapshotDelete('web', 'golden')).toEqual(['snapshot', 'web', 'delete', 'golden']);
  });

  it('media and storage', () => {
    expect(cmd.createDisk({ path: '/vms/web/disk.vdi', sizeMb: 20480 })).toEqual(['createmedium', 'disk', '--filename', '/vms/web/disk.vdi', '--size', '20480', '--format', 'VDI', '--variant', 'Standard']);
    expect(cmd.closeMedium('disk', UUID, { deleteFile: true })).toEqual(['closemedium', 'disk', UUID, '--delete']);
    expect(cmd.storageCtlAdd('web', { name: 'SATA', bus: 'sata', controller: 'IntelAhci', portCount: 2, bootable: true })).toEqual([
      'storagectl', 'web', '--name', 'SATA', '--add', 'sata', '--controller', 'IntelAhci', '--portcount', '2', '--bootable', 'on',
    ]);
    expect(cmd.storageCtlRemove('web', 'SATA')).toEqual(['storagectl', 'web', '--name', 'SATA', '--remove']);
    expect(cmd.storageAttach('web', { controller: 'SATA', port: 0, device: 0, type: 'hdd', medium: '/vms/web/disk.vdi', mtype: 'normal' })).toEqual([
      'storageattach', 'web', '--storagectl', 'SATA', '--port', '0', '--device', '0', '--type', 'hdd', '--medium', '/vms/web/disk.vdi', '--mtype', 'normal',
    ]);
  });

  it('extradata, guest properties, statistics, appliances', () => {
    expect(cmd.setExtraData('web', 'dcod/owner', 'lab1')).toEqual(['setextradata', 'web', 'dcod/owner', 'lab1']);
    expect(cmd.setExtraData('global', 'dcod/owner')).toEqual(['setextradata', 'global', 'dcod/owner']);
    expect(cmd.getExtraData('web', 'dcod/owner')).toEqual(['getextradata', 'web', 'dcod/owner']);
    expect(cmd.getExtraDataAll('global')).toEqual(['getextradata', 'global', 'enumerate']);
    expect(cmd.guestPropertyGet('web', '/VirtualBox/GuestInfo/Net/0/V4/IP')).toEqual(['guestproperty', 'get', 'web', '/VirtualBox/GuestInfo/Net/0/V4/IP']);
    expect(cmd.guestPropertyEnumerate('web', { vboxMajor: 7, patterns: ['/VirtualBox/GuestInfo/Net/*', '/VirtualBox/GuestAdd/*'] })).toEqual([
      'guestproperty', 'enumerate', 'web', '/VirtualBox/GuestInfo/Net/*', '/VirtualBox/GuestAdd/*',
    ]);
    expect(cmd.guestPropertyEnumerate('web', { vboxMajor: 6, patterns: ['/a/*', '/b/*'] })).toEqual(['guestproperty', 'enumerate', 'web', '--patterns', '/a/*|/b/*']);
    expect(cmd.guestPropertyEnumerate('web', { vboxMajor: 6 })).toEqual(['guestproperty', 'enumerate', 'web']);
    expect(cmd.debugVmStatistics('web', '/Public/NetAdapter/*')).toEqual(['debugvm', 'web', 'statistics', '--pattern', '/Public/NetAdapter/*']);
    expect(cmd.exportVm('web', '/tmp/web.ova', { manifest: true })).toEqual(['export', 'web', '--output', '/tmp/web.ova', '--manifest']);
    expect(cmd.importAppliance('/tmp/web.ova', { dryRun: true })).toEqual(['import', '/tmp/web.ova', '--dry-run']);
    expect(cmd.importAppliance('/tmp/web.ova', { vmName: 'web-3', cpus: 2, memoryMb: 1024, ignoreUnits: [5, 8] })).toEqual([
      'import', '/tmp/web.ova', '--vsys', '0', '--vmname', 'web-3', '--cpus', '2', '--memory', '1024', '--unit', '5', '--ignore', '--unit', '8', '--ignore',
    ]);
  });
});

describe('command builders refuse bad input with a BAD_REQUEST', () => {
  const refuses = (f: () => unknown, message: RegExp) => expect(f).toThrow(expect.objectContaining({ code: 'BAD_REQUEST', message: expect.stringMatching(message) }));

  it('NIC slots: 1..36 and the chipset limit', () => {
    refuses(() => cmd.modifyVm('web', { nics: [{ slot: 9, attachment: { type: 'nat' } }] }), /slot 9 does not exist on a piix3 VM, which has 8 adapters/);
    refuses(() => cmd.modifyVm('web', { nics: [{ slot: 9, attachment: { type: 'nat' } }] }, { chipset: 'piix3' }), /switch it to ich9/);
    expect(cmd.modifyVm('web', { nics: [{ slot: 9, attachment: { type: 'nat' } }] }, { chipset: 'ich9' })).toContain('--nic9');
    refuses(() => cmd.controlVmLinkState('web', 0, true, 'ich9'), /from 1 to 36, got 0/);
    refuses(() => cmd.controlVmLinkState('web', 37, true, 'ich9'), /from 1 to 36, got 37/);
    refuses(() => cmd.controlVmLinkState('web', 1.5, true, 'ich9'), /got 1.5/);
    refuses(() => cmd.modifyVm('web', { nics: [{ slot: 1, cableConnected: true }, { slot: 1, cableConnected: false }] }), /set twice/);
  });

  it('MAC addresses: 12 hex digits, unicast', () => {
    expect(cmd.macAddress('080027a1b2c3')).toBe('080027A1B2C3');
    refuses(() => cmd.macAddress('08:00:27:a1:b2:c3'), /12 hex digits without separators/);
    refuses(() => cmd.macAddress('08002'), /12 hex digits/);
    refuses(() => cmd.macAddress('010027A1B2C3'), /multicast/);
  });

  it('VNI-named internal networks', () => {
    expect(cmd.vniIntnetName(1)).toBe('dcod-vni-1');
    expect(cmd.vniIntnetName(16777215)).toBe('dcod-vni-16777215');
    refuses(() => cmd.vniIntnetName(0), /VNI must be an integer from 1 to 16777215/);
    refuses(() => cmd.vniIntnetName(16777216), /got 16777216/);
    expect(cmd.vniOfIntnet('dcod-vni-42')).toBe(42);
    expect(cmd.vniOfIntnet('dcod-vni-042')).toBeUndefined();
    expect(cmd.vniOfIntnet('dcod-vni-16777216')).toBeUndefined();
    expect(cmd.vniOfIntnet('intnet')).toBeUndefined();
    refuses(() => cmd.controlVmNic('web', 1, { type: 'intnet', network: 'dcod-vni-0' }, 'piix3'), /looks like a DCoD segment network/);
    refuses(() => cmd.controlVmNic('web', 1, { type: 'intnet', network: 'x'.repeat(128) }, 'piix3'), /128 characters; VirtualBox allows 127/);
    refuses(() => cmd.controlVmNic('web', 1, { type: 'intnet', network: '' }, 'piix3'), /internal network name is empty/);
  });

  it('names that VBoxManage would read as options, or that are blank', () => {
    refuses(() => cmd.startVm('--help'), /starts with "-".*use its UUID/);
    refuses(() => cmd.snapshotDelete('web', '-x'), /snapshot name or UUID/);
    refuses(() => cmd.createVm({ name: '  ' }), /is blank/);
    // VirtualBox sanitises file names itself: shell syntax and path characters are just text here.
    expect(cmd.createVm({ name: 'x"; touch /tmp/pwned; "' })).toEqual(['createvm', '--name', 'x"; touch /tmp/pwned; "', '--register']);
    refuses(() => cmd.createVm({ name: 'x', uuid: 'nope' }), /not a UUID/);
    refuses(() => cmd.createVm({ name: 'x', groups: ['dcod'] }), /must be a path like \/dcod\/lab1/);
    refuses(() => cmd.showVmInfo(''), /VM name or UUID is empty/);
    refuses(() => cmd.setExtraData('web', 'k', 'a\0b'), /NUL/);
  });

  it('values and combinations VirtualBox would reject', () => {
    refuses(() => cmd.modifyVm('web', {}), /nothing to change/);
    refuses(() => cmd.modifyVm('web', { memoryMb: 2 }), /memory \(MB\) must be an integer from 4/);
    refuses(() => cmd.modifyVm('web', { cpus: 0 }), /CPU count/);
    refuses(() => cmd.modifyVm('web', { chipset: 'q35' as cmd.Chipset }), /piix3 or ich9/);
    refuses(() => cmd.modifyVm('web', { nics: [{ slot: 1, nicType: 'rtl8139' as cmd.NicType }] }), /NIC type "rtl8139"/);
    refuses(() => cmd.modifyVm('web', { nics: [{ slot: 1, promiscuous: 'all' as cmd.PromiscuousPolicy }] }), /promiscuous policy "all"/);
    refuses(() => cmd.cloneVm('base', { name: 'x', linked: true }), /linked clone needs the snapshot/);
    refuses(() => cmd.controlVmNic('web', 1, { type: 'none' }, 'piix3'), /attach it to "null"/);
    refuses(() => cmd.list('everything' as cmd.ListKind), /unknown list/);
    refuses(() => cmd.controlVm('web', 'explode' as cmd.ControlAction), /unknown controlvm action/);
    refuses(() => cmd.getExtraData('web', 'enumerate'), /getExtraDataAll/);
    refuses(() => cmd.createDisk({ path: '/d.vdi', sizeMb: 0 }), /disk size/);
  });
});
