// `VBoxManage storagectl` and `storageattach` (VBoxManageStorageController.cpp) for a VM that is
// not running: controllers, and disks/DVD/floppy drives on their ports.
import { argumentError, comFailure, msgError, syntaxError, VBoxError } from '../errors';
import { getopt, type OptDef } from '../getopt';
import type { DeviceKind, Machine, StorageBus, StorageController } from '../machine';
import { controllerLimits } from '../vminfo';
import { findMachine, lockForWrite, site, type Ctx } from './context';
import { openMedium } from './medium';

const F = 'VBoxManageStorageController.cpp';
const OPEN_MEDIUM = site(F, 700, 'OpenMedium(Bstr(pszMedium).raw(), devTypeRequested, accessType, fForceNewUuidOnOpen, pMedium2Mount.asOutParam())');

const BUSES: Record<string, { bus: StorageBus; type: string; ports: number; line: number; enumName: string }> = {
  ide: { bus: 'IDE', type: 'PIIX4', ports: 2, line: 1081, enumName: 'StorageBus_IDE' },
  sata: { bus: 'SATA', type: 'IntelAhci', ports: 30, line: 1087, enumName: 'StorageBus_SATA' },
  scsi: { bus: 'SCSI', type: 'LsiLogic', ports: 16, line: 1093, enumName: 'StorageBus_SCSI' },
  floppy: { bus: 'Floppy', type: 'I82078', ports: 1, line: 1099, enumName: 'StorageBus_Floppy' },
  sas: { bus: 'SAS', type: 'LsiLogicSas', ports: 8, line: 1105, enumName: 'StorageBus_SAS' },
  usb: { bus: 'USB', type: 'USB', ports: 8, line: 1111, enumName: 'StorageBus_USB' },
  pcie: { bus: 'PCIe', type: 'NVMe', ports: 1, line: 1117, enumName: 'StorageBus_PCIe' },
  virtio: { bus: 'VirtioSCSI', type: 'VirtioSCSI', ports: 1, line: 1123, enumName: 'StorageBus_VirtioSCSI' },
};

const CONTROLLER_TYPES: Record<string, { type: string; bus: StorageBus }> = {
  lsilogic: { type: 'LsiLogic', bus: 'SCSI' },
  buslogic: { type: 'BusLogic', bus: 'SCSI' },
  intelahci: { type: 'IntelAhci', bus: 'SATA' },
  piix3: { type: 'PIIX3', bus: 'IDE' },
  piix4: { type: 'PIIX4', bus: 'IDE' },
  ich6: { type: 'ICH6', bus: 'IDE' },
  i82078: { type: 'I82078', bus: 'Floppy' },
  lsilogicsas: { type: 'LsiLogicSas', bus: 'SAS' },
  usb: { type: 'USB', bus: 'USB' },
  nvme: { type: 'NVMe', bus: 'PCIe' },
  'virtio-scsi': { type: 'VirtioSCSI', bus: 'VirtioSCSI' },
  virtio: { type: 'VirtioSCSI', bus: 'VirtioSCSI' },
};

const CTL_OPTS: OptDef[] = [
  { name: '--name', id: 'name', kind: 'string' },
  { name: '--add', id: 'add', kind: 'string' },
  { name: '--controller', id: 'controller', kind: 'string' },
  { name: '--portcount', id: 'portcount', kind: 'uint32' },
  { name: '--hostiocache', id: 'hostiocache', kind: 'string' },
  { name: '--bootable', id: 'bootable', kind: 'string' },
  { name: '--rename', id: 'rename', kind: 'string' },
  { name: '--remove', id: 'remove', kind: 'none' },
];

function storageError(text: string, code: 'VBOX_E_OBJECT_IN_USE' | 'VBOX_E_OBJECT_NOT_FOUND' | 'NS_ERROR_INVALID_ARG', at: ReturnType<typeof site>): VBoxError {
  return comFailure({ text, code, component: 'SessionMachine', iface: 'IMachine', callee: 'nsISupports' }, at);
}

