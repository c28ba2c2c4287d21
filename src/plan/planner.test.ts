import { describe, expect, it } from 'vitest';
import type { ObservedHost } from '../hosts/observed';
import { doc } from '../model/document.testkit';
import { EXTRA_DATACENTER } from '../model/tags';
import { vmNicMac } from '../overlay/names';
import { levels, type Plan } from './plan';
import { compose, plan, planWith, type Planner } from './planner';
import { MACHINE_FOLDER, observedDisk, observedHost, observedVm, volumeFile, type VmShape } from './observed.testkit';
import { simulateApply } from './simulate.testkit';
import { isTransfer } from './transfer';
import { EXTRA_SPEC } from './vm-spec';

const ops = (p: Plan) => p.operations.map((o) => `${o.id} ${o.action}`);
const op = (p: Plan, id: string) => {
  const found = p.operations.find((o) => o.id === id);
  if (!found) throw new Error(`no ${id} in ${ops(p).join(', ')}`);
  return found;
};
const argv = (p: Plan, id: string) => op(p, id).commands.map((c) => c.join(' '));
const errors = (p: Plan) => p.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.path}: ${d.message}`);

const LAN = { name: 'lan', vni: 10 };
const WAN = { name: 'wan', vni: 20 };
/** The spec the planner records for a 1-CPU 512 MB VM with these NICs, as the last apply left it. */
const spec = (s: Partial<{ cpus: number; memoryMb: number; nics: unknown[]; volumes: string[]; power: string; image: string }> = {}) =>
  JSON.stringify({ cpus: 1, memoryMb: 512, chipset: 'piix3', nics: [], volumes: [], power: 'running', ...s });
const lanNic = { net: 'dcod-vni-10', label: 'switch lan', connected: true };
const vm = (s: VmShape) => observedVm(s);
const h1 = (...vms: VmShape[]) => [observedHost({ host: 'h1', vms: vms.map(vm) })];

describe('plan: desired × observed → operations', () => {
  const table: { name: string; desired: Parameters<typeof doc>[0]; observed: () => ObservedHost[]; expected: string[] }[] = [
    { name: 'nothing wanted, nothing there', desired: {}, observed: () => h1(), expected: [] },
    { name: 'a new running VM: create, then start', desired: { vms: [{ name: 'web' }] }, observed: () => h1(), expected: ['vm/web/create@h1 create', 'vm/web/start@h1 start'] },
    { name: 'a new stopped VM: create only', desired: { vms: [{ name: 'web', power: 'stopped' }] }, observed: () => h1(), expected: ['vm/web/create@h1 create'] },
    { name: 'a VM as the document says: nothing, whatever MACs VirtualBox chose', desired: { switches: [LAN], vms: [{ name: 'web', nics: [{ switch: 'lan' }] }] }, observed: () => h1({ name: 'web', nics: ['dcod-vni-10'] }), expected: [] },
    { name: 'bridged on any live LAN interface is fine', desired: { vms: [{ name: 'web', nics: [{ bridged: true }] }] }, observed: () => h1({ name: 'web', nics: ['bridged:eno1'] }), expected: [] },
    { name: 'memory of a running VM: stop, update, start', desired: { vms: [{ name: 'web', memoryMb: 1024 }] }, observed: () => h1({ name: 'web' }), expected: ['vm/web/stop@h1 stop', 'vm/web/update@h1 update', 'vm/web/start@h1 start'] },
    { name: 'memory of a stopped VM: update only', desired: { vms: [{ name: 'web', memoryMb: 1024, power: 'stopped' }] }, observed: () => h1({ name: 'web', state: 'poweroff' }), expected: ['vm/web/update@h1 update'] },
    { name: 'a NIC moved to another switch while running: live, no reboot', desired: { switches: [LAN, WAN], vms: [{ name: 'web', nics: [{ switch: 'wan' }] }] }, observed: () => h1({ name: 'web', nics: ['dcod-vni-10'] }), expected: ['vm/web/rewire@h1 update'] },
    { name: 'a cable unplugged while running: live', desired: { switches: [LAN], vms: [{ name: 'web', nics: [{ switch: 'lan', connected: false }] }] }, observed: () => h1({ name: 'web', nics: ['dcod-vni-10'] }), expected: ['vm/web/rewire@h1 update'] },
    { name: 'a NIC added to a running VM needs it off', desired: { switches: [LAN], vms: [{ name: 'web', nics: [{ switch: 'lan' }, { switch: 'lan' }] }] }, observed: () => h1({ name: 'web', nics: ['dcod-vni-10'] }), expected: ['vm/web/stop@h1 stop', 'vm/web/update@h1 update', 'vm/web/start@h1 start'] },
    { name: 'a MAC the document sets', desired: { vms: [{ name: 'web', nics: [{ bridged: true, mac: '080027AAAAAA' }] }] }, observed: () => h1({ name: 'web', nics: ['bridged:br0'], macs: ['080027BBBBBB'] }), expected: ['vm/web/stop@h1 stop', 'vm/web/update@h1 update', 'vm/web/start@h1 start'] },
    { name: 'power: stopped', desired: { vms: [{ name: 'web', power: 'stopped' }] }, observed: () => h1({ name: 'web' }), expected: ['vm/web/stop@h1 stop'] },
    { name: 'power: running, VM off', desired: { vms: [{ name: 'web' }] }, observed: () => h1({ name: 'web', state: 'poweroff' }), expected: ['vm/web/start@h1 start'] },
    { name: 'a saved VM to reconfigure: discard its state first', desired: { vms: [{ name: 'web', cpus: 2 }] }, observed: () => h1({ name: 'web', state: 'saved' }), expected: ['vm/web/stop@h1 stop', 'vm/web/update@h1 update', 'vm/web/start@h1 start'] },
    { name: 'a saved VM otherwise as wanted: just resume it', desired: { vms: [{ name: 'web' }] }, observed: () => h1({ name: 'web', state: 'saved' }), expected: ['vm/web/start@h1 start'] },
    { name: 'a saved VM that only needs re-wiring: resumed, then re-wired live', desired: { switches: [LAN, WAN], vms: [{ name: 'web', nics: [{ switch: 'wan' }] }] }, observed: () => h1({ name: 'web', state: 'saved', nics: ['dcod-vni-10'] }), expected: ['vm/web/start@h1 start', 'vm/web/rewire@h1 update'] },
    { name: 'a VM in transition is left alone', desired: { vms: [{ name: 'web', cpus: 2 }] }, observed: () => h1({ name: 'web', state: 'starting' }), expected: [] },
    { name: 'our VM gone from the document: stop, delete', desired: {}, observed: () => h1({ name: 'old' }), expected: ['vm/old/stop@h1 stop', 'vm/old/delete@h1 delete'] },
    { name: 'VMs that are not ours are invisible', desired: {}, observed: () => h1({ name: 'mine', owner: null }, { name: 'theirs', owner: 'other-dc' }), expected: [] },
    { name: 'a new volume on a new VM', desired: { volumes: [{ name: 'data', sizeMb: 1024 }], vms: [{ name: 'db', volumes: ['data'] }] }, observed: () => h1(), expected: ['volume/data/create@h1 create', 'vm/db/create@h1 create', 'vm/db/attach@h1 update', 'vm/db/start@h1 start'] },
    { name: 'a volume attached as wanted: nothing', desired: { volumes: [{ name: 'data', sizeMb: 1024 }], vms: [{ name: 'db', volumes: ['data'] }] }, observed: () => [observedHost({ host: 'h1', vms: [vm({ name: 'db', volumes: [volumeFile('data')] })], disks: [observedDisk('data', 1024)] })], expected: [] },
    {
      name: 'a volume dropped from the document: detach (VM off), then delete the disk',
      desired: { vms: [{ name: 'db' }] },
      observed: () => [observedHost({ host: 'h1', vms: [vm({ name: 'db', volumes: [volumeFile('data')] })], disks: [observedDisk('data', 1024)] })],
      expected: ['vm/db/stop@h1 stop', 'vm/db/detach@h1 update', 'volume/data/delete@h1 delete', 'vm/db/start@h1 start'],
    },
    {
      name: 'a volume handed from one VM to another on the same host',
      desired: { volumes: [{ name: 'data', sizeMb: 1024 }], vms: [{ name: 'a', power: 'stopped' }, { name: 'b', power: 'stopped', volumes: ['data'] }] },
      observed: () => [observedHost({ host: 'h1', vms: [vm({ name: 'a', state: 'poweroff', volumes: [volumeFile('data')] }), vm({ name: 'b', state: 'poweroff', volumes: [] })], disks: [observedDisk('data', 1024)] })],
      expected: ['vm/a/detach@h1 update', 'vm/b/attach@h1 update'],
    },
    {
      name: 'a volume grown while attached: inside the VM update',
      desired: { volumes: [{ name: 'data', sizeMb: 2048 }], vms: [{ name: 'db', volumes: ['data'] }] },
      observed: () => [observedHost({ host: 'h1', vms: [vm({ name: 'db', volumes: [volumeFile('data')] })], disks: [observedDisk('data', 1024)] })],
      expected: ['vm/db/stop@h1 stop', 'vm/db/update@h1 update', 'vm/db/start@h1 start'],
    },
    {
      name: 'a volume no VM uses is kept as it is',
      desired: { volumes: [{ name: 'data', sizeMb: 1024 }], vms: [{ name: 'db' }] },
      observed: () => [observedHost({ host: 'h1', vms: [vm({ name: 'db' })], disks: [observedDisk('data', 1024)] })],
      expected: [],
    },
    {
      name: 'a placement change moves the VM and its volume',
      desired: { volumes: [{ name: 'data', sizeMb: 1024 }], vms: [{ name: 'db', volumes: ['data'] }], placement: { db: 'h2' } },
      observed: () => [observedHost({ host: 'h1', vms: [vm({ name: 'db', volumes: [volumeFile('data')] })], disks: [observedDisk('data', 1024)] }), observedHost({ host: 'h2' })],
      expected: [
        'vm/db/stop@h1 stop', 'vm/db/detach@h1 update', 'volume/data/transfer@h2 replace', 'vm/db/export@h1 replace', 'volume/data/delete@h1 delete',
        'vm/db/transfer@h2 replace', 'vm/db/create@h2 create', 'vm/db/attach@h2 update', 'vm/db/delete@h1 delete', 'vm/db/start@h2 start',
      ],
    },
    {
      name: 'a move that stopped half-way: the copy where it belongs wins, the other goes',
      desired: { vms: [{ name: 'db' }], placement: { db: 'h2' } },
      observed: () => [observedHost({ host: 'h1', vms: [vm({ name: 'db', state: 'poweroff' })] }), observedHost({ host: 'h2', vms: [vm({ name: 'db', uuid: '00000000-0000-4000-8000-0000000000d2' })] })],
      expected: ['vm/db/delete@h1 delete'],
    },
  ];

  it.each(table)('$name', ({ desired, observed, expected }) => {
    const hosts = observed();
    const p = plan(doc(desired), hosts);
    expect(errors(p)).toEqual([]);
    expect(ops(p)).toEqual(expected);
    // Whatever the case, carrying the plan out leaves nothing to do.
    expect(ops(plan(doc(desired), simulateApply(hosts, p)))).toEqual([]);
  });
});

describe('plan: exact commands', () => {
  it('clones a template as a linked clone in the datacenter group, tags and configures it; a switch NIC without a MAC gets the overlay\'s', () => {
    const template = vm({ name: 'debian', owner: null, state: 'poweroff', snapshots: ['dcod-base'] });
    const p = plan(doc({ switches: [LAN], images: [{ name: 'deb', template: 'debian' }], vms: [{ name: 'web', image: 'deb', nics: [{ switch: 'lan' }, { bridged: true, mac: '080027000001', connected: false }] }] }), [observedHost({ host: 'h1', vms: [template] })]);
    expect(argv(p, 'vm/web/create@h1')).toEqual([
      `VBoxManage clonevm ${template.uuid} --name web --snapshot dcod-base --options link --groups /dcod/dc --register`,
      'VBoxManage setextradata web dcod/datacenter dc',
      'VBoxManage setextradata web dcod/role vm',
      `VBoxManage modifyvm web --memory 512 --cpus 1 --chipset piix3 --nic1 intnet --intnet1 dcod-vni-10 --macaddress1 ${vmNicMac('dc', 'web', 1)} --cableconnected1 on --nic2 bridged --bridgeadapter2 br0 --macaddress2 080027000001 --cableconnected2 off --nic3 none --nic4 none --nic5 none --nic6 none --nic7 none --nic8 none`,
    ]);
    expect(op(p, 'vm/web/create@h1').summary).toBe('create VM web on h1 (linked clone of deb, 1 CPU, 512 MB, 2 NICs)');
    expect(argv(p, 'vm/web/start@h1')).toEqual([
      'VBoxManage startvm web --type headless',
      `VBoxManage setextradata web dcod/spec {"cpus":1,"memoryMb":512,"chipset":"piix3","nics":[{"net":"dcod-vni-10","label":"switch lan","connected":true},{"net":"bridged","label":"bridged","mac":"080027000001","connected":false}],"volumes":[],"power":"running","image":"deb"}`,
    ]);
  });

  it('uploads an OVA image once per host (a transfer from the laptop) and imports it', () => {
    const p = plan(doc({ images: [{ name: 'alpine', ova: '/home/me/alpine.ova' }], vms: [{ name: 'a', image: 'alpine' }, { name: 'b', image: 'alpine' }] }), h1());
    const upload = op(p, 'image/alpine/upload@h1');
    expect(isTransfer(upload) && upload.transfer).toEqual({ from: { path: '/home/me/alpine.ova' }, to: { host: 'h1', path: `${MACHINE_FOLDER}/dcod-images/alpine.ova` }, removeSource: false });
    expect(upload.commands).toEqual([]);
    expect(op(p, 'vm/a/create@h1').dependsOn).toEqual(['image/alpine/upload@h1']);
    expect(argv(p, 'vm/b/create@h1').slice(0, 2)).toEqual([`VBoxManage import ${MACHINE_FOLDER}/dcod-images/alpine.ova --vsys 0 --vmname b`, 'VBoxManage modifyvm b --groups /dcod/dc']);
    const custom = plan(doc({ images: [{ name: 'alpine', ova: '/x.ova' }], vms: [{ name: 'a', image: 'alpine' }] }), h1(), { ovaPathOnHost: (image, host) => `/srv/${host.host}/${image.name}.ova` });
    expect(argv(custom, 'vm/a/create@h1')[0]).toBe('VBoxManage import /srv/h1/alpine.ova --vsys 0 --vmname a');
  });

  it('makes an empty VM with createvm', () => {
    expect(argv(plan(doc({ vms: [{ name: 'web', power: 'stopped' }] }), h1()), 'vm/web/create@h1')[0]).toBe('VBoxManage createvm --name web --register --groups /dcod/dc');
  });

  it('re-wires a running VM live with controlvm, by UUID', () => {
    const web = vm({ name: 'web', nics: ['dcod-vni-10', 'dcod-vni-10'] });
    const p = plan(doc({ switches: [LAN, WAN], vms: [{ name: 'web', nics: [{ switch: 'wan' }, { switch: 'lan', connected: false }] }] }), [observedHost({ host: 'h1', vms: [web] })]);
    expect(argv(p, 'vm/web/rewire@h1')).toEqual([
      `VBoxManage controlvm ${web.uuid} nic1 intnet dcod-vni-20`,
      `VBoxManage controlvm ${web.uuid} setlinkstate2 off`,
      expect.stringMatching(/^VBoxManage setextradata \S+ dcod\/spec /),
    ]);
    expect(op(p, 'vm/web/rewire@h1').reason).toBe('nic1 switch lan → switch wan; nic2 cable unplugged');
  });

  it('changes what needs the VM off in one modifyvm, only what differs', () => {
    const web = vm({ name: 'web', nics: ['dcod-vni-10', 'nat'] });
    const p = plan(doc({ switches: [LAN], vms: [{ name: 'web', cpus: 2, nics: [{ switch: 'lan' }] }] }), [observedHost({ host: 'h1', vms: [web] })]);
    expect(argv(p, 'vm/web/stop@h1')).toEqual([`VBoxManage controlvm ${web.uuid} poweroff`]);
    expect(argv(p, 'vm/web/update@h1')).toEqual([`VBoxManage modifyvm ${web.uuid} --cpus 2 --nic2 none`]);
    expect(op(p, 'vm/web/stop@h1').reason).toBe('to change: cpus 1 → 2; nic2 nat removed');
  });

  it('gives a switch NIC added to an existing VM the overlay\'s MAC, and leaves the MACs it has', () => {
    const desired = doc({ switches: [LAN], vms: [{ name: 'web', power: 'stopped', nics: [{ switch: 'lan' }, { switch: 'lan' }] }] });
    const shown = vm({ name: 'web', state: 'poweroff', nics: ['dcod-vni-10'] });
    // VirtualBox shows no MAC for a disabled slot: the overlay then expects its own.
    const web = { ...shown, nics: shown.nics.map(({ mac, ...n }) => (n.attachment === 'none' ? n : { ...n, mac })) };
    expect(argv(plan(desired, [observedHost({ host: 'h1', vms: [web] })]), 'vm/web/update@h1')[0]).toBe(
      `VBoxManage modifyvm ${web.uuid} --nic2 intnet --intnet2 dcod-vni-10 --macaddress2 ${vmNicMac('dc', 'web', 2)} --cableconnected2 on`,
    );
    expect(argv(plan(desired, [observedHost({ host: 'h1', vms: [shown] })]), 'vm/web/update@h1')[0]).toBe(`VBoxManage modifyvm ${shown.uuid} --nic2 intnet --intnet2 dcod-vni-10 --cableconnected2 on`);
  });

  it('disables NICs a smaller chipset lacks before switching to it', () => {
    const nics = Array.from({ length: 10 }, () => 'dcod-vni-10');
    const web = vm({ name: 'web', state: 'poweroff', chipset: 'ich9', nics });
    const p = plan(doc({ switches: [LAN], vms: [{ name: 'web', power: 'stopped', nics: [{ switch: 'lan' }] }] }), [observedHost({ host: 'h1', vms: [web] })]);
    expect(argv(p, 'vm/web/update@h1').slice(0, 2)).toEqual([
      `VBoxManage modifyvm ${web.uuid} --nic9 none --nic10 none`,
      `VBoxManage modifyvm ${web.uuid} --chipset piix3 --nic2 none --nic3 none --nic4 none --nic5 none --nic6 none --nic7 none --nic8 none`,
    ]);
  });

  it('creates volumes in the datacenter folder, attaches them on dcod-sata, deletes with closemedium', () => {
    const p = plan(doc({ volumes: [{ name: 'data', sizeMb: 4096, format: 'vmdk' }], vms: [{ name: 'db', volumes: ['data'], power: 'stopped' }] }), h1());
    expect(argv(p, 'volume/data/create@h1')).toEqual([`VBoxManage createmedium disk --filename ${MACHINE_FOLDER}/dcod-dc/data.vmdk --size 4096 --format VMDK --variant Standard`]);
    expect(argv(p, 'vm/db/attach@h1').slice(0, 2)).toEqual([
      'VBoxManage storagectl db --name dcod-sata --add sata --controller IntelAhci --portcount 30 --bootable off',
      `VBoxManage storageattach db --storagectl dcod-sata --port 0 --device 0 --type hdd --medium ${MACHINE_FOLDER}/dcod-dc/data.vmdk`,
    ]);
    expect(op(p, 'vm/db/attach@h1').dependsOn).toEqual(['vm/db/create@h1', 'volume/data/create@h1']);
    const db = vm({ name: 'db', state: 'poweroff', volumes: [volumeFile('data')] });
    const gone = plan(doc({ vms: [{ name: 'db', power: 'stopped' }] }), [observedHost({ host: 'h1', vms: [db], disks: [observedDisk('data', 1024)] })]);
    expect(argv(gone, 'vm/db/detach@h1')[0]).toBe(`VBoxManage storageattach ${db.uuid} --storagectl dcod-sata --port 0 --device 0 --type hdd --medium none`);
    expect(argv(gone, 'volume/data/delete@h1')).toEqual([`VBoxManage closemedium disk ${volumeFile('data')} --delete`]);
    expect(op(gone, 'volume/data/delete@h1').dependsOn).toEqual(['vm/db/detach@h1']);
  });

  it('deletes the snapshots of a VM going away before detaching its volumes, newest first (they hold the volumes too)', () => {
    // Since the snapshots, the VM writes to differencing images on top of the volume, not to the volume.
    const data = observedDisk('data', 1024);
    const monday = { uuid: 'a0000000-0000-4000-8000-000000000001', location: `${MACHINE_FOLDER}/db/Snapshots/{a1}.vdi`, parentUuid: data.uuid };
    const tuesday = { uuid: 'a0000000-0000-4000-8000-000000000002', location: `${MACHINE_FOLDER}/db/Snapshots/{a2}.vdi`, parentUuid: monday.uuid };
    const db = vm({ name: 'db', state: 'poweroff', volumes: [tuesday.location], snapshots: ['monday', 'tuesday'] });
    const p = plan(doc({}), [observedHost({ host: 'h1', vms: [db], disks: [data, monday, tuesday] })]);
    const detach = op(p, 'vm/db/detach@h1');
    expect(detach.summary).toBe('delete 2 snapshots of VM db and detach 1 volume from VM db on h1');
    expect(argv(p, 'vm/db/detach@h1').slice(0, 2)).toEqual([`VBoxManage snapshot ${db.uuid} delete ${db.snapshots.root!.children[0]!.uuid}`, `VBoxManage snapshot ${db.uuid} delete ${db.snapshots.root!.uuid}`]);
    expect(op(p, 'vm/db/delete@h1').dependsOn).toContain('vm/db/detach@h1');
    // The volume is held through them: it is deleted only once the detach let it go.
    expect(op(p, 'volume/data/delete@h1').dependsOn).toEqual(['vm/db/detach@h1']);
    // Without volumes, the VM's deletion takes its snapshots along: nothing to do first.
    const bare = plan(doc({}), h1({ name: 'web', state: 'poweroff', snapshots: ['monday'] }));
    expect(ops(bare)).toEqual(['vm/web/delete@h1 delete']);
  });

  it("puts a clone's volumes on its template's SATA controller: a piix3 VM can't have a second one", () => {
    const template = vm({ name: 'debian', owner: null, state: 'poweroff', snapshots: ['dcod-base'], bootDisk: '/vms/debian.vdi' });
    const desired = doc({ images: [{ name: 'deb', template: 'debian' }], volumes: [{ name: 'data', sizeMb: 64 }], vms: [{ name: 'db', image: 'deb', volumes: ['data'] }] });
    const hosts = [observedHost({ host: 'h1', vms: [template] })];
    const p = plan(desired, hosts);
    expect(argv(p, 'vm/db/attach@h1')).toEqual([`VBoxManage storageattach db --storagectl SATA Controller --port 1 --device 0 --type hdd --medium ${volumeFile('data')}`]);
    expect(ops(plan(desired, simulateApply(hosts, p)))).toEqual([]);
  });

  it('attaches the volumes of a piix3 VM imported from an OVA once the import shows its controllers', () => {
    const desired = doc({ images: [{ name: 'alpine', ova: '/a.ova' }], volumes: [{ name: 'data', sizeMb: 64 }], vms: [{ name: 'db', image: 'alpine', volumes: ['data'] }] });
    const first = plan(desired, h1());
    expect(ops(first)).toEqual(['image/alpine/upload@h1 create', 'vm/db/create@h1 create', 'vm/db/start@h1 start']);
    expect(first.diagnostics.map((d) => `${d.severity} ${d.path}`)).toEqual(['warning vms[0].volumes']);
    const second = plan(desired, simulateApply(h1(), first));
    expect(ops(second)).toEqual(['volume/data/create@h1 create', 'vm/db/stop@h1 stop', 'vm/db/attach@h1 update', 'vm/db/start@h1 start']);
  });

  it('detaches volumes before deleting a VM, since unregistervm --delete would take them along', () => {
    const old = vm({ name: 'old', state: 'poweroff', volumes: [volumeFile('data')] });
    const p = plan(doc({ volumes: [{ name: 'data', sizeMb: 1024 }], vms: [{ name: 'db', volumes: ['data'], power: 'stopped' }] }), [observedHost({ host: 'h1', vms: [old, vm({ name: 'db', state: 'poweroff' })], disks: [observedDisk('data', 1024)] })]);
    expect(ops(p)).toEqual(['vm/old/detach@h1 update', 'vm/db/attach@h1 update', 'vm/old/delete@h1 delete']);
    expect(op(p, 'vm/db/attach@h1').dependsOn).toEqual(['vm/old/detach@h1']);
    expect(argv(p, 'vm/old/delete@h1')).toEqual([`VBoxManage unregistervm ${old.uuid} --delete`]);
  });

  it('moves a VM through an exported OVA that the apply engine copies between hosts', () => {
    const db = vm({ name: 'db', state: 'poweroff' });
    const p = plan(doc({ vms: [{ name: 'db', power: 'stopped' }], placement: { db: 'h2' } }), [observedHost({ host: 'h1', vms: [db] }), observedHost({ host: 'h2', machineFolder: 'D:\\VMs' })]);
    expect(argv(p, 'vm/db/export@h1')).toEqual([`VBoxManage export ${db.uuid} --output ${MACHINE_FOLDER}/dcod-dc-db.ova`]);
    const copy = op(p, 'vm/db/transfer@h2');
    expect(isTransfer(copy) && copy.transfer).toEqual({ from: { host: 'h1', path: `${MACHINE_FOLDER}/dcod-dc-db.ova` }, to: { host: 'h2', path: 'D:\\VMs\\dcod-dc-db.ova' }, removeSource: true });
    expect(argv(p, 'vm/db/create@h2').slice(0, 3)).toEqual(['VBoxManage import D:\\VMs\\dcod-dc-db.ova --vsys 0 --vmname db', 'VBoxManage modifyvm db --groups /dcod/dc', 'cmd /d /c del /f /q D:\\VMs\\dcod-dc-db.ova']);
    expect(op(p, 'vm/db/delete@h1').dependsOn).toEqual(['vm/db/create@h2', 'vm/db/export@h1']);
  });
});

describe('plan: what it refuses and warns about', () => {
  it('never creates a VM over a name that is not ours', () => {
    const p = plan(doc({ vms: [{ name: 'web' }] }), h1({ name: 'web', owner: null }));
    expect(ops(p)).toEqual([]);
    expect(errors(p)).toEqual(["vms[0]: no host can take VM web (1 CPU, 512 MB): h1 already has a VM named web that isn't this datacenter's"]);
  });

  it('leaves VMs placed on an unreachable host alone, and says so', () => {
    const hosts = [observedHost({ host: 'h1', vms: [vm({ name: 'web' })] }), observedHost({ host: 'h2', reachable: false })];
    const p = plan(doc({ vms: [{ name: 'web', cpus: 2 }, { name: 'db' }], placement: { web: 'h2' } }), hosts);
    expect(ops(p)).toEqual(['vm/db/create@h1 create', 'vm/db/start@h1 start']);
    expect(p.diagnostics.map((d) => `${d.severity} ${d.path}`)).toEqual(['warning (host h2)', 'error placement.web']);
  });

  it('plans nothing for a document with errors, and says why', () => {
    const broken = { ...doc({ vms: [{ name: 'web' }] }), vms: [{ ...doc({ vms: [{ name: 'web' }] }).vms[0]!, nics: [{ switch: 'nowhere' }] }] };
    expect(plan(broken, h1())).toEqual({ datacenter: 'dc', operations: [], diagnostics: [expect.objectContaining({ severity: 'error', path: 'vms[0].nics[0].switch', message: 'unknown switch "nowhere"' })] });
  });

  it('leaves a bridged VM alone on a host with nothing to bridge to', () => {
    const bare = { ...observedHost({ host: 'h1', vms: [vm({ name: 'web', nics: ['bridged:br0'] })] }), bridgedInterfaces: [] };
    const p = plan(doc({ vms: [{ name: 'web', nics: [{ bridged: true }] }] }), [bare]);
    expect(ops(p)).toEqual([]);
    expect(errors(p)).toEqual(['vms[0].nics: VM web has a bridged NIC, but h1 has no network interface to bridge to: it is left as it is']);
  });

  it('says when a template is missing on the placed host', () => {
    const p = plan(doc({ images: [{ name: 'deb', template: 'debian' }], vms: [{ name: 'web', image: 'deb' }], placement: { web: 'h1' } }), h1());
    expect(errors(p)).toEqual(["placement.web: VM web can't be created on h1: it has no template VM debian with snapshot dcod-base"]);
  });

  it("warns about a volume VirtualBox can't shrink, and plans nothing for it", () => {
    const p = plan(doc({ volumes: [{ name: 'data', sizeMb: 10 }], vms: [{ name: 'db', volumes: ['data'] }] }), [observedHost({ host: 'h1', vms: [vm({ name: 'db', volumes: [volumeFile('data')] })], disks: [observedDisk('data', 1024)] })]);
    expect(ops(p)).toEqual([]);
    expect(p.diagnostics.map((d) => d.message)).toEqual(["volume data is 1024 MB; VirtualBox can't shrink it to 10 MB"]);
  });
});

describe('plan: images of existing VMs', () => {
  it('says that a changed image does not rebuild a VM, and plans nothing for it', () => {
    const web = vm({ name: 'web', extraData: { [EXTRA_SPEC]: spec({ image: 'deb' }) } });
    const p = plan(doc({ images: [{ name: 'alpine', ova: '/a.ova' }], vms: [{ name: 'web', image: 'alpine' }] }), [observedHost({ host: 'h1', vms: [web] })]);
    expect(ops(p)).toEqual([]);
    expect(p.diagnostics.map((d) => `${d.path}: ${d.message}`)).toEqual(['vms[0].image: VM web was made from image deb; a changed image does not rebuild an existing VM']);
  });
});

describe('plan: drift', () => {
  it('tells a hand change (the document is as at the last apply) from a document edit', () => {
    const byHand = vm({ name: 'web', memoryMb: 1024, extraData: { [EXTRA_SPEC]: spec() } });
    expect(op(plan(doc({ vms: [{ name: 'web' }] }), [observedHost({ host: 'h1', vms: [byHand] })]), 'vm/web/update@h1').reason).toBe('drift: memory 1024 → 512 MB');
    const edited = vm({ name: 'web', extraData: { [EXTRA_SPEC]: spec() } });
    expect(op(plan(doc({ vms: [{ name: 'web', memoryMb: 2048 }] }), [observedHost({ host: 'h1', vms: [edited] })]), 'vm/web/update@h1').reason).toBe('memory 512 → 2048 MB');
  });

  it('calls a VM stopped by hand drift, and a re-wired NIC too', () => {
    const stopped = vm({ name: 'web', state: 'poweroff', nics: ['dcod-vni-20'], extraData: { [EXTRA_SPEC]: spec({ nics: [lanNic] }) } });
    const p = plan(doc({ switches: [LAN, WAN], vms: [{ name: 'web', nics: [{ switch: 'lan' }] }] }), [observedHost({ host: 'h1', vms: [stopped] })]);
    expect(p.operations.map((o) => o.reason)).toEqual(['drift: nic1 switch wan → switch lan', 'drift: poweroff → running']);
  });
});

describe('plan: order and stability', () => {
  const hosts = () => [observedHost({ host: 'h1', vms: [vm({ name: 'old', volumes: [volumeFile('scratch')] }), vm({ name: 'web', nics: ['dcod-vni-10'] })], disks: [observedDisk('scratch', 64)] }), observedHost({ host: 'h2' })];
  const desired = doc({ switches: [LAN], volumes: [{ name: 'data', sizeMb: 64 }], vms: [{ name: 'web', memoryMb: 1024, nics: [{ switch: 'lan' }], volumes: ['data'] }, { name: 'db' }], placement: { web: 'h2' } });

  it('puts every operation after what it depends on, in levels', () => {
    const p = plan(desired, hosts());
    const level = new Map(levels(p).flatMap((l, i) => l.map((o) => [o.id, i] as const)));
    const before = (a: string, b: string) => expect(level.get(a)!, `${a} before ${b}`).toBeLessThan(level.get(b)!);
    before('vm/web/stop@h1', 'vm/web/export@h1');
    before('vm/web/export@h1', 'vm/web/transfer@h2');
    before('vm/web/transfer@h2', 'vm/web/create@h2');
    before('vm/web/create@h2', 'vm/web/attach@h2');
    before('volume/data/create@h2', 'vm/web/attach@h2');
    before('vm/web/attach@h2', 'vm/web/start@h2');
    before('vm/web/create@h2', 'vm/web/delete@h1');
    before('vm/old/stop@h1', 'vm/old/detach@h1');
    before('vm/old/detach@h1', 'vm/old/delete@h1');
    before('vm/old/detach@h1', 'volume/scratch/delete@h1');
    // The plan lists levels in order, so any prefix is runnable.
    expect(levels(p).flat()).toEqual(p.operations);
  });

  it('gives the same plan for the same inputs, whatever their order', () => {
    const a = plan(desired, hosts());
    expect(plan(desired, hosts())).toEqual(a);
    expect(plan({ ...desired, vms: [...desired.vms].reverse() }, hosts().reverse()).operations).toEqual(a.operations);
  });

  it('gives every operation a one-line summary and a reason', () => {
    for (const o of plan(desired, hosts()).operations) {
      expect(o.summary).toMatch(/^[a-z].*[^.]$/);
      expect(o.summary).not.toContain('\n');
      expect(o.reason.length).toBeGreaterThan(0);
    }
  });
});

describe('plan: undo', () => {
  it('planning the previous document against the new state reverts the change', () => {
    const v1 = doc({ switches: [LAN, WAN], vms: [{ name: 'web', nics: [{ switch: 'lan' }] }, { name: 'db' }] });
    const v2 = doc({ switches: [LAN, WAN], vms: [{ name: 'web', cpus: 2, nics: [{ switch: 'wan' }] }] });
    const s1 = simulateApply(h1(), plan(v1, h1()));
    const s2 = simulateApply(s1, plan(v2, s1));
    const undo = plan(v1, s2);
    expect(ops(undo)).toEqual(['vm/db/create@h1 create', 'vm/web/stop@h1 stop', 'vm/db/start@h1 start', 'vm/web/update@h1 update', 'vm/web/start@h1 start']);
    const s3 = simulateApply(s2, undo);
    const web = (s: ObservedHost[]) => s[0]!.vms.find((v) => v.name === 'web')!;
    expect({ cpus: web(s3).cpus, nic1: web(s3).nics[0]!.network }).toEqual({ cpus: 1, nic1: 'dcod-vni-10' });
    expect(web(s3).extraData[EXTRA_DATACENTER]).toBe('dc');
    expect(ops(plan(v1, s3))).toEqual([]);
  });
});

describe('planWith: other planners add their parts', () => {
  it('merges parts and extra edges onto the core operations, and refuses a broken DAG', () => {
    const proxy: Planner = (world) => ({
      operations: [{ id: 'proxy/h1/create@h1', target: { kind: 'host', host: 'h1' }, resource: { kind: 'proxy', name: 'h1' }, action: 'create', summary: 'create proxy', reason: 'overlay', commands: [], dependsOn: [] }],
      dependencies: [...world.targets.values()].map((t) => ({ operation: `vm/${t.vm.name}/start@${t.host}`, dependsOn: ['proxy/h1/create@h1'] })),
    });
    const p = planWith([(w) => ({ operations: plan(w.doc, [...w.hosts.values()]).operations }), proxy], doc({ vms: [{ name: 'web' }] }), h1());
    expect(op(p, 'vm/web/start@h1').dependsOn).toEqual(['proxy/h1/create@h1', 'vm/web/create@h1']);
    expect(() => compose('dc', [{ operations: [op(p, 'vm/web/start@h1')] }])).toThrow(/depends on unknown/);
    expect(() => compose('dc', [{ operations: [op(p, 'vm/web/create@h1')] }, { operations: [op(p, 'vm/web/create@h1')] }])).toThrow(/planned twice/);
  });
});
