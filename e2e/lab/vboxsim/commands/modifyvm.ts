// `VBoxManage modifyvm <vm> <settings…>` (VBoxManageModifyVM.cpp). Changes go to the session
// machine and are saved only when every setter succeeded: a failing setter ends the loop and the
// session is unlocked without SaveSettings, so nothing of that call is kept. "Invalid NIC number"
// is only printed; the call still saves and exits 0, as VirtualBox's does.
import { comFailure, msgError, msgWarning, syntaxError, VBoxError, type ErrorContext } from '../errors';
import { getopt, type OptDef } from '../getopt';
import { findOsType } from '../ostypes';
import { generateMac, maxNics, NIC_TYPES, PROMISC_POLICIES, type Attachment, type Machine, type Nic, type NicType } from '../machine';
import { findMachine, lockForWrite, requireMutable, site, type Ctx } from './context';
import { parseGroups } from './createvm';

const F = 'VBoxManageModifyVM.cpp';
const FIND = site(F, 632, 'FindMachine(Bstr(a->argv[0]).raw(), machine.asOutParam())');
const LOCK = site(F, 640, 'LockMachine(a->session, LockType_Write)');

const opt = (name: string, id: string, kind: OptDef['kind'], indexed = false): OptDef => ({ name, id, kind, indexed });
const OPTS: OptDef[] = [
  opt('--name', 'name', 'string'),
  opt('--groups', 'groups', 'string'),
  opt('--description', 'description', 'string'),
  opt('--os-type', 'ostype', 'string'),
  opt('--ostype', 'ostype', 'string'),
  opt('--memory', 'memory', 'uint32'),
  opt('--vram', 'vram', 'uint32'),
  opt('--firmware', 'firmware', 'string'),
  opt('--acpi', 'acpi', 'onoff'),
  opt('--ioapic', 'ioapic', 'onoff'),
  opt('--pae', 'pae', 'onoff'),
  opt('--long-mode', 'longmode', 'onoff'),
  opt('--longmode', 'longmode', 'onoff'),
  opt('--apic', 'apic', 'onoff'),
  opt('--x2apic', 'x2apic', 'onoff'),
  opt('--paravirt-provider', 'paravirt', 'string'),
  opt('--paravirtprovider', 'paravirt', 'string'),
  opt('--large-pages', 'largepages', 'onoff'),
  opt('--largepages', 'largepages', 'onoff'),
  opt('--nested-hw-virt', 'nestedhwvirt', 'onoff'),
  opt('--cpus', 'cpus', 'uint32'),
  opt('--rtc-use-utc', 'rtcuseutc', 'onoff'),
  opt('--rtcuseutc', 'rtcuseutc', 'onoff'),
  opt('--graphicscontroller', 'graphics', 'string'),
  opt('--boot', 'boot', 'string', true),
  opt('--nic-type', 'nictype', 'string', true),
  opt('--nictype', 'nictype', 'string', true),
  opt('--nic-speed', 'nicspeed', 'uint32', true),
  opt('--nicspeed', 'nicspeed', 'uint32', true),
  opt('--nic', 'nic', 'string', true),
  opt('--cable-connected', 'cable', 'onoff', true),
  opt('--cableconnected', 'cable', 'onoff', true),
  opt('--bridge-adapter', 'bridge', 'string', true),
  opt('--bridgeadapter', 'bridge', 'string', true),
  opt('--host-only-adapter', 'hostonly', 'string', true),
  opt('--hostonlyadapter', 'hostonly', 'string', true),
  opt('--intnet', 'intnet', 'string', true),
  opt('--nic-generic-drv', 'generic', 'string', true),
  opt('--nicgenericdrv', 'generic', 'string', true),
  opt('--nat-network', 'natnetwork', 'string', true),
  opt('--natnetwork', 'natnetwork', 'string', true),
  opt('--nic-promisc', 'promisc', 'string', true),
  opt('--nicpromisc', 'promisc', 'string', true),
  opt('--mac-address', 'mac', 'string', true),
  opt('--macaddress', 'mac', 'string', true),
  opt('--audio-enabled', 'audioenabled', 'onoff'),
  opt('--audioenabled', 'audioenabled', 'onoff'),
  opt('--hpet', 'hpet', 'onoff'),
  opt('--mouse', 'mouse', 'string'),
  opt('--keyboard', 'keyboard', 'string'),
  opt('--usb-ohci', 'usbohci', 'onoff'),
  opt('--usbohci', 'usbohci', 'onoff'),
  opt('--usb', 'usbohci', 'onoff'),
  opt('--usb-ehci', 'usbehci', 'onoff'),
  opt('--usbehci', 'usbehci', 'onoff'),
  opt('--usb-xhci', 'usbxhci', 'onoff'),
  opt('--usbxhci', 'usbxhci', 'onoff'),
  opt('--audio-driver', 'audiodriver', 'string'),
  opt('--audiodriver', 'audiodriver', 'string'),
  opt('--chipset', 'chipset', 'string'),
];

