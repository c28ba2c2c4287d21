/**
 * The shell-injection canary (issue #11): names and paths full of shell and cmd.exe syntax — quotes,
 * `$(…)`, backticks, `; | & < >`, newlines, Unicode — go into every free-text slot of every VBoxManage
 * command builder. Each command is then run for real on a lab host over SshRunner twice: once through
 * `printf '%s\0'` (every argument must arrive exactly as built), once as VBoxManage itself. Each also goes
 * through quoteCmd and the independent cmd.exe/MSVCRT reader. The canary files those strings would create
 * if any of them became shell syntax must never appear, on the host or on the laptop.
 */
import { existsSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DcodError } from '../src/errors';
import { cmdThenMsvcrt, slashC } from '../src/shell/cmd-reference.testkit';
import { quoteCmd } from '../src/shell/quote';
import { KnownHosts } from '../src/ssh/known-hosts';
import { SshRunner } from '../src/ssh/ssh-runner';
import * as vbox from '../src/vbox/commands';
import { parseMedia, parseVmList } from '../src/vbox/list';
import { currentLab, sshHost } from './support/lab';

const lab = currentLab();
const host = lab.hosts.find((h) => h.kind === 'virtualbox')!;
const tag = `dcod-canary-${process.pid}`;
const canary = `/tmp/${tag}`;

/** Each would create `${canary}-…` if the shell (sh or cmd) read any part of it as syntax. */
const HOSTILE = [
  `x"; touch ${canary}-dq; "`,
  `x'; touch ${canary}-sq; '`,
  `$(touch ${canary}-dollar)`,
  `\`touch ${canary}-backtick\``,
  `a;touch ${canary}-semi`,
  `a|touch ${canary}-pipe`,
  `a&&touch ${canary}-and`,
  `a & touch ${canary}-amp &`,
  `a\ntouch ${canary}-newline`,
  `a\r\ntouch ${canary}-crlf`,
  `>${canary}-redirect`,
  `a<${canary}-in`,
  `\${IFS}touch\${IFS}${canary}-ifs`,
  `'"'"'$(touch ${canary}-mixed)'"`,
  `\\"; touch ${canary}-backslash; \\"`,
  `ünïcödé 🙂 \u202e ﹩(touch ${canary}-unicode)`,
  `* ~ ? [a] {b,c} # !x ^& ^| $HOME`,
  `"&touch ${canary}-cmd&"`,
  `^"& echo pwned > ${canary}-caret ^"`,
  `%COMSPEC% !PATH! & touch ${canary}-percent`,
];

