import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeApplianceConfig, DMI_OEM_VBOX_REV, DMI_SYSTEM_PRODUCT, encodeApplianceConfig, guestDmi, isProxyAppliance, writeGuestDmi } from './dmi';

const CONFIG = { hostname: 'proxy-1', sshAuthorizedKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBDFiX1rvk5mQhV+Gr4qlfkQ0Pmr9fBcvDDSzAqgVh3s'], underlay: { address: '10.0.0.5/24', gateway: '10.0.0.1' } };

describe('DMI strings seen by the guest', () => {
  it('defaults to what a VirtualBox BIOS reports, overridden by extra data', () => {
    const plain = guestDmi({ uuid: 'u-1', extradata: {} }, '7.0.6', 155176);
    expect(plain.id.product_name).toBe('VirtualBox');
    expect(plain.oemStrings).toEqual(['vboxVer_7.0.6', 'vboxRev_155176']);
    const proxy = { uuid: 'u-2', extradata: { [DMI_SYSTEM_PRODUCT]: 'dcod-proxy', [DMI_OEM_VBOX_REV]: encodeApplianceConfig(CONFIG) } };
    expect(isProxyAppliance(proxy.extradata)).toBe(true);
    const dmi = guestDmi(proxy, '7.0.6', 155176);
    expect(dmi.id.product_name).toBe('dcod-proxy');
    expect(decodeApplianceConfig(dmi.oemStrings)).toEqual(CONFIG);
  });

  it('writes them where a guest reads them', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vboxsim-dmi-'));
    try {
      writeGuestDmi(dir, guestDmi({ uuid: 'u', extradata: { [DMI_SYSTEM_PRODUCT]: 'dcod-proxy' } }, '7.0.6', 1));
      expect(fs.readFileSync(path.join(dir, 'id', 'product_name'), 'utf8')).toBe('dcod-proxy\n');
      expect(fs.readFileSync(path.join(dir, 'oem-strings'), 'utf8')).toBe('vboxVer_7.0.6\nvboxRev_1\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ignores a missing or malformed configuration string', () => {
    expect(decodeApplianceConfig(['vboxVer_7.0.6'])).toBeUndefined();
    expect(decodeApplianceConfig(['dcod-config;k=ssh-ed25519 AAAA'])).toBeUndefined();
    expect(decodeApplianceConfig(['dcod-config;h=bad_name'])).toBeUndefined();
  });
});
