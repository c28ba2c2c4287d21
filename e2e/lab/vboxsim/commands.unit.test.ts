// Behaviour of the simulated commands beyond what the captures show: VirtualBox's rules for NIC
// slots, all-or-nothing modifyvm, snapshot media, clones, appliances, statistics.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { inertRuntime } from './runtime/runtime';
import { readTar, writeTar } from './tar';
import { newSim, type Sim } from './sim-harness';

let sims: Sim[] = [];
afterEach(() => {
  for (const s of sims) s.cleanup();
  sims = [];
});
function vm(name = 'v', ...create: string[]): Sim {
  const s = newSim();
  sims.push(s);
  s.ok('createvm', '--name', name, '--ostype', 'Ubuntu_64', '--register', ...create);
  return s;
}
const mr = (s: Sim, name = 'v') => s.ok('showvminfo', name, '--machinereadable').stdout;

describe('modifyvm', () => {
  it('has 8 adapters on PIIX3 and 36 on ICH9', () => {
    const s = vm();
    const bad = s.run('modifyvm', 'v', '--nic9', 'intnet');
    // VBoxManage only prints this one and still saves: exit 0.
    expect(bad).toEqual({ stdout: '', stderr: 'VBoxManage: error: Invalid NIC number 9\n', code: 0 });
    s.ok('modifyvm', 'v', '--chipset', 'ich9', '--nic36', 'intnet', '--intnet36', 'far');
    expect(mr(s)).toMatch(/^chipset="ich9"$/m);
    expect(mr(s)).toMatch(/^intnet36="far"\nmacaddress36="080027[0-9A-F]{6}"\ncableconnected36="on"\nnic36="intnet"$/m);
    expect(mr(s).match(/^nic\d+=/gm)).toHaveLength(36);
  });

  it('keeps nothing of a call in which a setting fails', () => {
    const s = vm();
    const r = s.run('modifyvm', 'v', '--memory', '2048', '--cpus', '0');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'VBoxManage: error: Invalid virtual CPU count: 0 (must be in range [1, 64])\n' +
        'VBoxManage: error: Details: code NS_ERROR_INVALID_ARG (0x80070057), component SessionMachine, interface IMachine, callee nsISupports\n' +
        'VBoxManage: error: Context: "COMSETTER(CPUCount)(ValueUnion.u32)" at line 946 of file VBoxManageModifyVM.cpp\n',
    );
    expect(mr(s)).toMatch(/^memory=128$/m);
  });

  it('rejects bad MAC addresses and unknown options', () => {
    const s = vm();
    expect(s.run('modifyvm', 'v', '--macaddress1', '090027000001').stderr).toContain('VBoxManage: error: Invalid MAC address format\n');
    const r = s.run('modifyvm', 'v', '--frobnicate', 'on');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('VBoxManage: error: Unknown option: --frobnicate\n');
  });

  it('sets the promiscuous mode policy (shown only in the human-readable details)', () => {
    const s = vm();
    s.ok('modifyvm', 'v', '--nic2', 'intnet', '--nicpromisc2', 'allow-all', '--nic-promisc1', 'allow-vms');
    const human = s.ok('showvminfo', 'v').stdout;
    expect(human).toMatch(/^NIC 1: .*Promisc Policy: allow-vms,/m);
    expect(human).toMatch(/^NIC 2: .*Promisc Policy: allow-all,/m);
    expect(mr(s)).not.toMatch(/promisc/i);
    const r = s.run('modifyvm', 'v', '--nicpromisc2', 'all');
    expect(r).toEqual({ stdout: '', stderr: "VBoxManage: error: Unknown promiscuous mode policy 'all'\n", code: 1 });
  });

  it('names the internal network "intnet" once an adapter changes attachment, as VirtualBox does', () => {
    const s = vm();
    s.ok('modifyvm', 'v', '--nic2', 'nat');
    expect(s.ok('list', 'intnets').stdout).toBe('Name:        intnet\n');
  });

  it('refuses changes to a saved VM through the setters', () => {
    const s = vm();
    s.ok('startvm', 'v', '--type', 'headless');
    s.ok('controlvm', 'v', 'savestate');
    expect(mr(s)).toMatch(/^VMState="saved"$/m);
    expect(s.run('modifyvm', 'v', '--memory', '256').stderr).toContain('The machine is not mutable (state is Saved)');
    s.ok('startvm', 'v', '--type', 'headless');
    expect(mr(s)).not.toMatch(/^VMStateFile=/m);
  });
});

