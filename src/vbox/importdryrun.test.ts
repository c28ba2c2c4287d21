import { describe, expect, it } from 'vitest';
import { parseFixture } from './fixtures.testkit';
import { parseImportDryRun } from './importdryrun';

const DISK = { id: 'vmdisk1', capacityBytes: 85899345920, format: 'http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized', href: 'box-disk1.vmdk' };

describe('parseImportDryRun', () => {
  it('5.0: ten units, one hint spanning two lines', () => {
    const r = parseFixture('import-dry-run-5.0-vagrant-box.txt', parseImportDryRun);
    expect(r.disks).toEqual([DISK]);
    expect(r.systems).toHaveLength(1);
    const [vsys] = r.systems;
    expect(vsys).toMatchObject({ index: 0, osType: 'Ubuntu_64', name: 'precise64', cpus: 2, memoryMb: 384 });
    expect(vsys!.units).toHaveLength(10);
    expect(vsys!.networkAdapters).toEqual([{ unit: 4, description: 'orig NAT, config 3, extra slot=0;type=NAT' }]);
    expect(vsys!.disks).toEqual([{ unit: 9, sourceImage: 'box-disk1.vmdk', targetPath: '/home/user/VirtualBox VMs/precise64/box-disk1.vmdk', controllerUnit: 8, channel: 0 }]);
    expect(vsys!.units[9]!.hint).toBe('change target path with "--vsys 0 --unit 9 --disk path"; disable with "--vsys 0 --unit 9 --ignore"');
    expect(vsys!.units[5]).toEqual({ index: 5, text: 'CD-ROM', hint: 'disable with "--vsys 0 --unit 5 --ignore"' });
    expect(vsys!.units[4]).toEqual({ index: 4, text: 'Network adapter: orig NAT, config 3, extra slot=0;type=NAT' });
  });

  it('6.0: group, settings file, base folder, two-digit unit numbers', () => {
    const [vsys] = parseFixture('import-dry-run-6.0-vagrant-box.txt', parseImportDryRun).systems;
    expect(vsys).toMatchObject({
      osType: 'Ubuntu_64', name: 'precise64', group: '/', settingsFile: '/home/user/VirtualBox VMs/precise64/precise64.vbox', baseFolder: '/home/vagrant/VirtualBox VMs', cpus: 2, memoryMb: 384,
    });
    expect(vsys!.units.map((u) => u.index)).toEqual([...Array(13).keys()]);
    expect(vsys!.units[10]).toEqual({ index: 10, text: 'IDE controller, type PIIX4', hint: 'disable with "--vsys 0 --unit 10 --ignore"' });
    expect(vsys!.disks).toEqual([{ unit: 12, sourceImage: 'box-disk1.vmdk', targetPath: 'box-disk1.vmdk', controllerUnit: 11, channel: 0 }]);
  });
});