export function storagectl(args: string[], ctx: Ctx): void {
  const v = ctx.config.version;
  if (args.length < 1) throw syntaxError(v, 'Not enough parameters');
  const o: Record<string, string | number | boolean | undefined> = {};
  for (const r of getopt(args.slice(1), CTL_OPTS)) {
    if (r.type === 'error') throw syntaxError(v, r.message);
    if (r.type === 'arg') throw syntaxError(v, `Invalid parameter '${r.value}'`);
    o[r.id] = r.value ?? true;
  }
  const m = findMachine(ctx, args[0] as string, site(F, 1053, 'FindMachine(Bstr(a->argv[0]).raw(), machine.asOutParam())'));
  lockForWrite(m, site(F, 1057, 'LockMachine(a->session, LockType_Write)'));
  const name = o.name as string | undefined;
  if (!name) throw syntaxError(v, 'Storage controller name not specified\n');
  if (o.remove) {
    if (!m.storage.some((c) => c.name === name))
      throw storageError(`Could not find a storage controller named '${name}'`, 'VBOX_E_OBJECT_NOT_FOUND', site(F, 1068, 'RemoveStorageController(Bstr(pszCtl).raw())'));
    m.storage = m.storage.filter((c) => c.name !== name);
    ctx.tx.save(m);
    return;
  }
  if (o.add !== undefined) {
    const b = BUSES[String(o.add).toLowerCase()];
    if (!b) throw new VBoxError(msgError(`Invalid --add argument '${o.add}'`), 1);
    const at = site(F, b.line, `AddStorageController(Bstr(pszCtl).raw(), ${b.enumName}, ctl.asOutParam())`);
    if (m.storage.some((c) => c.name === name)) throw storageError(`Storage controller named '${name}' already exists`, 'VBOX_E_OBJECT_IN_USE', at);
    const instance = m.storage.filter((c) => c.bus === b.bus).length;
    m.storage.push({ name, bus: b.bus, type: b.type, instance, portCount: b.ports, bootable: true, attachments: [] });
  }
  const ctl = m.storage.find((c) => c.name === name);
  const notFound = () => new VBoxError(msgError(`Couldn't find the controller with the name: '${name}'\n`), 1);
  if (o.controller !== undefined) {
    if (!ctl) throw notFound();
    const t = CONTROLLER_TYPES[String(o.controller).toLowerCase()];
    if (!t) throw new VBoxError(msgError(`Invalid --type argument '${o.controller}'`), 1);
    ctl.type = t.type;
  }
  if (o.portcount !== undefined) {
    if (!ctl) throw notFound();
    ctl.portCount = Math.min(o.portcount as number, controllerLimits(ctl.bus).maxPorts);
  }
  if (o.bootable !== undefined) {
    if (!ctl) throw notFound();
    ctl.bootable = String(o.bootable).toLowerCase() === 'on';
  }
  if (o.rename !== undefined) {
    if (!ctl) throw notFound();
    ctl.name = String(o.rename);
  }
  ctx.tx.save(m);
}

const ATTACH_OPTS: OptDef[] = [
  { name: '--storagectl', id: 'ctl', kind: 'string' },
  { name: '--port', id: 'port', kind: 'uint32' },
  { name: '--device', id: 'device', kind: 'uint32' },
  { name: '--type', id: 'type', kind: 'string' },
  { name: '--medium', id: 'medium', kind: 'string' },
  { name: '--mtype', id: 'mtype', kind: 'string' },
  { name: '--nonrotational', id: 'nonrotational', kind: 'string' },
  { name: '--discard', id: 'discard', kind: 'string' },
  { name: '--hotpluggable', id: 'hotpluggable', kind: 'string' },
  { name: '--tempeject', id: 'tempeject', kind: 'string' },
  { name: '--comment', id: 'comment', kind: 'string' },
  { name: '--setuuid', id: 'setuuid', kind: 'string' },
];

const DEVICE_TYPES: Record<string, DeviceKind> = { hdd: 'hdd', dvddrive: 'dvd', fdd: 'fdd' };
function onOff(v: unknown): boolean {
  return String(v).toLowerCase() === 'on';
}

