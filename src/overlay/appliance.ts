/**
 * How DCoD configures the proxy appliance before it has any network: through SMBIOS (DMI) strings the VM's
 * firmware presents, set as VirtualBox extra data. A guest reads them without Guest Additions
 * (/sys/class/dmi/id, `dmidecode -t 11`), and nothing secret travels there — only the public key the
 * appliance's sshd will accept. The appliance image checks the system product and decodes its config
 * from the second OEM string (the lab's VirtualBox simulator implements the same protocol).
 */
import { DcodError } from '../errors';

export const DMI_PREFIX = 'VBoxInternal/Devices/pcbios/0/Config/';
export const DMI_SYSTEM_PRODUCT = `${DMI_PREFIX}DmiSystemProduct`;
export const DMI_OEM_VBOX_REV = `${DMI_PREFIX}DmiOEMVBoxRev`;
export const CONFIG_PREFIX = 'dcod-config:';

/**
 * VirtualBox reads each DMI string into a 256-byte buffer (DevFwCommon's DMI_READ_CFG_STR); a longer one
 * fails the query and the guest gets the default tables — the appliance would boot unconfigured.
 */
export const DMI_STRING_MAX = 255;

export interface ApplianceConfig {
  hostname: string;
  sshAuthorizedKeys: string[];
  underlay: { dhcp: true } | { address: string; gateway?: string };
}

export function encodeApplianceConfig(c: ApplianceConfig): string {
  return CONFIG_PREFIX + Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');
}

/** Decodes the `dcod-config:<base64url JSON>` OEM string; undefined when absent or malformed. */
export function decodeApplianceConfig(oemStrings: readonly string[]): ApplianceConfig | undefined {
  const s = oemStrings.find((x) => x.startsWith(CONFIG_PREFIX));
  if (!s) return undefined;
  try {
    const o = JSON.parse(Buffer.from(s.slice(CONFIG_PREFIX.length), 'base64url').toString('utf8')) as Partial<ApplianceConfig>;
    if (typeof o.hostname !== 'string' || !Array.isArray(o.sshAuthorizedKeys) || typeof o.underlay !== 'object' || !o.underlay) return undefined;
    return o as ApplianceConfig;
  } catch {
    return undefined;
  }
}

/** The OEM string for a proxy, checked against VirtualBox's limit (an ed25519 key fits; RSA doesn't). */
export function applianceConfigString(c: ApplianceConfig): string {
  const s = encodeApplianceConfig(c);
  if (s.length > DMI_STRING_MAX) {
    throw new DcodError('BAD_REQUEST', `the proxy's configuration string is ${s.length} characters, over VirtualBox's DMI limit of ${DMI_STRING_MAX}`, {
      context: [`configuring the proxy ${c.hostname}`],
    });
  }
  return s;
}

/** `ssh-ed25519 AAAA… comment` → `ssh-ed25519 AAAA…`: the comment would only cost DMI space. */
export function bareKey(publicKey: string): string {
  return publicKey.trim().split(/\s+/).slice(0, 2).join(' ');
}

/** A hostname label from a host's name: letters, digits and `-`, at most 63. */
export function proxyHostname(host: string): string {
  return `proxy-${host}`.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+$/, '').slice(0, 63);
}