/** on|off settings stored as they are given. */
const ON_OFF_SETTINGS: Record<string, 'acpi' | 'ioapic' | 'pae' | 'longMode' | 'apic' | 'x2apic' | 'largePages' | 'nestedHwVirt' | 'hpet' | 'rtcUseUtc' | 'audioEnabled' | 'usbOhci' | 'usbEhci' | 'usbXhci'> = {
  acpi: 'acpi', ioapic: 'ioapic', pae: 'pae', longmode: 'longMode', apic: 'apic', x2apic: 'x2apic', largepages: 'largePages',
  nestedhwvirt: 'nestedHwVirt', hpet: 'hpet', rtcuseutc: 'rtcUseUtc', audioenabled: 'audioEnabled', usbohci: 'usbOhci',
  usbehci: 'usbEhci', usbxhci: 'usbXhci',
};

const ATTACH: Record<string, Attachment> = {
  none: 'null', null: 'null', nat: 'nat', bridged: 'bridged', hostif: 'bridged', intnet: 'intnet', hostonly: 'hostonly',
  generic: 'generic', natnetwork: 'natnetwork',
};

function sessionError(text: string, code: 'NS_ERROR_INVALID_ARG' | 'NS_ERROR_FAILURE', at: ErrorContext, component = 'SessionMachine', iface = 'IMachine'): VBoxError {
  return comFailure({ text, code, component, iface, callee: 'nsISupports' }, at);
}

/** INetworkAdapter::MACAddress setter validation (NetworkAdapterImpl.cpp). */
export function validMac(mac: string): boolean {
  if (!/^[0-9A-Fa-f]{12}$/.test(mac)) return false;
  // The second digit must be even: unicast addresses only.
  return parseInt(mac[1] as string, 16) % 2 === 0;
}

/** INetworkAdapter::AttachmentType setter: a mode change fills the default network names. */
export function setAttachment(nic: Nic, a: Attachment): void {
  if (nic.attachment === a) return;
  if (!nic.intnet) nic.intnet = 'intnet';
  if (!nic.natNetwork) nic.natNetwork = 'NatNetwork';
  nic.attachment = a;
}

/** INetworkAdapter::Enabled setter: enabling an adapter without a MAC address generates one. */
export function enableNic(nic: Nic): void {
  nic.enabled = true;
  if (!nic.mac) nic.mac = generateMac();
}

