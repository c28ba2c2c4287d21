// Virtual disks: `createmedium|createhd disk …`, `closemedium …`, `modifymedium …` (VBoxManageDisk.cpp)
// and the differencing images snapshots and linked clones make. Image files hold no data, like a
// dynamically allocated image that has none yet, only a one-line header with their logical size (real
// images keep theirs in their own header): a copy of the file on another host opens as the same disk.
import fs from 'node:fs';
import path from 'node:path';
import { argumentError, comFailure, formatContext, formatErrorInfo, msgError, syntaxError, VBoxError, type ErrorContext } from '../errors';
import { getopt, isUuid, type OptDef } from '../getopt';
import type { Medium, MediumDevice, MediumFormat, Tx } from '../store';
import { PROGRESS_OK, site, type Ctx } from './context';
import { machineDisks } from './unregistervm';

const F = 'VBoxManageDisk.cpp';
const CREATE_PROGRESS = site(F, 630, 'RTEXITCODE handleCreateMedium(HandlerArg*)');
const OPEN = site(F, 197, 'OpenMedium(Bstr(pszFilenameOrUuid).raw(), enmDevType, enmAccessMode, fForceNewUuidOnOpen, pMedium.asOutParam())');
const CLOSE = site(F, 1875, 'Close()');

const FORMATS: Record<string, MediumFormat> = { vdi: 'VDI', vmdk: 'VMDK', vhd: 'VHD', raw: 'RAW' };
const EXT: Record<MediumFormat, string> = { VDI: '.vdi', VMDK: '.vmdk', VHD: '.vhd', RAW: '.img' };

const HEADER = 'vboxsim disk image, logical size ';
const FORMAT_BY_EXT: Record<string, MediumFormat> = { '.vdi': 'VDI', '.vmdk': 'VMDK', '.vhd': 'VHD', '.iso': 'RAW', '.img': 'RAW' };

function writeHeader(file: string, bytes: number): void {
  fs.writeFileSync(file, `${HEADER}${bytes}\n`);
}

/** The logical size in an image file's header; undefined for a file without one (data written over it) or none at all. */
function headerSize(file: string): number | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const head = Buffer.alloc(HEADER.length + 24);
    const text = head.subarray(0, fs.readSync(fd, head, 0, head.length, 0)).toString('latin1');
    const size = text.startsWith(HEADER) ? /^(\d+)\n/.exec(text.slice(HEADER.length))?.[1] : undefined;
    return size === undefined ? undefined : Number(size);
  } finally {
    fs.closeSync(fd);
  }
}

/** Creates the image file (its header only) and registers it. */
export function registerMedium(tx: Tx, m: Medium): Medium {
  fs.mkdirSync(path.dirname(m.location), { recursive: true });
  writeHeader(m.location, m.logicalSize);
  tx.registry.media.push(m);
  tx.touchRegistry();
  return m;
}

/** A differencing image on top of `parent`, in `folder` and named {uuid}, as snapshots create them. */
export function createDiff(tx: Tx, parentId: string, folder: string, uuid: string): Medium {
  const parent = tx.registry.media.find((x) => x.uuid === parentId);
  if (!parent) throw new Error(`vboxsim: medium ${parentId} is not registered`);
  // VirtualBox keeps a VMDK chain in VMDK and makes VDI differencing images for everything else.
  const format: MediumFormat = parent.format === 'VMDK' ? 'VMDK' : 'VDI';
  return registerMedium(tx, {
    uuid,
    location: path.join(folder, `{${uuid}}${EXT[format]}`),
    format,
    device: 'HardDisk',
    logicalSize: parent.logicalSize,
    parent: parentId,
  });
}

/** Removes a medium from the registry and deletes its file. */
export function deleteMedium(tx: Tx, id: string): void {
  const m = tx.registry.media.find((x) => x.uuid === id);
  if (!m) return;
  fs.rmSync(m.location, { force: true });
  tx.registry.media = tx.registry.media.filter((x) => x.uuid !== id);
  tx.touchRegistry();
}

/** IVirtualBox::OpenMedium for a registered medium: by UUID or (absolute) location. */
export function findMedium(tx: Tx, nameOrUuid: string): Medium | undefined {
  if (isUuid(nameOrUuid)) {
    const u = nameOrUuid.replace(/[{}]/g, '').toLowerCase();
    return tx.registry.media.find((x) => x.uuid === u);
  }
  const abs = path.resolve(nameOrUuid);
  return tx.registry.media.find((x) => x.location === abs);
}

/**
 * IVirtualBox::OpenMedium as VBoxManage calls it: a registered medium by UUID or location, else an image
 * file not yet known, which it registers (as VirtualBox does with any medium it opens).
 */
