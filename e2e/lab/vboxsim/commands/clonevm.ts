// `VBoxManage clonevm <vm> [--snapshot S] [--options link,…] --name N [--register]`
// (VBoxManageMisc.cpp handleCloneVM, MachineImplCloneVM.cpp). A full clone copies each disk chain
// into one new image; a linked clone puts differencing images on top of the snapshot's disks.
import fs from 'node:fs';
import path from 'node:path';
import { argumentError, comFailure, syntaxError } from '../errors';
import { getopt, type OptDef } from '../getopt';
import { generateMac, hardwareOf, machineDir, newMachine, type Hardware, type Machine } from '../machine';
import type { Medium } from '../store';
import { findMachine, findSnapshot, PROGRESS_OK, site, type Ctx } from './context';
import { composeMachineFilename, defaultMachineFolder, parseGroups, writeSettingsFile } from './createvm';
import { createDiff, registerMedium } from './medium';

const OPTS: OptDef[] = [
  { name: '--snapshot', id: 'snapshot', kind: 'string' },
  { name: '--name', id: 'name', kind: 'string' },
  { name: '--groups', id: 'groups', kind: 'string' },
  { name: '--basefolder', id: 'basefolder', kind: 'string' },
  { name: '--mode', id: 'mode', kind: 'string' },
  { name: '--options', id: 'options', kind: 'string' },
  { name: '--uuid', id: 'uuid', kind: 'uuid' },
  { name: '--register', id: 'register', kind: 'none' },
];

const F = 'VBoxManageMisc.cpp';
const FIND = site(F, 668, 'FindMachine(Bstr(pszSrcName).raw(), srcMachine.asOutParam())');
const FIND_SNAP = site(F, 677, 'FindSnapshot(Bstr(pszSnapshotName).raw(), srcSnapshot.asOutParam())');
const CREATE = site(
  F,
  704,
  'CreateMachine(bstrSettingsFile.raw(), Bstr(pszTrgName).raw(), ComSafeArrayAsInParam(groups), NULL, createFlags.raw(), NULL, NULL, NULL, trgMachine.asOutParam())',
);
const CLONE_TO = site(F, 717, 'CloneTo(trgMachine, mode, ComSafeArrayAsInParam(options), progress.asOutParam())');

const CLONE_OPTIONS = ['link', 'keepallmacs', 'keepnatmacs', 'keepdisknames', 'keephwuuids'];

function stem(file: string): string {
  const base = path.basename(file);
  const ext = path.extname(base);
  return ext ? base.slice(0, -ext.length) : base;
}

export function clonevm(args: string[], ctx: Ctx): void {
  const v = ctx.config.version;
  let src: string | undefined;
  let snapshotName: string | undefined;
  let name: string | undefined;
  let groups: string[] = [];
  let baseFolder: string | undefined;
  let uuid: string | undefined;
  let register = false;
  let options: string[] = [];
  for (const r of getopt(args, OPTS)) {
    if (r.type === 'error') throw syntaxError(v, r.message);
    if (r.type === 'arg') {
      if (src !== undefined) throw syntaxError(v, `Invalid parameter '${r.value}'`);
      src = r.value;
      continue;
    }
    const s = String(r.value);
    if (r.id === 'snapshot') snapshotName = s;
    if (r.id === 'name') name = s;
    if (r.id === 'groups') groups = parseGroups(s);
    if (r.id === 'basefolder') baseFolder = s;
    if (r.id === 'uuid') uuid = s;
    if (r.id === 'register') register = true;
    if (r.id === 'mode' && !['machine', 'machineandchildren', 'all'].includes(s.toLowerCase()))
      throw argumentError(`Invalid clone mode '${s}'\n`);
    if (r.id === 'options') {
      options = s.toLowerCase().split(',').filter(Boolean);
      if (options.some((o) => !CLONE_OPTIONS.includes(o))) throw argumentError(`Invalid clone options '${s}'\n`);
    }
  }
  if (!src) throw syntaxError(v, 'VM name required');
  const source = findMachine(ctx, src, FIND);
  const snap = snapshotName !== undefined ? findSnapshot(source, snapshotName, FIND_SNAP, 'MachineWrap') : undefined;
  const trgName = name ?? `${src} Clone`;
  const cfgFile = composeMachineFilename(defaultMachineFolder(ctx.config.home), trgName, groups[0], baseFolder);
  if (fs.existsSync(cfgFile)) {
    throw comFailure(
      { text: `Machine settings file '${cfgFile}' already exists`, code: 'VBOX_E_FILE_ERROR', component: 'MachineWrap', iface: 'IMachine', callee: 'nsISupports' },
      CREATE,
    );
  }
  const link = options.includes('link');
  if (link && !snap) {
    throw comFailure(
      { text: 'Linked clone can only be created from a snapshot', code: 'NS_ERROR_INVALID_ARG', component: 'MachineWrap', iface: 'IMachine', callee: 'nsISupports' },
      CLONE_TO,
    );
  }
  const hw: Hardware = snap ? snap.hardware : source;
  const id = uuid ?? ctx.uuid();
  const target: Machine = Object.assign(newMachine({ uuid: id, name: trgName, ostype: hw.ostype, groups, cfgFile, now: ctx.now() }), hardwareOf(hw));
  target.extradata = structuredClone(source.extradata);
  // New MAC addresses unless asked to keep them (all, or only those of NAT adapters).
  for (const nic of target.nics) {
    const keep = options.includes('keepallmacs') || (options.includes('keepnatmacs') && nic.attachment === 'nat');
    if (!keep && nic.mac) nic.mac = generateMac();
  }
  const dir = machineDir(target);
  const media = new Map(ctx.tx.registry.media.map((m) => [m.uuid, m]));
  let diskNo = 0;
  for (const c of target.storage) {
    for (const a of c.attachments) {
      if (a.kind !== 'hdd' || !a.medium) continue;
      if (link) {
        a.medium = createDiff(ctx.tx, a.medium, path.join(dir, 'Snapshots'), ctx.uuid()).uuid;
        continue;
      }
      const srcMedium = media.get(a.medium) as Medium;
      let base = srcMedium;
      while (base.parent) base = media.get(base.parent) as Medium;
      const newId = ctx.uuid();
      const ext = path.extname(base.location);
      const baseStem = stem(base.location);
      const file = options.includes('keepdisknames')
        ? path.basename(base.location)
        : baseStem === source.name
          ? `${trgName}${ext}`
          : /^\{.*\}$/.test(baseStem)
            ? `{${newId}}${ext}`
            : `${trgName}-disk${++diskNo}${ext}`;
      a.medium = registerMedium(ctx.tx, {
        uuid: newId,
        location: path.join(dir, file),
        format: base.format,
        device: 'HardDisk',
        logicalSize: srcMedium.logicalSize,
        parent: null,
      }).uuid;
    }
  }
  writeSettingsFile(cfgFile, id, trgName);
  ctx.err(PROGRESS_OK);
  ctx.tx.save(target);
  if (register) {
    ctx.tx.registry.machines.push(id);
    ctx.tx.touchRegistry();
  }
  ctx.out(`Machine has been successfully cloned as "${trgName}"\n`);
}
