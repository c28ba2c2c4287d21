// `VBoxManage export <vm>… -o X.ova` and `import X.ova [--dry-run] [--vsys n --vmname N …]`
// (VBoxManageAppliance.cpp). An OVA is a ustar archive: the OVF descriptor first, then the disk
// files, then a SHA256 manifest.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { formatContext, formatErrorInfo, msgError, syntaxError, VBoxError } from '../errors';
import { generateMac, NETWORK_FIELD, newMachine, NIC_TYPES, type Attachment, type Machine, type NicType, type StorageController } from '../machine';
import { buildOvf, formatManifest, NIC_TYPE_NUMBER, OVF_DISK_FORMAT, parseManifest, parseOvf, type OvfNetworkMode, type OvfNic, type OvfVirtualSystem } from '../ovf';
import { readTar, writeTar, type TarEntry } from '../tar';
import { findMachine, lookupMachine, PROGRESS_OK, site, type Ctx } from './context';
import { composeMachineFilename, defaultMachineFolder, writeSettingsFile } from './createvm';
import { registerMedium } from './medium';

const F = 'VBoxManageAppliance.cpp';

const MODE_OF: Record<Attachment, OvfNetworkMode> = {
  null: 'Null', nat: 'NAT', bridged: 'Bridged', intnet: 'Internal', hostonly: 'HostOnly', generic: 'Generic', natnetwork: 'NATNetwork',
};
const ATTACHMENT_OF: Record<OvfNetworkMode, Attachment> = {
  Null: 'null', NAT: 'nat', Bridged: 'bridged', Internal: 'intnet', HostOnly: 'hostonly', Generic: 'generic', NATNetwork: 'natnetwork',
};

function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

function systemOf(ctx: Ctx, m: Machine, nomacs: 'none' | 'all' | 'butnat', diskNo: { n: number }): { sys: OvfVirtualSystem; files: TarEntry[] } {
  const media = new Map(ctx.tx.registry.media.map((x) => [x.uuid, x]));
  const files: TarEntry[] = [];
  const controllers: OvfVirtualSystem['controllers'] = [];
  const disks: OvfVirtualSystem['disks'] = [];
  let instance = 3;
  for (const c of m.storage) {
    if (c.bus !== 'IDE' && c.bus !== 'SATA' && c.bus !== 'SCSI') continue;
    const id = instance++;
    controllers.push({ instanceId: id, bus: c.bus, subType: c.bus === 'IDE' ? 'PIIX4' : c.bus === 'SATA' ? 'AHCI' : 'lsilogic' });
    for (const a of c.attachments) {
      if (a.kind !== 'hdd' || !a.medium) continue;
      const medium = media.get(a.medium);
      if (!medium) continue;
      const href = `${m.name}-disk${String(++diskNo.n).padStart(3, '0')}.vmdk`;
      files.push({ name: href, data: fs.existsSync(medium.location) ? fs.readFileSync(medium.location) : Buffer.alloc(0) });
      disks.push({ diskId: `vmdisk${diskNo.n}`, href, capacity: medium.logicalSize, format: OVF_DISK_FORMAT, controller: id, port: a.port * (c.bus === 'IDE' ? 2 : 1) + a.device });
    }
  }
  const nics: OvfNic[] = m.nics.flatMap((n, slot) => {
    if (!n.enabled || slot >= (m.chipset === 'ich9' ? 36 : 8)) return [];
    const keep = nomacs === 'none' || (nomacs === 'butnat' && n.attachment === 'nat');
    const field = NETWORK_FIELD[n.attachment];
    const network = field ? n[field] : '';
    return [{ slot, type: n.type, mode: MODE_OF[n.attachment], network, mac: keep ? n.mac : '', cable: n.cable }];
  });
  return {
    sys: {
      name: m.name,
      ostype: m.ostype,
      description: m.description,
      cpus: m.cpus,
      memoryMB: m.memory,
      chipset: m.chipset,
      nics,
      controllers,
      disks,
      extradata: { ...m.extradata },
      hasVBoxMachine: true,
    },
    files,
  };
}