/** Every builder, each free-text slot filled with `s` (one slot per case, so one refusal hides no other). */
function builds(s: string, dir: string): Record<string, () => vbox.Argv> {
  const nic = (attachment: vbox.NicAttachmentSpec) => () => vbox.modifyVm('canary-vm', { nics: [{ slot: 1, attachment }] });
  return {
    showVmInfo: () => vbox.showVmInfo(s),
    'createVm name': () => vbox.createVm({ name: s, register: false, baseFolder: dir }),
    'createVm ostype+folder': () => vbox.createVm({ name: 'canary-vm', osType: s, baseFolder: `${dir}/${s}`, register: false }),
    'createVm groups': () => vbox.createVm({ name: 'canary-vm', groups: [`/${s}`], register: false, baseFolder: dir }),
    modifyVm: () => vbox.modifyVm(s, { memoryMb: 128, groups: [`/${s}`] }),
    'modifyVm bridged': nic({ type: 'bridged', adapter: s }),
    'modifyVm intnet': nic({ type: 'intnet', network: s }),
    'modifyVm hostonly': nic({ type: 'hostonly', adapter: s }),
    'modifyVm hostonlynet': nic({ type: 'hostonlynet', network: s }),
    'modifyVm natnetwork': nic({ type: 'natnetwork', network: s }),
    'modifyVm generic': nic({ type: 'generic', driver: s }),
    startVm: () => vbox.startVm(s),
    controlVm: () => vbox.controlVm(s, 'poweroff'),
    controlVmNic: () => vbox.controlVmNic(s, 1, { type: 'intnet', network: s }, 'piix3'),
    controlVmLinkState: () => vbox.controlVmLinkState(s, 1, false, 'piix3'),
    discardState: () => vbox.discardState(s),
    unregisterVmAndDelete: () => vbox.unregisterVmAndDelete(s),
    cloneVm: () => vbox.cloneVm(s, { name: s, snapshot: s, linked: true, baseFolder: `${dir}/${s}`, register: false }),
    snapshotTake: () => vbox.snapshotTake(s, s, { description: s }),
    snapshotList: () => vbox.snapshotList(s),
    snapshotRestore: () => vbox.snapshotRestore(s, s),
    snapshotDelete: () => vbox.snapshotDelete(s, s),
    createDisk: () => vbox.createDisk({ path: `${dir}/${s}.vdi`, sizeMb: 1 }),
    closeMedium: () => vbox.closeMedium('disk', s, { deleteFile: true }),
    resizeDisk: () => vbox.resizeDisk(s, 2),
    storageCtlAdd: () => vbox.storageCtlAdd(s, { name: s, bus: 'sata', controller: s }),
    storageCtlRemove: () => vbox.storageCtlRemove(s, s),
    storageAttach: () => vbox.storageAttach(s, { controller: s, port: 0, device: 0, type: 'hdd', medium: s }),
    setExtraData: () => vbox.setExtraData(s, s, s),
    'setExtraData global': () => vbox.setExtraData('global', `dcod/canary/${s}`),
    getExtraData: () => vbox.getExtraData(s, s),
    getExtraDataAll: () => vbox.getExtraDataAll(s),
    guestPropertyGet: () => vbox.guestPropertyGet(s, s),
    'guestPropertyEnumerate 7': () => vbox.guestPropertyEnumerate(s, { patterns: [s, s], vboxMajor: 7 }),
    'guestPropertyEnumerate 6': () => vbox.guestPropertyEnumerate(s, { patterns: [s, s], vboxMajor: 6 }),
    debugVmStatistics: () => vbox.debugVmStatistics(s, s),
    exportVm: () => vbox.exportVm(s, `${dir}/${s}.ova`, { manifest: true }),
    importAppliance: () => vbox.importAppliance(`${dir}/${s}.ova`, { dryRun: true, vmName: s, baseFolder: dir }),
  };
}

/** Builders that take no free text at all: nothing of a user's can reach their argv. */
const NO_FREE_TEXT = ['version', 'list', 'nicSlot', 'macAddress', 'vniIntnetName', 'vniOfIntnet'];

let runner: SshRunner;
let vmsBefore: Set<string>;
let hddsBefore: Set<string>;
const dir = `/tmp/${tag}-work`;

async function vboxOut(argv: vbox.Argv): Promise<string> {
  return (await runner.run(['VBoxManage', ...argv])).stdout;
}

beforeAll(async () => {
  runner = new SshRunner({ host: host.address, port: host.port, username: lab.user, auth: { kind: 'password', password: lab.password }, shell: 'posix' }, { knownHosts: await KnownHosts.open(undefined), maxChannels: 8 });
  await runner.run(['mkdir', '-p', dir]);
  vmsBefore = new Set(parseVmList(await vboxOut(vbox.list('vms'))).map((v) => v.uuid));
  hddsBefore = new Set(parseMedia(await vboxOut(vbox.list('hdds'))).map((m) => m.uuid));
});

