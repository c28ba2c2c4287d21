import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bareKey, decodeApplianceConfig, DMI_STRING_MAX, encodeApplianceConfig, type ApplianceConfig } from './appliance';
import { largestConfig } from './appliance.testkit';
import { generateOverlayKey } from './keys';

const rsaKey = () => `ssh-rsa ${generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'pkcs1', format: 'der' }).toString('base64')}`;

describe('the appliance configuration string', () => {
  it('reads back what was written, with DHCP or a fixed address', () => {
    const key = bareKey(generateOverlayKey().publicKey);
    for (const underlay of [{ dhcp: true as const }, { address: '198.18.0.250/24' }, { address: '198.18.0.250/24', gateway: '198.18.0.1' }]) {
      const c: ApplianceConfig = { hostname: 'proxy-h1', sshAuthorizedKeys: [key], underlay };
      expect(decodeApplianceConfig(['vboxVer_7.0.6', encodeApplianceConfig(c)])).toEqual(c);
    }
  });

  it('fits the largest realistic configuration into one DMI string, with room to spare', () => {
    const c = largestConfig();
    expect(c.hostname).toHaveLength(63);
    const s = encodeApplianceConfig(c);
    expect(s.length).toBeLessThanOrEqual(DMI_STRING_MAX - 50);
    expect(s).not.toMatch(/[,\n\r]/);
    expect(decodeApplianceConfig([s])).toEqual(c);
  });

  it('refuses a configuration over VirtualBox\'s limit with the reason and what to do', () => {
    expect(() => encodeApplianceConfig({ ...largestConfig(), sshAuthorizedKeys: [rsaKey()] })).toThrow(
      expect.objectContaining({ code: 'BAD_REQUEST', message: expect.stringMatching(/^the proxy's configuration string is \d+ characters, over VirtualBox's DMI limit of 255: use one ed25519 key/) }),
    );
  });

  it('refuses values that could break out of their field', () => {
    const c = largestConfig();
    const bad: ApplianceConfig[] = [
      { ...c, hostname: 'proxy;k=ssh-ed25519 AAAA' },
      { ...c, sshAuthorizedKeys: [`${c.sshAuthorizedKeys[0]};a=10.0.0.1/8`] },
      { ...c, sshAuthorizedKeys: [`${c.sshAuthorizedKeys[0]}\nssh-ed25519 AAAA`] },
      { ...c, sshAuthorizedKeys: [`${c.sshAuthorizedKeys[0]} comment`] },
      { ...c, underlay: { address: '10.0.0.1' } },
      { ...c, underlay: { address: '10.0.0.1/24', gateway: '10.0.0.1,x' } },
    ];
    for (const b of bad) expect(() => encodeApplianceConfig(b), JSON.stringify(b)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
  });

  it('reads nothing from a missing or malformed string', () => {
    expect(decodeApplianceConfig(['vboxVer_7.0.6', 'vboxRev_155176'])).toBeUndefined();
    expect(decodeApplianceConfig(['dcod-config;k=ssh-ed25519 AAAA'])).toBeUndefined();
    expect(decodeApplianceConfig(['dcod-config;h=proxy-h1;a=10.0.0.300/24'])).toBeUndefined();
    expect(decodeApplianceConfig(['dcod-config;h=proxy-h1;g=10.0.0.1'])).toBeUndefined();
  });
});
