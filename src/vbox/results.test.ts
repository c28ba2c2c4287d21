import { describe, expect, it } from 'vitest';
import { fixture, parseFixture } from './fixtures.testkit';
import { parseCloneVm, parseCreateMedium, parseCreateVm, parseHostOnlyIfCreated, parseSnapshotAction, parseSnapshotTaken, parseStartVm } from './results';

describe('result lines', () => {
  it('createvm (7.0.6)', () => {
    expect(parseFixture('createvm-7.0.6-linux.txt', parseCreateVm)).toEqual({
      name: 'rh9-node1',
      uuid: '253cc2ba-935b-482c-83d3-14bc4ed72c22',
      settingsFile: '/home/alma2/VBoxHome/vm/rh9-node1/rh9-node1.vbox',
      registered: true,
    });
    expect(parseCreateVm("Virtual machine 'x' is created.\nUUID: 253CC2BA-935B-482C-83D3-14BC4ED72C22\n")).toEqual({ name: 'x', uuid: '253cc2ba-935b-482c-83d3-14bc4ed72c22', registered: false });
  });

  it('createmedium after its progress bar (7.0.6)', () => {
    expect(parseFixture('createmedium-7.0.6-linux-progress-and-uuid.txt', parseCreateMedium)).toEqual({ uuid: '4973af85-5e20-43c2-b630-73084cc5191f' });
  });

  it('clonevm after its progress bar', () => {
    expect(parseFixture('clonevm-progress-and-result-papillon-FRAGMENT.txt', parseCloneVm)).toEqual({ name: 'srv' });
  });

  it.each([
    ['win-7.2.20-snapshot-take.stdout.txt', '5732a952-0b85-4e3a-820a-1a568f31166b'],
    ['win-7.2.20-snapshot-take-duplicate-name.stdout.txt', 'fe443bb2-c464-4ccc-8df7-91445f718b63'],
    ['snapshot-take-progress-and-uuid-papillon-FRAGMENT.txt', '3e6c0a9a-b9a8-44e6-92de-e96cd9db3790'],
  ])('snapshot take: %s', (name, uuid) => {
    expect(parseFixture(name, parseSnapshotTaken)).toEqual({ uuid });
  });

  it.each([
    ['win-7.2.20-snapshot-delete.stdout.txt', '5732a952-0b85-4e3a-820a-1a568f31166b'],
    // This run's UUID is the one the duplicate-name "snapshot take" printed: the line names the snapshot VirtualBox picked.
    ['win-7.2.20-snapshot-delete-missing.stdout.txt', 'fe443bb2-c464-4ccc-8df7-91445f718b63'],
  ])('snapshot delete: %s', (name, uuid) => {
    expect(parseFixture(name, parseSnapshotAction)).toEqual({ action: 'delete', name: 'fixture-snap', uuid });
  });

  it('snapshot restore', () => {
    expect(parseSnapshotAction("Restoring snapshot 'base' (085cbbec-70cd-4864-9208-5d938dcabb71)\n")).toEqual({ action: 'restore', name: 'base', uuid: '085cbbec-70cd-4864-9208-5d938dcabb71' });
  });

  it('hostonlyif create (Windows, no final newline)', () => {
    expect(parseFixture('hostonlyif-create-windows-docker-machine-test-literal.txt', parseHostOnlyIfCreated)).toEqual({ name: 'VirtualBox Host-Only Ethernet Adapter' });
  });

  it('startvm, inside a cmd.exe transcript', () => {
    const transcript = fixture('transcript-win-cmd-list-startvm-controlvm-poweroff.txt');
    expect(parseStartVm(transcript)).toEqual({ name: 'AlmaLinux9' });
  });

  it('throws a VBOX_ERROR when the line is missing', () => {
    expect(() => parseSnapshotTaken('something else')).toThrow(expect.objectContaining({ code: 'VBOX_ERROR' }));
    expect(() => parseCreateVm("Virtual machine 'x' is created and registered.\n")).toThrow(/createvm UUID/);
  });
});
