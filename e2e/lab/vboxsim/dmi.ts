// SMBIOS (DMI) strings a VM's BIOS presents to its guest, set through VirtualBox extra data
// (VBoxInternal/Devices/pcbios/0/Config/Dmi*). The simulator uses two of them the way a DCoD proxy
// appliance does: the system product marks the VM as the appliance (standing in for "its disk holds
// the appliance image"), and the type-11 OEM string carries the appliance's configuration.
import fs from 'node:fs';
import path from 'node:path';
import { DMI_OEM_VBOX_REV, DMI_PREFIX, DMI_SYSTEM_PRODUCT } from '../../../src/overlay/appliance';
import { PROXY_PRODUCT } from '../../../src/overlay/names';

// The appliance protocol is the app's (one definition for both sides of it).
export { CONFIG_PREFIX, decodeApplianceConfig, DMI_OEM_VBOX_REV, DMI_PREFIX, DMI_SYSTEM_PRODUCT, encodeApplianceConfig, type ApplianceConfig } from '../../../src/overlay/appliance';
export { PROXY_PRODUCT } from '../../../src/overlay/names';

/** VirtualBox's own defaults for the strings a guest sees (DevPcBios/DevFwCommon). */
const DMI_DEFAULTS: Record<string, string> = {
  sys_vendor: 'innotek GmbH',
  product_name: 'VirtualBox',
  product_version: '1.2',
  board_vendor: 'Oracle Corporation',
  board_name: 'VirtualBox',
  bios_vendor: 'innotek GmbH',
  bios_version: 'VirtualBox',
  chassis_vendor: 'Oracle Corporation',
};

/** Extra-data key suffix → /sys/class/dmi/id file. */
const DMI_FILES: Record<string, string> = {
  DmiSystemVendor: 'sys_vendor',
  DmiSystemProduct: 'product_name',
  DmiSystemVersion: 'product_version',
  DmiSystemSerial: 'product_serial',
  DmiSystemUuid: 'product_uuid',
  DmiBoardVendor: 'board_vendor',
  DmiBoardProduct: 'board_name',
  DmiBIOSVendor: 'bios_vendor',
  DmiBIOSVersion: 'bios_version',
  DmiChassisVendor: 'chassis_vendor',
};

export function isProxyAppliance(extradata: Readonly<Record<string, string>>): boolean {
  return extradata[DMI_SYSTEM_PRODUCT] === PROXY_PRODUCT;
}

export interface GuestDmi {
  /** /sys/class/dmi/id/<file> contents (without the trailing newline). */
  readonly id: Record<string, string>;
  /** SMBIOS type 11 OEM strings, in order. VirtualBox puts "vboxVer_…" and "vboxRev_…" there. */
  readonly oemStrings: string[];
}

/** What a guest of this VM reads from its firmware tables. */
export function guestDmi(vm: { uuid: string; extradata: Readonly<Record<string, string>> }, version: string, revision: number): GuestDmi {
  const id: Record<string, string> = { ...DMI_DEFAULTS, product_uuid: vm.uuid, product_serial: '0' };
  for (const [suffix, file] of Object.entries(DMI_FILES)) {
    const v = vm.extradata[`${DMI_PREFIX}${suffix}`];
    if (v !== undefined) id[file] = v;
  }
  const oemVer = vm.extradata[`${DMI_PREFIX}DmiOEMVBoxVer`] ?? `vboxVer_${version}`;
  const oemRev = vm.extradata[DMI_OEM_VBOX_REV] ?? `vboxRev_${revision}`;
  return { id, oemStrings: [oemVer, oemRev] };
}

/**
 * Writes the guest-visible DMI data into `dir`: `id/<file>` like /sys/class/dmi/id, and
 * `oem-strings` (one per line) like `dmidecode -t 11` would list them.
 */
export function writeGuestDmi(dir: string, dmi: GuestDmi): void {
  fs.mkdirSync(path.join(dir, 'id'), { recursive: true });
  for (const [file, value] of Object.entries(dmi.id)) fs.writeFileSync(path.join(dir, 'id', file), `${value}\n`);
  fs.writeFileSync(path.join(dir, 'oem-strings'), dmi.oemStrings.map((s) => `${s}\n`).join(''));
}
