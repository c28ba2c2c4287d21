/**
 * Every VBoxManage command builder on arbitrary text and numbers: it returns an argv of plain strings
 * (no NUL, no positional that VBoxManage would read as an option), or refuses with a BAD_REQUEST that
 * names the problem. Whatever it returns then quotes for both shells or is refused the same way.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DcodError } from '../errors';
import { quoteCmd, quotePosix } from '../shell/quote';
import * as vbox from './commands';

const RUNS = 400;

type Args = { s: string; t: string; n: number; m: number; b: boolean };

const CALLS: Record<string, (a: Args) => vbox.Argv> = {
  list: (a) => vbox.list(a.s as vbox.ListKind),
  showVmInfo: (a) => vbox.showVmInfo(a.s),
  createVm: (a) => vbox.createVm({ name: a.s, osType: a.t, baseFolder: a.t, groups: [a.t], register: a.b, uuid: a.b ? undefined : a.t }),
  modifyVm: (a) => vbox.modifyVm(a.s, { memoryMb: a.n, cpus: a.m, chipset: a.b ? 'ich9' : (a.t as vbox.Chipset), groups: [a.t], nics: [{ slot: a.m, mac: a.t, attachment: { type: 'intnet', network: a.t }, nicType: a.t as vbox.NicType, promiscuous: a.t as vbox.PromiscuousPolicy }] }),
  startVm: (a) => vbox.startVm(a.s),
  controlVm: (a) => vbox.controlVm(a.s, a.t as vbox.ControlAction),
  controlVmNic: (a) => vbox.controlVmNic(a.s, a.n, { type: 'bridged', adapter: a.t }, a.b ? 'ich9' : 'piix3'),
  controlVmLinkState: (a) => vbox.controlVmLinkState(a.s, a.n, a.b, 'ich9'),
  discardState: (a) => vbox.discardState(a.s),
  unregisterVmAndDelete: (a) => vbox.unregisterVmAndDelete(a.s),
  cloneVm: (a) => vbox.cloneVm(a.s, { name: a.t, snapshot: a.b ? a.t : undefined, linked: a.b, groups: [a.t] }),
  snapshotTake: (a) => vbox.snapshotTake(a.s, a.t, { description: a.t, live: a.b }),
  snapshotList: (a) => vbox.snapshotList(a.s),
  snapshotRestore: (a) => vbox.snapshotRestore(a.s, a.t),
  snapshotDelete: (a) => vbox.snapshotDelete(a.s, a.t),
  createDisk: (a) => vbox.createDisk({ path: a.s, sizeMb: a.n }),
  closeMedium: (a) => vbox.closeMedium('disk', a.s, { deleteFile: a.b }),
  resizeDisk: (a) => vbox.resizeDisk(a.s, a.n),
  storageCtlAdd: (a) => vbox.storageCtlAdd(a.s, { name: a.t, bus: 'sata', controller: a.t, portCount: a.m, bootable: a.b }),
  storageCtlRemove: (a) => vbox.storageCtlRemove(a.s, a.t),
  storageAttach: (a) => vbox.storageAttach(a.s, { controller: a.t, port: a.n, device: a.m, type: 'hdd', medium: a.t }),
  setExtraData: (a) => vbox.setExtraData(a.s, a.t, a.b ? a.t : undefined),
  getExtraData: (a) => vbox.getExtraData(a.s, a.t),
  getExtraDataAll: (a) => vbox.getExtraDataAll(a.s),
  guestPropertyGet: (a) => vbox.guestPropertyGet(a.s, a.t),
  guestPropertyEnumerate: (a) => vbox.guestPropertyEnumerate(a.s, { patterns: [a.t], vboxMajor: a.b ? 7 : 6 }),
  debugVmStatistics: (a) => vbox.debugVmStatistics(a.s, a.t),
  exportVm: (a) => vbox.exportVm(a.s, a.t, { manifest: a.b }),
  importAppliance: (a) => vbox.importAppliance(a.s, { dryRun: a.b, vmName: a.t, cpus: a.m, memoryMb: a.n, baseFolder: a.t, ignoreUnits: [a.m] }),
  nicSlot: (a) => [vbox.nicSlot(a.n, a.b ? 'ich9' : 'piix3')],
  macAddress: (a) => [vbox.macAddress(a.s)],
  vniIntnetName: (a) => [vbox.vniIntnetName(a.n)],
};

/** Builders whose `s` is not a VM, medium or appliance that VBoxManage reads as a positional argument. */
const S_NOT_POSITIONAL = new Set(['list', 'createDisk', 'nicSlot', 'macAddress', 'vniIntnetName']);

const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 }), fc.constantFrom('', '-', '--name', 'vm', 'global', 'enumerate', '080027A1B2C3', '010027A1B2C3', 'ich9', 'poweroff', 'allow-all', 'virtio', 'vms', 'dcod-vni-5', 'dcod-vni-0', '/dcod/x', '\0'));
const num = fc.oneof(fc.integer({ min: -5, max: 70 }), fc.integer(), fc.constantFrom(Number.NaN, Infinity, 1.5, 2 ** 31, 2 ** 31 + 1));
const args = fc.record({ s: text, t: text, n: num, m: num, b: fc.boolean() });

describe('VBoxManage builders on arbitrary input', () => {
  it('every builder returns a safe argv or refuses with BAD_REQUEST; its argv quotes or is refused as BAD_REQUEST', () => {
    let built = 0;
    let refused = 0;
    for (const [name, call] of Object.entries(CALLS)) {
      fc.assert(
        fc.property(args, (a) => {
          let argv: vbox.Argv;
          try {
            argv = call(a);
          } catch (err) {
            if (!(err instanceof DcodError)) throw new Error(`${name} crashed on ${JSON.stringify(a)}: ${String(err)}`, { cause: err });
            expect(err.code).toBe('BAD_REQUEST');
            expect(err.message.length).toBeGreaterThan(0);
            refused++;
            return;
          }
          built++;
          // A VM, medium or appliance starting with "-" would be read as an option: it must have been refused.
          if (!S_NOT_POSITIONAL.has(name)) expect(a.s.startsWith('-'), `${name} took ${JSON.stringify(a.s)}`).toBe(false);
          for (const arg of argv) {
            expect(typeof arg).toBe('string');
            expect(arg).not.toContain('\0');
          }
          for (const quote of [quotePosix, quoteCmd]) {
            try {
              quote(['VBoxManage', ...argv]);
            } catch (err) {
              expect(err).toBeInstanceOf(DcodError);
              expect((err as DcodError).code).toBe('BAD_REQUEST');
            }
          }
        }),
        { numRuns: RUNS, seed: 41 },
      );
    }
    console.log(`[fuzz] builders: ${Object.keys(CALLS).length} builders × ${RUNS} = ${built + refused} cases, ${built} built, ${refused} refused with BAD_REQUEST, 0 crashes`);
  }, 120_000);
});