describe('running VMs', () => {
  it('pause, resume, live NIC changes and power-off', () => {
    const s = vm();
    s.ok('startvm', 'v', '--type', 'headless');
    expect(s.ok('list', 'runningvms').stdout).toMatch(/^"v" \{/);
    s.ok('controlvm', 'v', 'pause');
    expect(mr(s)).toMatch(/^VMState="paused"$/m);
    expect(s.run('controlvm', 'v', 'pause').stderr).toContain('VBoxManage: error: Already paused\n');
    s.ok('controlvm', 'v', 'resume');
    s.ok('controlvm', 'v', 'nic1', 'intnet', 'blue');
    s.ok('controlvm', 'v', 'setlinkstate1', 'off');
    expect(mr(s)).toMatch(/^intnet1="blue"\nmacaddress1="[0-9A-F]{12}"\ncableconnected1="off"\nnic1="intnet"$/m);
    expect(s.run('controlvm', 'v', 'nic2', 'intnet', 'x').stderr).toBe(
      "VBoxManage: error: The NIC 2 is currently disabled and thus its attachment type can't be changed.\n",
    );
    expect(s.run('unregistervm', 'v').stderr).toContain("Cannot unregister the machine 'v' while it is locked");
    s.ok('controlvm', 'v', 'acpipowerbutton');
    expect(mr(s)).toMatch(/^VMState="poweroff"$/m);
  });

  it('reports a VM whose process vanished as aborted, and starts it again', () => {
    let alive = true;
    const s = newSim({ runtime: { ...inertRuntime('x-'), alive: () => alive } });
    sims.push(s);
    s.ok('createvm', '--name', 'v', '--register');
    s.ok('startvm', 'v', '--type', 'headless');
    alive = false;
    expect(mr(s)).toMatch(/^VMState="aborted"$/m);
    expect(s.ok('list', 'runningvms').stdout).toBe('');
    alive = true;
    s.ok('startvm', 'v', '--type', 'headless');
    expect(mr(s)).toMatch(/^VMState="running"$/m);
  });

  it('publishes host properties while running and drops the transient ones at power-off', () => {
    const s = vm();
    s.ok('startvm', 'v', '--type', 'headless');
    expect(s.ok('guestproperty', 'get', 'v', '/VirtualBox/HostInfo/VBoxVer').stdout).toBe('Value: 7.0.6\n');
    s.ok('controlvm', 'v', 'poweroff');
    expect(s.ok('guestproperty', 'get', 'v', '/VirtualBox/HostInfo/VBoxVer').stdout).toBe('No value set!\n');
    expect(s.ok('guestproperty', 'get', 'v', '/VirtualBox/GuestAdd/Version').stdout).toBe('Value: 7.0.6\n');
  });

  it('reports adapter counters as STAM statistics', () => {
    const s = vm();
    s.ok('modifyvm', 'v', '--nic2', 'intnet', '--intnet2', 'blue');
    expect(s.run('debugvm', 'v', 'statistics').stderr).toBe("VBoxManage: error: Machine 'v' is not currently running.\n");
    s.ok('startvm', 'v', '--type', 'headless');
    expect(s.ok('debugvm', 'v', 'statistics', '--pattern', '/Public/NetAdapter/1/*').stdout).toBe(
      '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<Statistics>\n' +
        '<Counter c="0" unit="bytes" name="/Public/NetAdapter/1/BytesReceived"/>\n' +
        '<Counter c="0" unit="bytes" name="/Public/NetAdapter/1/BytesTransmitted"/>\n' +
        '<U32 val="1" unit="" name="/Public/NetAdapter/1/e1000"/>\n' +
        '</Statistics>\n\n',
    );
    expect(s.ok('debugvm', 'v', 'statistics', '--pattern', '/Drivers/*').stdout).toContain('name="/Drivers/IntNet-0/Packets/Received"');
  });
});

describe('disks, snapshots and clones', () => {
  function withDisk(): Sim {
    const s = vm();
    s.ok('storagectl', 'v', '--name', 'SATA', '--add', 'sata');
    const disk = path.join(s.dir, 'v.vdi');
    s.ok('createmedium', 'disk', '--filename', disk, '--size', '1024');
    s.ok('storageattach', 'v', '--storagectl', 'SATA', '--port', '0', '--type', 'hdd', '--medium', disk);
    return s;
  }
  const hdds = (s: Sim) => s.ok('list', 'hdds').stdout.match(/^UUID:/gm)?.length ?? 0;

  it('grows a disk with modifymedium --resize, keeping its bytes, and refuses to shrink it', () => {
    const s = withDisk();
    const disk = path.join(s.dir, 'v.vdi');
    fs.writeFileSync(disk, 'marker');
    s.ok('modifymedium', 'disk', disk, '--resize', '2048');
    expect(s.ok('list', 'hdds').stdout).toMatch(/^Capacity:\s+2048 MBytes$/m);
    expect(fs.readFileSync(disk, 'utf8')).toBe('marker');
    const shrink = s.run('modifymedium', 'disk', disk, '--resize', '10');
    expect(shrink.code).toBe(1);
    expect(shrink.stderr).toMatch(/Resizing to new size 10485760 is not yet supported/);
  });

  it('opens an image file it does not know by its path, with the size the file says (a disk copied from another host)', () => {
    const a = withDisk();
    a.ok('modifymedium', 'disk', path.join(a.dir, 'v.vdi'), '--resize', '1500');
    const b = vm('w');
    const copy = (name: string) => {
      const to = path.join(b.dir, name);
      fs.copyFileSync(path.join(a.dir, 'v.vdi'), to);
      return to;
    };
    b.ok('storagectl', 'w', '--name', 'SATA', '--add', 'sata');
    b.ok('storageattach', 'w', '--storagectl', 'SATA', '--port', '0', '--type', 'hdd', '--medium', copy('attached.vdi'));
    b.ok('modifymedium', 'disk', copy('grown.vdi'), '--resize', '2000');
    expect([...b.ok('list', 'hdds').stdout.matchAll(/^Capacity:\s+(\d+) MBytes$/gm)].map((m) => m[1])).toEqual(['1500', '2000']);
    b.ok('closemedium', 'disk', copy('dropped.vdi'), '--delete');
    expect(fs.existsSync(path.join(b.dir, 'dropped.vdi'))).toBe(false);
    expect(b.run('modifymedium', 'disk', path.join(b.dir, 'none.vdi'), '--resize', '1').stderr).toMatch(/Could not find file for the medium '.*none\.vdi' \(VERR_FILE_NOT_FOUND\)/);
  });

  it('takes, restores and deletes snapshots with their differencing images', () => {
    const s = withDisk();
    s.ok('snapshot', 'v', 'take', 'one');
    s.ok('snapshot', 'v', 'take', 'two');
    expect(hdds(s)).toBe(3);
    expect(mr(s)).toMatch(/^"SATA-hot-pluggable-0-0"="off"$/m);
    const r = s.ok('snapshot', 'v', 'restore', 'one');
    expect(r.stdout).toMatch(/^Restoring snapshot 'one' \([0-9a-f-]+\)\n$/);
    expect(hdds(s)).toBe(3);
    expect(s.run('snapshot', 'v', 'delete', 'one').stderr).toContain("because it is the current snapshot and has one child snapshot");
    s.ok('snapshot', 'v', 'delete', 'two');
    expect(hdds(s)).toBe(2);
    expect(s.ok('snapshot', 'v', 'list').stdout).toMatch(/^ {3}Name: one \(UUID: [0-9a-f-]+\) \*\n$/);
    expect(s.run('snapshot', 'v', 'restore', 'nope').stderr).toContain("Could not find a snapshot named 'nope'");
  });

  it('refuses a closemedium while the disk is attached', () => {
    const s = withDisk();
    const r = s.run('closemedium', 'disk', path.join(s.dir, 'v.vdi'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot be closed because it is still attached to 1 virtual machines`);
  });

  it('clones fully (a disk named like the VM is renamed after the clone) or linked (from a snapshot only)', () => {
    const s = withDisk();
    expect(s.run('clonevm', 'v', '--options', 'link', '--name', 'l', '--register').stderr).toContain('Linked clone can only be created from a snapshot');
    s.ok('clonevm', 'v', '--name', 'full', '--register');
    expect(mr(s, 'full')).toMatch(/^"SATA-0-0"=".*\/full\/full\.vdi"$/m);
    s.ok('snapshot', 'v', 'take', 'base');
    s.ok('clonevm', 'v', '--snapshot', 'base', '--options', 'link', '--name', 'linked', '--register');
    expect(mr(s, 'linked')).toMatch(/^"SATA-0-0"=".*\/linked\/Snapshots\/\{[0-9a-f-]+\}\.vdi"$/m);
    expect(mr(s, 'full').match(/^macaddress1="(.*)"$/m)?.[1]).not.toBe(mr(s).match(/^macaddress1="(.*)"$/m)?.[1]);
  });

  it('unregistervm --delete removes the machine folder and its disks', () => {
    const s = withDisk();
    const cfg = mr(s).match(/^CfgFile="(.*)"$/m)?.[1] as string;
    const r = s.ok('unregistervm', 'v', '--delete');
    expect(r.stderr).toBe('0%...10%...20%...30%...40%...50%...60%...70%...80%...90%...100%\n');
    expect(fs.existsSync(path.dirname(cfg))).toBe(false);
    expect(hdds(s)).toBe(0);
    expect(s.ok('list', 'vms').stdout).toBe('');
  });
});

describe('appliances', () => {
  const DMI = 'VBoxInternal/Devices/pcbios/0/Config/DmiSystemProduct';

  it('exports an OVA (descriptor first, manifest last) and imports it with its extra data', () => {
    const s = vm('proxy');
    s.ok('modifyvm', 'proxy', '--nic1', 'intnet', '--intnet1', 'overlay', '--cpus', '2');
    s.ok('setextradata', 'proxy', DMI, 'dcod-proxy');
    const ova = path.join(s.dir, 'proxy.ova');
    expect(s.ok('export', 'proxy', '-o', ova).stdout).toBe('Successfully exported 1 machine(s).\n');
    const names = readTar(fs.readFileSync(ova)).map((e) => e.name);
    expect(names).toEqual(['proxy.ovf', 'proxy.mf']);
    const r = s.ok('import', ova, '--vsys', '0', '--vmname', 'proxy2');
    expect(r.stdout).toContain(' 1: VM name specified with --vmname: "proxy2"\n');
    expect(r.stdout.endsWith('Successfully imported the appliance.\n')).toBe(true);
    expect(s.ok('getextradata', 'proxy2', DMI).stdout).toBe('Value: dcod-proxy\n');
    expect(mr(s, 'proxy2')).toMatch(/^intnet1="overlay"$/m);
    expect(mr(s, 'proxy2')).toMatch(/^cpus=2$/m);
    // A second import without a new name gets a unique one.
    expect(s.ok('import', ova, '--dry-run').stdout).toContain(' 1: Suggested VM name "proxy_1"\n');
  });

  it('checks the manifest', () => {
    const s = vm('p');
    const ova = path.join(s.dir, 'p.ova');
    s.ok('export', 'p', '-o', ova);
    const entries = readTar(fs.readFileSync(ova));
    (entries[0] as { data: Buffer }).data = Buffer.from((entries[0] as { data: Buffer }).data.toString().replace('<Info>A virtual machine', '<Info>Changed'));
    fs.writeFileSync(ova, writeTar(entries));
    const r = s.run('import', ova);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("VBoxManage: error: Appliance read failed\nVBoxManage: error: The SHA-256 digest of the file 'p.ovf' does not match the one in the manifest\n");
  });
});
