import { describe, expect, it } from 'vitest';
import { VNI_MAX } from '../vbox/commands';
import { bridgeName, colonMac, derivedMac, dhcpVeth, isProxyVmName, linkLocalOf, plainMac, proxyVmName, routerVeth, uplinkVeth, vxlanName } from './names';

describe('overlay names', () => {
  it("tells a proxy VM by its name, whichever datacenter's it is", () => {
    expect(isProxyVmName(proxyVmName('lab1'))).toBe(true);
    expect(['dcod-proxy', 'web', 'my-dcod-proxy-x'].filter(isProxyVmName)).toEqual([]);
  });

  it('keeps every device name within Linux 15 characters, whatever the VNI or router name', () => {
    for (const name of [bridgeName(VNI_MAX), vxlanName(VNI_MAX), dhcpVeth(VNI_MAX), routerVeth('a'.repeat(63), VNI_MAX), uplinkVeth('a'.repeat(63))]) {
      expect(name.length).toBeLessThanOrEqual(15);
      expect(name.startsWith('dcod-')).toBe(true);
    }
  });

  it('derives stable, locally administered unicast MACs', () => {
    const mac = derivedMac('proxy', 'dc', 'h1', 2);
    expect(mac).toMatch(/^02[0-9A-F]{10}$/);
    expect(derivedMac('proxy', 'dc', 'h1', 2)).toBe(mac);
    expect(derivedMac('proxy', 'dc', 'h1', 3)).not.toBe(mac);
  });

  it('converts MAC spellings', () => {
    expect(colonMac('080027A1B2C3')).toBe('08:00:27:a1:b2:c3');
    expect(plainMac('08:00:27:a1:b2:c3')).toBe('080027A1B2C3');
  });

  it('gives the modified EUI-64 link-local address Linux derives from a MAC (RFC 4291)', () => {
    expect(linkLocalOf('525400123456')).toBe('fe80::5054:ff:fe12:3456');
    expect(linkLocalOf('02:11:22:33:44:55')).toBe('fe80::11:22ff:fe33:4455');
  });
});
