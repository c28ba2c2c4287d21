import { describe, expect, it } from 'vitest';
import { fixture } from '../vbox/fixtures.testkit';
import { observeCommand, parseObservation, posixObserveScript, splitSections } from './observe';

const section = (name: string, body: string, rc = 0) => `\x1eDCOD ${name}\n${body}\n\x1eDCOD-RC ${rc}\n`;
const SHOWVMINFO = 'showvminfo-machinereadable-5.2-or-6.0-linux-poweroff-nat-sata-snapshot.txt';
const uuidOf = (text: string) => /^UUID="([^"]+)"/m.exec(text)![1]!;

describe('one-exec host observation', () => {
  it('reads every section of the script output, from real captures', () => {
    const vm = fixture(SHOWVMINFO);
    const uuid = uuidOf(vm);
    const output =
      section('version', fixture('version-6.0.12-linux-vboxdrv-not-loaded-warning-minikube-5291.txt')) +
      section('hostinfo', fixture('win-7.2.20-list-hostinfo.txt')) +
      section('bridgedifs', fixture('list-bridgedifs-5.2-or-6.0-linux-eno1.txt')) +
      section('intnets', '') +
      section('systemproperties', fixture('list-systemproperties-7.0-linux.txt')) +
      section('hdds', fixture('list-hdds-5.2-or-6.0-linux-base-and-differencing.txt')) +
      section('vms', fixture('list-vms-5.2-or-6.0-linux-one-vm.txt')) +
      section(`vm ${uuid}`, vm) +
      section(`extradata ${uuid}`, 'Key: dcod/owner, Value: dcod\nKey: GUI/LastCloseAction, Value: PowerOff\n') +
      section('vm 00000000-0000-0000-0000-00000000dead', 'VBoxManage: error: Could not find a registered machine with UUID {00000000-0000-0000-0000-00000000dead}\nVBoxManage: error: Details: code VBOX_E_OBJECT_NOT_FOUND (0x80bb0001), component VirtualBoxWrap, interface IVirtualBox, callee nsISupports\n', 1);
    const observed = parseObservation('h1', output, new Date(0));
    expect(observed.vbox).toMatchObject({ major: 6, minor: 0, patch: 12 });
    expect(observed.hostInfo?.processorCount).toBeGreaterThan(0);
    expect(observed.bridgedInterfaces.map((i) => i.name)).toContain('eno1');
    expect(observed.machineFolder).toMatch(/^\//);
    expect(observed.disks).toEqual([
      expect.objectContaining({ uuid: 'ebb6dca0-879f-480b-a50e-9efe330bd021', capacityMb: 65536, format: 'VMDK', location: expect.stringMatching(/disk001\.vmdk$/) }),
      expect.objectContaining({ uuid: '1c182745-4b09-41a1-a147-d3ced46f72f6', parentUuid: 'ebb6dca0-879f-480b-a50e-9efe330bd021' }),
    ]);
    expect(observed.vms).toHaveLength(1);
    expect(observed.vms[0]).toMatchObject({ uuid, state: 'poweroff', extraData: { 'dcod/owner': 'dcod' } });
    expect(observed.vms[0]!.nics[0]).toMatchObject({ slot: 1, attachment: 'nat' });
    expect(observed.warnings).toEqual([expect.stringMatching(/^vm 0{8}-.*Could not find a registered machine/)]);
  });

  it('tells "SSH but no VirtualBox" apart', () => {
    expect(parseObservation('p1', '\x1eDCOD novbox\n', new Date(0))).toMatchObject({ reachable: true, vbox: null, vms: [] });
  });

  it('survives CRLF output from Windows hosts', () => {
    const crlf = section('version', '7.2.20r169450').replaceAll('\n', '\r\n');
    expect(splitSections(crlf)).toEqual([{ name: 'version', body: '7.2.20r169450', rc: 0 }]);
  });

  it('quotes the VBoxManage path into the script, whatever it holds', () => {
    expect(posixObserveScript("/opt/my vbox/it's/VBoxManage")).toContain(`V='/opt/my vbox/it'\\''s/VBoxManage'`);
    const win = observeCommand('cmd', 'C:\\Program Files\\Oracle\\VirtualBox\\VBoxManage.exe');
    expect(win.stdin).toBeUndefined();
    const encoded = /-EncodedCommand (\S+)$/.exec(win.commandLine)![1]!;
    expect(Buffer.from(encoded, 'base64').toString('utf16le')).toContain("$V = 'C:\\Program Files\\Oracle\\VirtualBox\\VBoxManage.exe'");
  });
});
