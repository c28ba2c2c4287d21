// `VBoxManage createvm`: compose the settings file name, create the machine with its defaults,
// optionally register it (VBoxManageMisc.cpp handleCreateVM).
import fs from 'node:fs';
import path from 'node:path';
import { comFailure, syntaxError } from '../errors';
import { getopt, type OptDef } from '../getopt';
import { newMachine } from '../machine';
import { site, type Ctx } from './context';

const OPTS: OptDef[] = [
  { name: '--name', id: 'name', kind: 'string' },
  { name: '-name', id: 'name', kind: 'string' },
  { name: '--groups', id: 'groups', kind: 'string' },
  { name: '--basefolder', id: 'basefolder', kind: 'string' },
  { name: '-basefolder', id: 'basefolder', kind: 'string' },
  { name: '--ostype', id: 'ostype', kind: 'string' },
  { name: '-ostype', id: 'ostype', kind: 'string' },
  { name: '--uuid', id: 'uuid', kind: 'uuid' },
  { name: '-uuid', id: 'uuid', kind: 'uuid' },
  { name: '--register', id: 'register', kind: 'none' },
  { name: '-register', id: 'register', kind: 'none' },
  { name: '--default', id: 'default', kind: 'none' },
  { name: '-default', id: 'default', kind: 'none' },
];

const CREATE_MACHINE = site(
  'VBoxManageMisc.cpp',
  397,
  'CreateMachine(bstrSettingsFile.raw(), bstrName.raw(), ComSafeArrayAsInParam(groups), bstrOsTypeId.raw(), createFlags.raw(), bstrCipher.raw(), bstrPasswordId.raw(), Bstr(strPassword).raw(), machine.asOutParam())',
);
const REGISTER_MACHINE = site('VBoxManageMisc.cpp', 417, 'RegisterMachine(machine)');

/** parseGroups(): comma separated, each must start with '/'. */
export function parseGroups(s: string): string[] {
  return s.split(',').filter((g) => g !== '');
}

/** IVirtualBox::ComposeMachineFilename: <base>/<group>/<name>/<name>.vbox. */
export function composeMachineFilename(defaultFolder: string, name: string, group: string | undefined, baseFolder: string | undefined): string {
  const base = baseFolder ? path.resolve(baseFolder) : path.join(defaultFolder, group && group !== '/' ? group : '');
  return path.join(base, name, `${name}.vbox`);
}

export function defaultMachineFolder(home: string): string {
  return path.join(home, 'VirtualBox VMs');
}

/** A minimal settings file so the machine folder looks like VirtualBox's on disk. */
export function writeSettingsFile(cfgFile: string, uuid: string, name: string): void {
  fs.mkdirSync(path.dirname(cfgFile), { recursive: true });
  fs.writeFileSync(
    cfgFile,
    `<?xml version="1.0"?>\n<VirtualBox xmlns="http://www.virtualbox.org/" version="1.19-linux">\n  <Machine uuid="{${uuid}}" name="${name}"/>\n</VirtualBox>\n`,
  );
}

export function createvm(args: string[], ctx: Ctx): void {
  let name: string | undefined;
  let groups: string[] = [];
  let baseFolder: string | undefined;
  let ostype: string | undefined;
  let uuid: string | undefined;
  let register = false;
  for (const r of getopt(args, OPTS)) {
    if (r.type === 'error') throw syntaxError(ctx.config.version, r.message);
    if (r.type === 'arg') throw syntaxError(ctx.config.version, `Invalid parameter '${r.value}'`);
    const v = r.value as string;
    if (r.id === 'name') name = v;
    if (r.id === 'groups') groups = parseGroups(v);
    if (r.id === 'basefolder') baseFolder = v;
    if (r.id === 'ostype') ostype = v;
    if (r.id === 'uuid') uuid = v;
    if (r.id === 'register') register = true;
  }
  if (!name) throw syntaxError(ctx.config.version, 'Parameter --name is required');
  const cfgFile = composeMachineFilename(defaultMachineFolder(ctx.config.home), name, groups[0], baseFolder);
  if (fs.existsSync(cfgFile)) {
    throw comFailure(
      {
        text: `Machine settings file '${cfgFile}' already exists`,
        code: 'VBOX_E_FILE_ERROR',
        component: 'MachineWrap',
        iface: 'IMachine',
        callee: 'nsISupports',
      },
      CREATE_MACHINE,
    );
  }
  const id = uuid ?? ctx.uuid();
  const m = newMachine({ uuid: id, name, ostype, groups, cfgFile, now: ctx.now() });
  writeSettingsFile(cfgFile, id, name);
  // Saved even when not registered: `registervm` can pick the settings up later.
  ctx.tx.save(m);
  if (register) {
    if (ctx.tx.registry.machines.includes(id)) {
      throw comFailure(
        {
          text: `Registered machine with UUID {${id}} ('${ctx.tx.machine(id).cfgFile}') already exists`,
          code: 'VBOX_E_OBJECT_IN_USE',
          component: 'VirtualBoxWrap',
          iface: 'IVirtualBox',
          callee: 'nsISupports',
        },
        REGISTER_MACHINE,
      );
    }
    ctx.tx.registry.machines.push(id);
    ctx.tx.touchRegistry();
  }
  ctx.out(`Virtual machine '${name}' is created${register ? ' and registered' : ''}.\nUUID: ${id}\nSettings file: '${cfgFile}'\n`);
}