export function exportAppliance(args: string[], ctx: Ctx): void {
  const v = ctx.config.version;
  const vms: string[] = [];
  let output: string | undefined;
  let nomacs: 'none' | 'all' | 'butnat' = 'none';
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '-o' || a === '--output') output = args[++i];
    else if (a.startsWith('--output=')) output = a.slice(9);
    else if (a === '--options') {
      const o = (args[++i] ?? '').toLowerCase().split(',');
      if (o.includes('nomacs')) nomacs = 'all';
      else if (o.includes('nomacsbutnat')) nomacs = 'butnat';
    } else if (['--legacy09', '--ovf09', '--ovf10', '--ovf20', '--opc10', '--manifest', '--iso'].includes(a)) continue;
    else if (a.startsWith('-')) throw syntaxError(v, `Unknown option: ${a}`);
    else vms.push(a);
  }
  if (vms.length === 0) throw syntaxError(v, 'At least one machine must be specified with the export command.');
  if (!output) throw syntaxError(v, 'Missing --output argument with export command.');
  const machines = vms.map((name) => findMachine(ctx, name, site(F, 1784, 'FindMachine(Bstr(*itM).raw(), m.asOutParam())')));
  const diskNo = { n: 0 };
  const parts = machines.map((m) => systemOf(ctx, m, nomacs, diskNo));
  const abs = path.resolve(output);
  const ovfName = `${path.basename(abs, path.extname(abs))}.ovf`;
  const ovf = Buffer.from(buildOvf({ systems: parts.map((p) => p.sys) }));
  const disks = parts.flatMap((p) => p.files);
  const mf = Buffer.from(formatManifest([{ name: ovfName, sha256: sha256(ovf) }, ...disks.map((d) => ({ name: d.name, sha256: sha256(d.data) }))]));
  const mfName = `${path.basename(ovfName, '.ovf')}.mf`;
  const mtime = Math.floor(ctx.now() / 1000);
  const entries: TarEntry[] = [{ name: ovfName, data: ovf, mtime }, ...disks.map((d) => ({ ...d, mtime })), { name: mfName, data: mf, mtime }];
  if (path.extname(abs).toLowerCase() === '.ova') fs.writeFileSync(abs, writeTar(entries));
  else for (const e of entries) fs.writeFileSync(path.join(path.dirname(abs), e.name), e.data);
  ctx.err(PROGRESS_OK);
  ctx.out(`Successfully exported ${machines.length} machine(s).\n`);
}

interface VsysOptions {
  vmname?: string;
  ostype?: string;
  cpus?: number;
  memory?: number;
  basefolder?: string;
  description?: string;
}

/** The package's files, from an OVA archive or from the directory of an .ovf. */
function readPackage(file: string): Map<string, Buffer> {
  if (path.extname(file).toLowerCase() === '.ova') return new Map(readTar(fs.readFileSync(file)).map((e) => [e.name, e.data]));
  const dir = path.dirname(file);
  return new Map(fs.readdirSync(dir).map((n) => [n, fs.readFileSync(path.join(dir, n))]));
}

function readFailure(text: string): VBoxError {
  return new VBoxError(
    `0%...VBOX_E_FILE_ERROR\n${msgError('Appliance read failed')}${formatErrorInfo({ text, code: 'VBOX_E_FILE_ERROR', component: 'ApplianceWrap', iface: 'IAppliance' })}${formatContext(
      site(F, 510, 'RTEXITCODE handleImportAppliance(HandlerArg*)'),
    )}`,
    1,
  );
}