export function modifyvm(args: string[], ctx: Ctx): void {
  if (args.length < 2) throw syntaxError(ctx.config.version, 'Not enough parameters');
  const orig = findMachine(ctx, args[0] as string, FIND);
  lockForWrite(orig, LOCK);
  const m: Machine = structuredClone(orig);
  let stderr = '';
  const nicOf = (index: number): Nic | undefined => {
    if (index >= 1 && index <= maxNics(m)) return m.nics[index - 1] as Nic;
    stderr += msgError(`Invalid NIC number ${index}`);
    return undefined;
  };
  try {
    for (const r of getopt(args.slice(1), OPTS)) {
      if (r.type === 'error') throw syntaxError(ctx.config.version, r.message, 1);
      if (r.type === 'arg') throw syntaxError(ctx.config.version, `Invalid parameter '${r.value}'`, 1);
      const v = r.value;
      const s = String(v);
      const i = r.index;
      const flag = ON_OFF_SETTINGS[r.id];
      if (flag) {
        m[flag] = v as boolean;
        continue;
      }
      switch (r.id) {
        case 'name':
          m.name = s;
          break;
        case 'groups':
          m.groups = parseGroups(s);
          break;
        case 'description':
          m.description = s;
          break;
        case 'ostype':
          requireMutable(m, site(F, 681, 'COMSETTER(OSTypeId)(Bstr(ValueUnion.psz).raw())'));
          m.ostype = findOsType(s)?.id ?? s;
          break;
        case 'memory': {
          const at = site(F, 724, 'COMSETTER(MemorySize)(ValueUnion.u32)');
          if ((v as number) < 4 || (v as number) > 2097152)
            throw sessionError(`Invalid RAM size: ${v} MB (must be in range [4, 2097152] MB)`, 'NS_ERROR_INVALID_ARG', at);
          requireMutable(m, at);
          m.memory = v as number;
          break;
        }
        case 'cpus': {
          const at = site(F, 946, 'COMSETTER(CPUCount)(ValueUnion.u32)');
          if ((v as number) < 1 || (v as number) > 64)
            throw sessionError(`Invalid virtual CPU count: ${v} (must be in range [1, 64])`, 'NS_ERROR_INVALID_ARG', at);
          requireMutable(m, at);
          m.cpus = v as number;
          break;
        }
        case 'vram':
          m.vram = v as number;
          break;
        case 'firmware': {
          const f = s.toLowerCase();
          if (f === 'bios') m.firmware = 'BIOS';
          else if (f === 'efi' || f === 'efi64') m.firmware = 'EFI';
          else throw new VBoxError(msgError(`Invalid --firmware argument '${s}'`), 1);
          break;
        }
        case 'mouse': {
          const v2 = { ps2: 'ps2mouse', usb: 'usbmouse', usbtablet: 'usbtablet', usbmultitouch: 'usbmultitouch', usbmtscreenpluspad: 'usbmultitouch' }[s.toLowerCase()];
          if (!v2) throw new VBoxError(msgError(`Invalid type '${s}' specfied for pointing device`), 1);
          m.pointing = v2;
          // A USB pointing device needs a USB controller: VBoxManage enables OHCI with it.
          if (v2 !== 'ps2mouse' && !m.usbOhci && !m.usbEhci && !m.usbXhci) m.usbOhci = true;
          break;
        }
        case 'keyboard': {
          const v2 = { ps2: 'ps2kbd', usb: 'usbkbd' }[s.toLowerCase()];
          if (!v2) throw new VBoxError(msgError(`Invalid type '${s}' specfied for keyboard`), 1);
          m.keyboard = v2;
          if (v2 === 'usbkbd' && !m.usbOhci && !m.usbEhci && !m.usbXhci) m.usbOhci = true;
          break;
        }
        case 'audiodriver': {
          const d = s.toLowerCase();
          if (!['none', 'default', 'null', 'oss', 'alsa', 'pulse'].includes(d))
            throw new VBoxError(msgError(`Invalid --audio-driver argument '${s}'`), 1);
          m.audioDriver = d === 'none' ? 'null' : d;
          break;
        }
        case 'paravirt': {
          const p = s.toLowerCase();
          if (!['none', 'default', 'legacy', 'minimal', 'hyperv', 'kvm'].includes(p))
            throw new VBoxError(msgError(`Invalid --paravirtprovider argument '${s}'`), 1);
          m.paravirt = p;
          break;
        }
        case 'graphics': {
          const g = s.toLowerCase();
          if (!['none', 'vboxvga', 'vmsvga', 'vboxsvga'].includes(g))
            throw new VBoxError(msgError(`Invalid --graphicscontroller argument '${s}'`), 1);
          m.graphics = g === 'none' ? 'null' : g;
          break;
        }
        case 'boot': {
          const b = s.toLowerCase();
          if (!['none', 'floppy', 'dvd', 'disk', 'net'].includes(b)) throw new VBoxError(msgError(`Invalid boot device '${s}'`), 2);
          if (i >= 1 && i <= 4) m.boot[i - 1] = b;
          break;
        }
        case 'chipset': {
          const c = s.toLowerCase();
          if (c !== 'piix3' && c !== 'ich9')
            throw new VBoxError(msgError(`Invalid --chipset argument '${s}' (valid: piix3,ich9)`), 1);
          if (c === 'ich9' && !m.ioapic) {
            stderr += '*** I/O APIC must be enabled for ICH9, enabling. ***\n';
            m.ioapic = true;
          }
          m.chipset = c;
          break;
        }
        case 'nic': {
          const nic = nicOf(i);
          if (!nic) break;
          const a = ATTACH[s.toLowerCase()];
          if (!a) throw new VBoxError(msgError(`Invalid type '${s}' specfied for NIC ${i}`), 1);
          if (s.toLowerCase() === 'none') nic.enabled = false;
          else {
            enableNic(nic);
            setAttachment(nic, a);
          }
          break;
        }
        case 'nictype': {
          const nic = nicOf(i);
          if (!nic) break;
          const t = NIC_TYPES.find((x) => x.toLowerCase() === s.toLowerCase());
          if (!t) throw new VBoxError(msgError(`Invalid NIC type '${s}' specified for NIC ${i}`), 1);
          nic.type = t as NicType;
          break;
        }
        case 'nicspeed': {
          const nic = nicOf(i);
          if (nic) nic.speed = v as number;
          break;
        }
        case 'cable': {
          const nic = nicOf(i);
          if (nic) nic.cable = v as boolean;
          break;
        }
        case 'bridge': {
          const nic = nicOf(i);
          if (!nic) break;
          nic.bridgeAdapter = s.toLowerCase() === 'none' ? '' : s;
          if (nic.bridgeAdapter && !ctx.host.bridgedInterfaces().some((x) => x.name === s))
            stderr += msgWarning(`Interface "${s}" doesn't seem to exist`);
          break;
        }
        case 'hostonly': {
          const nic = nicOf(i);
          if (!nic) break;
          nic.hostOnlyAdapter = s.toLowerCase() === 'none' ? '' : s;
          if (nic.hostOnlyAdapter) stderr += msgWarning(`Interface "${s}" doesn't seem to exist`);
          break;
        }
        case 'intnet': {
          const nic = nicOf(i);
          if (!nic) break;
          const name = s.toLowerCase() === 'none' ? '' : s;
          if (!name && nic.attachment === 'intnet')
            throw sessionError(
              'Empty or null internal network name is not valid',
              'NS_ERROR_FAILURE',
              site(F, 1933, 'COMSETTER(InternalNetwork)(Bstr().raw())'),
              'NetworkAdapterWrap',
              'INetworkAdapter',
            );
          nic.intnet = name;
          break;
        }
        case 'generic': {
          const nic = nicOf(i);
          if (nic) nic.genericDriver = s;
          break;
        }
        case 'natnetwork': {
          const nic = nicOf(i);
          if (nic) nic.natNetwork = s;
          break;
        }
        case 'promisc': {
          const nic = nicOf(i);
          if (!nic) break;
          const policy = PROMISC_POLICIES.find((p) => p === s.toLowerCase());
          if (!policy) throw new VBoxError(msgError(`Unknown promiscuous mode policy '${s}'`), 1);
          nic.promisc = policy;
          break;
        }
        case 'mac': {
          const nic = nicOf(i);
          if (!nic) break;
          if (s.toLowerCase() === 'auto') {
            nic.mac = nic.enabled ? generateMac() : '';
            break;
          }
          if (!validMac(s))
            throw sessionError(
              'Invalid MAC address format',
              'NS_ERROR_INVALID_ARG',
              site(F, 2276, 'COMSETTER(MACAddress)(Bstr(ValueUnion.psz).raw())'),
              'NetworkAdapterWrap',
              'INetworkAdapter',
            );
          nic.mac = s.toUpperCase();
          break;
        }
      }
    }
  } catch (e) {
    if (e instanceof VBoxError) throw new VBoxError(stderr + e.stderr, e.exitCode);
    throw e;
  }
  ctx.err(stderr);
  ctx.tx.save(m);
}