afterAll(async () => {
  // Whatever the hostile commands legitimately created (a VM named `x"; touch …`, a disk) goes again.
  for (const v of parseVmList(await vboxOut(vbox.list('vms')))) if (!vmsBefore.has(v.uuid)) await runner.run(['VBoxManage', ...vbox.unregisterVmAndDelete(v.uuid)]);
  for (const m of parseMedia(await vboxOut(vbox.list('hdds')))) if (!hddsBefore.has(m.uuid)) await runner.run(['VBoxManage', ...vbox.closeMedium('disk', m.uuid, { deleteFile: true })]);
  await runner.run(['rm', '-rf', '--', dir]);
  await runner.close();
});

function canaries(): string[] {
  return readdirSync('/tmp').filter((f) => f.startsWith(tag) && f !== `${tag}-work`);
}

describe('shell-injection canary over every VBoxManage builder', () => {
  it('covers every exported builder', () => {
    const exported = Object.entries(vbox).filter(([, v]) => typeof v === 'function').map(([k]) => k);
    const covered = new Set(Object.keys(builds('x', dir)).map((k) => k.split(' ')[0]!));
    expect(exported.filter((k) => !covered.has(k) && !NO_FREE_TEXT.includes(k))).toEqual([]);
  });

  it('every argument arrives exactly as built, VBoxManage runs them as plain text, and no canary appears', async () => {
    let built = 0;
    let refused = 0;
    let echoed = 0;
    let ranVbox = 0;
    let cmdChecked = 0;
    let cmdRefused = 0;
    const jobs: (() => Promise<void>)[] = [];
    for (const s of HOSTILE) {
      for (const [name, build] of Object.entries(builds(s, dir))) {
        let argv: vbox.Argv;
        try {
          argv = build();
        } catch (err) {
          // A builder may refuse text, but only with a specific BAD_REQUEST.
          expect(err, name).toBeInstanceOf(DcodError);
          expect((err as DcodError).code).toBe('BAD_REQUEST');
          refused++;
          continue;
        }
        built++;
        // cmd.exe, checked against the independent reader: the same argv, or a specific refusal.
        try {
          const line = quoteCmd(['VBoxManage.exe', ...argv]);
          expect(cmdThenMsvcrt(line), `${name} ${JSON.stringify(s)}`).toEqual(['VBoxManage.exe', ...argv]);
          expect(cmdThenMsvcrt(slashC(`"${line}"`))).toEqual(['VBoxManage.exe', ...argv]);
          cmdChecked++;
        } catch (err) {
          expect(err, `${name} ${JSON.stringify(s)}`).toBeInstanceOf(DcodError);
          expect((err as DcodError).code).toBe('BAD_REQUEST');
          cmdRefused++;
        }
        jobs.push(async () => {
          const echo = await runner.run(['printf', '%s\\0', ...argv]);
          expect(echo.code).toBe(0);
          expect(echo.stdout.split('\0').slice(0, -1), `${name} ${JSON.stringify(s)}`).toEqual([...argv]);
          echoed++;
          const real = await runner.run(['VBoxManage', ...argv], { timeoutMs: 30_000 });
          expect(real.code, `${name}: ${real.stderr}`).not.toBeNull();
          ranVbox++;
        });
      }
    }
    // Eight at a time over the one connection.
    const queue = [...jobs];
    await Promise.all(Array.from({ length: 8 }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) await job();
    }));
    const onHost = await sshHost(host, `find /tmp ~ -maxdepth 1 -name '${tag}-*' ! -name '${tag}-work'`, { lab });
    expect(onHost.stdout.trim(), 'canary on the host').toBe('');
    expect(canaries(), 'canary on the laptop').toEqual([]);
    expect(existsSync(`${canary}-dq`)).toBe(false);
    console.log(`[canary] ${HOSTILE.length} hostile strings × ${Object.keys(builds('x', dir)).length} builder slots: ${built} built (${refused} refused with BAD_REQUEST), ${echoed} echoed back exactly over SSH, ${ranVbox} run as VBoxManage on ${host.name}, cmd.exe: ${cmdChecked} read back exactly + ${cmdRefused} refused; canary files: 0`);
  }, 600_000);
});