export function importAppliance(args: string[], ctx: Ctx): void {
  const v = ctx.config.version;
  let file: string | undefined;
  let dryRun = false;
  const options: string[] = [];
  const perVsys = new Map<number, VsysOptions>();
  let vsys = -1;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const next = () => {
      const val = args[++i];
      if (val === undefined) throw syntaxError(v, `${a}: RTGetOpt: Command line option needs argument.`);
      return val;
    };
    const forVsys = (): VsysOptions => {
      if (vsys < 0) throw syntaxError(v, `Option "${a}" requires preceding --vsys argument.`);
      const o = perVsys.get(vsys) ?? {};
      perVsys.set(vsys, o);
      return o;
    };
    if (a === '-n' || a === '--dry-run' || a === '-dry-run') dryRun = true;
    else if (a === '--vsys' || a === '-vsys') vsys = Number(next());
    else if (a === '--vmname' || a === '-vmname') forVsys().vmname = next();
    else if (a === '--ostype') forVsys().ostype = next();
    else if (a === '--cpus') forVsys().cpus = Number(next());
    else if (a === '--memory') forVsys().memory = Number(next());
    else if (a === '--basefolder') forVsys().basefolder = next();
    else if (a === '--description') forVsys().description = next();
    else if (a === '--options') options.push(...next().toLowerCase().split(','));
    else if (a.startsWith('-')) throw syntaxError(v, `Unknown option: ${a}`);
    else if (file === undefined) file = a;
    else throw syntaxError(v, `Invalid parameter '${a}'`);
  }
  if (!file) throw syntaxError(v, 'Not enough arguments for "import" command.');
  const abs = path.resolve(file);
  let pkg: Map<string, Buffer>;
  try {
    pkg = readPackage(abs);
  } catch {
    throw readFailure(`Could not open the file '${abs}' (VERR_FILE_NOT_FOUND)`);
  }
  const ovfEntry = [...pkg.entries()].find(([n]) => n.toLowerCase().endsWith('.ovf'));
  if (!ovfEntry) throw readFailure(`Could not find the OVF descriptor in '${abs}'`);
  const mfEntry = [...pkg.entries()].find(([n]) => n.toLowerCase().endsWith('.mf'));
  if (mfEntry) {
    for (const [name, d] of parseManifest(mfEntry[1].toString('utf8'))) {
      const data = pkg.get(name);
      if (data && d.algorithm === 'sha256' && sha256(data) !== d.digest)
        throw readFailure(`The SHA-256 digest of the file '${name}' does not match the one in the manifest`);
    }
  }
  let desc: ReturnType<typeof parseOvf>;
  try {
    desc = parseOvf(ovfEntry[1].toString('utf8'));
  } catch (e) {
    throw readFailure(`Error reading "${abs}": ${(e as Error).message}`);
  }
  for (const i of perVsys.keys())
    if (i >= desc.systems.length)
      throw syntaxError(v, `Invalid index ${i} with -vsys option; the OVF contains only ${desc.systems.length} virtual system(s).`);
  ctx.err(`${PROGRESS_OK}Interpreting ${abs}...\nOK.\n`);
  const allDisks = desc.systems.flatMap((s) => s.disks);
  if (allDisks.length) ctx.out(`Disks:\n${allDisks.map((d) => `  ${d.diskId}\t${d.capacity}\t-1\t${d.format}\t${d.href}\t-1\t-1\t\n`).join('')}\n`);
  const plans = desc.systems.map((sys, i) => planImport(ctx, sys, i, perVsys.get(i) ?? {}));
  if (dryRun) return;
  for (const p of plans) {
    if (fs.existsSync(p.cfgFile)) {
      throw new VBoxError(
        `${PROGRESS_OK.slice(0, 5)}VBOX_E_FILE_ERROR\n${msgError('Appliance import failed')}${formatErrorInfo({
          text: `Machine settings file '${p.cfgFile}' already exists`,
          code: 'VBOX_E_FILE_ERROR',
          component: 'ApplianceWrap',
          iface: 'IAppliance',
        })}${formatContext(site(F, 1436, 'RTEXITCODE handleImportAppliance(HandlerArg*)'))}`,
        1,
      );
    }
  }
  for (const p of plans) createImported(ctx, p, pkg, options);
  ctx.err(PROGRESS_OK);
  ctx.out('Successfully imported the appliance.\n');
}

interface ImportPlan {
  sys: OvfVirtualSystem;
  name: string;
  ostype: string;
  cpus: number;
  memory: number;
  cfgFile: string;
  /** Target path per disk, in sys.disks order. */
  targets: string[];
}

function uniqueVmName(ctx: Ctx, name: string): string {
  if (!lookupMachine(ctx, name)) return name;
  for (let i = 1; ; i++) if (!lookupMachine(ctx, `${name}_${i}`)) return `${name}_${i}`;
}