export function openMedium(ctx: Ctx, nameOrUuid: string, device: MediumDevice, at: ErrorContext): Medium {
  const known = findMedium(ctx.tx, nameOrUuid);
  if (known) return known;
  const location = isUuid(nameOrUuid) ? nameOrUuid : path.resolve(nameOrUuid);
  const logicalSize = isUuid(nameOrUuid) || !fs.existsSync(location) ? undefined : (headerSize(location) ?? fs.statSync(location).size);
  if (logicalSize === undefined) {
    throw comFailure({ text: `Could not find file for the medium '${location}' (VERR_FILE_NOT_FOUND)`, code: 'VBOX_E_FILE_ERROR', component: 'MediumWrap', iface: 'IMedium', callee: 'nsISupports' }, at);
  }
  const m: Medium = { uuid: ctx.uuid(), location, format: FORMAT_BY_EXT[path.extname(location).toLowerCase()] ?? 'RAW', device, logicalSize, parent: null };
  ctx.tx.registry.media.push(m);
  ctx.tx.touchRegistry();
  return m;
}

const CREATE_OPTS: OptDef[] = [
  { name: 'disk', id: 'disk', kind: 'none' },
  { name: 'dvd', id: 'dvd', kind: 'none' },
  { name: 'floppy', id: 'floppy', kind: 'none' },
  { name: '--filename', id: 'filename', kind: 'string' },
  { name: '-filename', id: 'filename', kind: 'string' },
  { name: '--diffparent', id: 'diffparent', kind: 'string' },
  { name: '--size', id: 'size', kind: 'uint32' },
  { name: '-size', id: 'size', kind: 'uint32' },
  { name: '--sizebyte', id: 'sizebyte', kind: 'string' },
  { name: '--format', id: 'format', kind: 'string' },
  { name: '-format', id: 'format', kind: 'string' },
  { name: '--variant', id: 'variant', kind: 'string' },
  { name: '-variant', id: 'variant', kind: 'string' },
  { name: '--static', id: 'static', kind: 'none' },
];

export function createmedium(args: string[], ctx: Ctx): void {
  const v = ctx.config.version;
  let filename: string | undefined;
  let sizeMB: number | undefined;
  let format: MediumFormat | undefined;
  for (const r of getopt(args, CREATE_OPTS)) {
    if (r.type === 'error') throw syntaxError(v, r.message);
    if (r.type === 'arg') throw syntaxError(v, `Invalid parameter '${r.value}'`);
    if (r.id === 'filename') filename = String(r.value);
    if (r.id === 'size') sizeMB = r.value as number;
    if (r.id === 'sizebyte') sizeMB = Number(r.value) / 1048576;
    if (r.id === 'format') {
      format = FORMATS[String(r.value).toLowerCase()];
      if (!format) throw argumentError(`Invalid format '${r.value}'`);
    }
    if (r.id === 'dvd' || r.id === 'floppy') throw syntaxError(v, 'Only disk images can be created by the simulator');
  }
  if (!filename) throw syntaxError(v, 'Parameter --filename is required');
  if (!sizeMB) throw syntaxError(v, 'Parameter --size is required');
  // Without --format the extension decides, else the default (VDI); a missing extension gets one.
  const ext = path.extname(filename).slice(1).toLowerCase();
  const fmt = format ?? FORMATS[ext] ?? 'VDI';
  let location = path.resolve(filename);
  if (!ext) location += EXT[fmt];
  if (fs.existsSync(location) || ctx.tx.registry.media.some((x) => x.location === location)) {
    // The image backend refuses inside the progress: showProgress ends the line with the result
    // code, then CHECK_PROGRESS_ERROR prints the message, the progress' error info and its context.
    const backend = fmt === 'VMDK' ? `VMDK: could not create new file '${location}'` : `${fmt}: cannot create image '${location}'`;
    throw new VBoxError(
      '0%...VBOX_E_FILE_ERROR\n' +
        msgError('Failed to create medium') +
        formatErrorInfo({
          text: `Could not create the medium storage unit '${location}'.\n${backend} (VERR_ALREADY_EXISTS)`,
          code: 'VBOX_E_FILE_ERROR',
          component: 'MediumWrap',
          iface: 'IMedium',
        }) +
        formatContext(CREATE_PROGRESS),
      1,
    );
  }
  const m = registerMedium(ctx.tx, { uuid: ctx.uuid(), location, format: fmt, device: 'HardDisk', logicalSize: Math.floor(sizeMB * 1048576), parent: null });
  // showProgress prints to stderr; the result line follows on stdout.
  ctx.err(PROGRESS_OK);
  ctx.out(`Medium created. UUID: ${m.uuid}\n`);
}

