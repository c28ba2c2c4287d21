/**
 * How DCoD configures the proxy appliance before it has any network: through SMBIOS (DMI) strings the VM's
 * firmware presents, set as VirtualBox extra data. A guest reads them without Guest Additions
 * (/sys/class/dmi/id, `dmidecode -t 11`), and nothing secret travels there — only the public key the
 * appliance's sshd will accept. The appliance image checks the system product and reads its config from
 * the second OEM string (build/proxy-image/files/usr/local/lib/dcod/config.sh; the lab's VirtualBox
 * simulator reads it with `decodeApplianceConfig`).
 *
 * The string is plain text, `dcod-config;h=<hostname>;k=<key>;a=<address/prefix>;g=<gateway>` (`k`
 * repeatable, `a` and `g` absent for DHCP): VirtualBox passes at most 255 characters, which base64 of
 * JSON (a third longer, around a key already in base64) overran with a fixed address. Every value is
 * checked to hold no `;` or line break, so none can smuggle in another field, and no `,` (QEMU's
 * `-smbios` separator, which the image's boot test uses).
 */
import { parseIpv4 } from '../discovery/cidr';
import { DcodError } from '../errors';

export const DMI_PREFIX = 'VBoxInternal/Devices/pcbios/0/Config/';
export const DMI_SYSTEM_PRODUCT = `${DMI_PREFIX}DmiSystemProduct`;
export const DMI_OEM_VBOX_REV = `${DMI_PREFIX}DmiOEMVBoxRev`;
export const CONFIG_PREFIX = 'dcod-config;';

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

const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const KEY = /^(ssh-|ecdsa-|sk-)[A-Za-z0-9@.-]+ [A-Za-z0-9+/]+={0,2}$/;
const isIpv4 = (s: string) => /^[0-9.]+$/.test(s) && parseIpv4(s) !== undefined;
const isCidr = (s: string) => {
  const [address = '', prefix = '', extra] = s.split('/');
  return extra === undefined && /^[0-9]{1,2}$/.test(prefix) && Number(prefix) <= 32 && isIpv4(address);
};

function check(ok: boolean, what: string, value: string, hostname: string): void {
  if (!ok) throw new DcodError('BAD_REQUEST', `${what} ${JSON.stringify(value)} can't go into the proxy's configuration`, { context: [`configuring the proxy ${hostname}`] });
}

/** The OEM string for a proxy; refuses a value it can't carry and a string over VirtualBox's limit. */
export function encodeApplianceConfig(c: ApplianceConfig): string {
  check(HOSTNAME.test(c.hostname), 'the hostname', c.hostname, c.hostname);
  for (const k of c.sshAuthorizedKeys) check(KEY.test(k), 'the SSH key (one `type base64` without a comment)', k, c.hostname);
  const fields = [`h=${c.hostname}`, ...c.sshAuthorizedKeys.map((k) => `k=${k}`)];
  if ('address' in c.underlay) {
    check(isCidr(c.underlay.address), 'the underlay address (IPv4/prefix)', c.underlay.address, c.hostname);
    fields.push(`a=${c.underlay.address}`);
    if (c.underlay.gateway !== undefined) {
      check(isIpv4(c.underlay.gateway), 'the underlay gateway (IPv4)', c.underlay.gateway, c.hostname);
      fields.push(`g=${c.underlay.gateway}`);
    }
  }
  const s = CONFIG_PREFIX + fields.join(';');
  if (s.length > DMI_STRING_MAX) {
    throw new DcodError('BAD_REQUEST', `the proxy's configuration string is ${s.length} characters, over VirtualBox's DMI limit of ${DMI_STRING_MAX}: use one ed25519 key (an RSA key alone is longer) and a shorter hostname`, {
      context: [`configuring the proxy ${c.hostname}`],
    });
  }
  return s;
}

/** Reads the configuration from a guest's OEM strings; undefined when absent or malformed. */
export function decodeApplianceConfig(oemStrings: readonly string[]): ApplianceConfig | undefined {
  const s = oemStrings.find((x) => x.startsWith(CONFIG_PREFIX));
  if (!s) return undefined;
  const fields = s.slice(CONFIG_PREFIX.length).split(';').map((f) => [f.slice(0, f.indexOf('=')), f.slice(f.indexOf('=') + 1)] as const);
  const all = (name: string) => fields.filter(([n]) => n === name).map(([, v]) => v);
  const [hostname] = all('h');
  const [address] = all('a');
  const [gateway] = all('g');
  const keys = all('k');
  if (hostname === undefined || !HOSTNAME.test(hostname) || !keys.every((k) => KEY.test(k))) return undefined;
  if (address !== undefined && !isCidr(address)) return undefined;
  if (gateway !== undefined && (address === undefined || !isIpv4(gateway))) return undefined;
  return { hostname, sshAuthorizedKeys: keys, underlay: address === undefined ? { dhcp: true } : { address, ...(gateway !== undefined ? { gateway } : {}) } };
}

/** `ssh-ed25519 AAAA… comment` → `ssh-ed25519 AAAA…`: the comment would only cost DMI space. */
export function bareKey(publicKey: string): string {
  return publicKey.trim().split(/\s+/).slice(0, 2).join(' ');
}

/** A hostname label from a host's name: letters, digits and `-`, at most 63. */
export function proxyHostname(host: string): string {
  return `proxy-${host}`.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+$/, '').slice(0, 63);
}