/** Prints the virtual system description the way `import` lists it and decides the final values. */
function planImport(ctx: Ctx, sys: OvfVirtualSystem, i: number, o: VsysOptions): ImportPlan {
  const out: string[] = [`Virtual system ${i}:`];
  let n = 0;
  const line = (text: string) => out.push(`${String(n++).padStart(2)}: ${text}`);
  const ostype = o.ostype ?? (sys.ostype || 'Other');
  line(o.ostype ? `OS type specified with --ostype: "${ostype}"` : `Suggested OS type: "${ostype}"\n    (change with "--vsys ${i} --ostype <type>"; use "list ostypes" to list all possible values)`);
  const name = o.vmname ?? uniqueVmName(ctx, sys.name);
  line(o.vmname ? `VM name specified with --vmname: "${name}"` : `Suggested VM name "${name}"\n    (change with "--vsys ${i} --vmname <name>")`);
  line(`Suggested VM group "/"\n    (change with "--vsys ${i} --group <group>")`);
  const baseFolder = o.basefolder ? path.resolve(o.basefolder) : defaultMachineFolder(ctx.config.home);
  const cfgFile = composeMachineFilename(defaultMachineFolder(ctx.config.home), name, undefined, o.basefolder);
  line(`Suggested VM settings file name "${cfgFile}"\n    (change with "--vsys ${i} --settingsfile <filename>")`);
  line(o.basefolder ? `VM base folder specified with --basefolder: "${baseFolder}"` : `Suggested VM base folder "${baseFolder}"\n    (change with "--vsys ${i} --basefolder <path>")`);
  const description = o.description ?? sys.description;
  if (description)
    line(o.description ? `Description specified with --description: "${description}"` : `Description "${description}"\n    (change with "--vsys ${i} --description <desc>")`);
  const cpus = o.cpus ?? sys.cpus;
  line(o.cpus ? `No. of CPUs specified with --cpus: ${cpus}` : `Number of CPUs: ${cpus}\n    (change with "--vsys ${i} --cpus <n>")`);
  const memory = o.memory ?? sys.memoryMB;
  line(o.memory ? `Guest memory specified with --memory: ${memory} MB` : `Guest memory: ${memory} MB\n    (change with "--vsys ${i} --memory <MB>")`);
  for (const nic of sys.nics) line(`Network adapter: orig ${nic.mode}, config ${NIC_TYPE_NUMBER[nic.type] ?? 3}, extra slot=${nic.slot};type=${nic.mode}`);
  const ctlIndex = new Map<number, number>();
  for (const c of sys.controllers) {
    ctlIndex.set(c.instanceId, n);
    line(`${c.bus} controller, type ${c.subType}\n    (disable with "--vsys ${i} --unit ${n} --ignore")`);
  }
  const dir = path.dirname(cfgFile);
  const targets = sys.disks.map((d) => {
    const target = path.join(dir, d.href);
    const u = n;
    line(
      `Hard disk image: source image=${d.href}, target path=${target}, controller=${ctlIndex.get(d.controller) ?? 0};channel=${d.port}\n` +
        `    (change target path with "--vsys ${i} --unit ${u} --disk path";\n` +
        `    change controller with "--vsys ${i} --unit ${u} --controller <index>";\n` +
        `    change controller port with "--vsys ${i} --unit ${u} --port <n>";\n` +
        `    disable with "--vsys ${i} --unit ${u} --ignore")`,
    );
    return target;
  });
  ctx.out(`${out.join('\n')}\n`);
  return { sys, name, ostype, cpus, memory, cfgFile, targets };
}

function createImported(ctx: Ctx, p: ImportPlan, pkg: Map<string, Buffer>, options: string[]): void {
  const uuid = ctx.uuid();
  const m = newMachine({ uuid, name: p.name, ostype: p.ostype, groups: [], cfgFile: p.cfgFile, now: ctx.now() });
  m.cpus = p.cpus;
  m.memory = p.memory;
  m.chipset = p.sys.chipset;
  m.description = p.sys.description;
  m.extradata = { ...p.sys.extradata };
  for (const nic of m.nics) nic.enabled = false;
  for (const o of p.sys.nics) {
    const nic = m.nics[o.slot];
    if (!nic) continue;
    const keepMac = options.includes('keepallmacs') || (options.includes('keepnatmacs') && o.mode === 'NAT');
    nic.enabled = true;
    nic.type = (NIC_TYPES as readonly string[]).includes(o.type) ? (o.type as NicType) : '82540EM';
    nic.mac = keepMac && o.mac ? o.mac : generateMac();
    nic.cable = o.cable;
    nic.attachment = ATTACHMENT_OF[o.mode];
    const field = NETWORK_FIELD[nic.attachment];
    if (field) nic[field] = o.network;
  }
  const controllers = new Map<number, StorageController>();
  for (const c of p.sys.controllers) {
    const ctl: StorageController = {
      name: c.bus,
      bus: c.bus,
      type: c.bus === 'IDE' ? 'PIIX4' : c.bus === 'SATA' ? 'IntelAhci' : 'LsiLogic',
      instance: m.storage.filter((x) => x.bus === c.bus).length,
      portCount: c.bus === 'IDE' ? 2 : c.bus === 'SATA' ? 1 : 16,
      bootable: true,
      attachments: [],
    };
    m.storage.push(ctl);
    controllers.set(c.instanceId, ctl);
  }
  p.sys.disks.forEach((d, i) => {
    const target = p.targets[i] as string;
    const medium = registerMedium(ctx.tx, { uuid: ctx.uuid(), location: target, format: 'VMDK', device: 'HardDisk', logicalSize: d.capacity, parent: null });
    fs.writeFileSync(target, pkg.get(d.href) ?? Buffer.alloc(0));
    const ctl = controllers.get(d.controller);
    if (!ctl) return;
    const port = ctl.bus === 'IDE' ? Math.floor(d.port / 2) : d.port;
    const device = ctl.bus === 'IDE' ? d.port % 2 : 0;
    ctl.portCount = Math.max(ctl.portCount, port + 1);
    ctl.attachments.push({ port, device, kind: 'hdd', medium: medium.uuid, nonRotational: false, discard: false, hotPluggable: false, tempEject: false });
  });
  writeSettingsFile(p.cfgFile, uuid, p.name);
  ctx.tx.save(m);
  ctx.tx.registry.machines.push(uuid);
  ctx.tx.touchRegistry();
}