const CLOSE_OPTS: OptDef[] = [
  { name: 'disk', id: 'disk', kind: 'none' },
  { name: 'dvd', id: 'dvd', kind: 'none' },
  { name: 'floppy', id: 'floppy', kind: 'none' },
  { name: '--delete', id: 'delete', kind: 'none' },
  { name: '-delete', id: 'delete', kind: 'none' },
];

export function closemedium(args: string[], ctx: Ctx): void {
  const v = ctx.config.version;
  let target: string | undefined;
  let del = false;
  for (const r of getopt(args, CLOSE_OPTS)) {
    if (r.type === 'error') throw syntaxError(v, r.message);
    if (r.type === 'arg') {
      if (target !== undefined) throw syntaxError(v, `Invalid parameter '${r.value}'`);
      target = r.value;
    } else if (r.id === 'delete') del = true;
  }
  if (target === undefined) throw syntaxError(v, 'Medium name or UUID required');
  const m = openMedium(ctx, target, 'HardDisk', OPEN);
  const users = ctx.tx.allMachines().filter((vm) => machineDisks(ctx.tx, vm).includes(m.uuid));
  const mediumError = (text: string, code: 'VBOX_E_OBJECT_IN_USE' | 'VBOX_E_INVALID_OBJECT_STATE', at = CLOSE) =>
    comFailure({ text, code, component: 'MediumWrap', iface: 'IMedium', callee: 'nsISupports' }, at);
  const children = ctx.tx.registry.media.filter((x) => x.parent === m.uuid).length;
  if (del && (users.length || children)) {
    // DeleteStorage refuses; VBoxManage reports it and still tries Close(), which refuses too.
    const text = users.length
      ? `Medium '${m.location}' cannot be closed because it is still attached to ${users.length} virtual machines`
      : `Cannot close medium '${m.location}' because it has ${children} child media`;
    throw new VBoxError(msgError('Failed to delete medium. Error code VBOX_E_OBJECT_IN_USE') + mediumError(text, 'VBOX_E_OBJECT_IN_USE').stderr, 1);
  }
  if (users.length)
    throw mediumError(`Medium '${m.location}' cannot be closed because it is still attached to ${users.length} virtual machines`, 'VBOX_E_OBJECT_IN_USE');
  if (children) throw mediumError(`Cannot close medium '${m.location}' because it has ${children} child media`, 'VBOX_E_OBJECT_IN_USE');
  if (del) {
    deleteMedium(ctx.tx, m.uuid);
    ctx.err(PROGRESS_OK);
  } else {
    ctx.tx.registry.media = ctx.tx.registry.media.filter((x) => x.uuid !== m.uuid);
    ctx.tx.touchRegistry();
  }
}

const MODIFY_OPTS: OptDef[] = [
  { name: 'disk', id: 'disk', kind: 'none' },
  { name: '--resize', id: 'resize', kind: 'uint32' },
  { name: '--resizebyte', id: 'resizebyte', kind: 'string' },
];

/**
 * `modifymedium [disk] <uuid|file> --resize <MB>|--resizebyte <bytes>` (VBoxManageDisk.cpp): only the
 * resize (the one change DCoD makes, to grow a volume) is simulated: the registry's logical size and the
 * one in the image file's header (a file whose header was written over keeps its bytes).
 */
export function modifymedium(args: string[], ctx: Ctx): void {
  const v = ctx.config.version;
  let target: string | undefined;
  let bytes: number | undefined;
  for (const r of getopt(args, MODIFY_OPTS)) {
    if (r.type === 'error') throw syntaxError(v, r.message);
    if (r.type === 'arg') {
      if (target !== undefined) throw syntaxError(v, `Invalid parameter '${r.value}'`);
      target = r.value;
    } else if (r.id === 'resize') bytes = (r.value as number) * 1048576;
    else if (r.id === 'resizebyte') bytes = Number(r.value);
  }
  if (target === undefined) throw syntaxError(v, 'Medium name or UUID required');
  if (bytes === undefined) throw syntaxError(v, 'vboxsim simulates only --resize and --resizebyte of modifymedium');
  const m = openMedium(ctx, target, 'HardDisk', OPEN);
  if (bytes < m.logicalSize) {
    throw new VBoxError(`0%...VBOX_E_NOT_SUPPORTED\n${msgError('Failed to resize medium')}${formatErrorInfo({ text: `Resizing to new size ${bytes} is not yet supported for medium '${m.location}'`, code: 'VBOX_E_NOT_SUPPORTED', component: 'MediumWrap', iface: 'IMedium' })}${formatContext(site(F, 1134, 'RTEXITCODE handleModifyMedium(HandlerArg*)'))}`, 1);
  }
  m.logicalSize = bytes;
  if (headerSize(m.location) !== undefined) writeHeader(m.location, bytes);
  ctx.tx.touchRegistry();
  ctx.err(PROGRESS_OK);
}