export function storageattach(args: string[], ctx: Ctx): void {
  const v = ctx.config.version;
  if (args.length < 1) throw syntaxError(v, 'Not enough parameters');
  const o: Record<string, string | number | undefined> = {};
  for (const r of getopt(args.slice(1), ATTACH_OPTS)) {
    if (r.type === 'error') throw syntaxError(v, r.message);
    if (r.type === 'arg') throw syntaxError(v, `Invalid parameter '${r.value}'`);
    o[r.id] = r.value as string | number;
  }
  const ctlName = o.ctl as string | undefined;
  if (!ctlName) throw syntaxError(v, 'Storage controller name not specified');
  const m: Machine = findMachine(ctx, args[0] as string, site(F, 343, 'FindMachine(Bstr(a->argv[0]).raw(), machine.asOutParam())'));
  const ctl = m.storage.find((c) => c.name === ctlName) as StorageController | undefined;
  if (!ctl) throw new VBoxError(msgError(`Could not find a controller named '${ctlName}'\n`), 1);
  if (m.running) throw new VBoxError(msgError(`Controller '${ctlName}' does not support hot-plugging`), 1);
  const lim = controllerLimits(ctl.bus);
  const port = o.port ?? (lim.maxPorts === 1 ? 0 : undefined);
  const device = o.device ?? (lim.devicesPerPort === 1 ? 0 : undefined);
  if (port === undefined) throw syntaxError(v, 'Port not specified');
  if (device === undefined) throw syntaxError(v, 'Device not specified');
  const p = port as number;
  const d = device as number;
  // Attaching past the current port count grows it (up to the controller's maximum).
  if (ctl.portCount !== lim.maxPorts && p >= ctl.portCount && p < lim.maxPorts) ctl.portCount = p + 1;
  const existing = ctl.attachments.find((a) => a.port === p && a.device === d);
  const medium = o.medium as string | undefined;
  if (medium !== undefined) {
    if (medium.toLowerCase() === 'none') {
      ctl.attachments = ctl.attachments.filter((a) => a !== existing);
    } else {
      const kindName = (o.type as string | undefined)?.toLowerCase();
      const kind = kindName ? DEVICE_TYPES[kindName] : existing?.kind;
      if (!kind) throw argumentError(kindName ? `Invalid --type argument '${o.type}'` : 'Argument --type must be specified\n');
      const mediumId = medium.toLowerCase() === 'emptydrive' ? null : openMedium(ctx, medium, kind === 'hdd' ? 'HardDisk' : kind === 'dvd' ? 'DVD' : 'Floppy', OPEN_MEDIUM).uuid;
      if (mediumId === null && kind === 'hdd') throw argumentError('Argument --type must be specified\n');
      const other = ctl.attachments.find((a) => a.medium === mediumId && a !== existing && mediumId !== null);
      if (other)
        throw storageError(
          `Medium '${ctx.tx.registry.media.find((x) => x.uuid === mediumId)?.location}' is already attached to this virtual machine`,
          'VBOX_E_OBJECT_IN_USE',
          site(F, 781, 'AttachDevice(Bstr(pszCtl).raw(), port, device, DeviceType_HardDisk, pMedium2Mount)'),
        );
      ctl.attachments = ctl.attachments.filter((a) => a !== existing);
      ctl.attachments.push({ port: p, device: d, kind, medium: mediumId, nonRotational: false, discard: false, hotPluggable: false, tempEject: false });
    }
  }
  const att = ctl.attachments.find((a) => a.port === p && a.device === d);
  if (att) {
    if (o.nonrotational !== undefined) att.nonRotational = onOff(o.nonrotational);
    if (o.discard !== undefined) att.discard = onOff(o.discard);
    if (o.hotpluggable !== undefined) att.hotPluggable = onOff(o.hotpluggable);
    if (o.tempeject !== undefined) att.tempEject = onOff(o.tempeject);
  }
  ctl.attachments.sort((a, b) => a.port - b.port || a.device - b.device);
  ctx.tx.save(m);
}
