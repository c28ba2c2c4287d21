import { describe, expect, it } from 'vitest';
import { dropTransient, formatEnumerate, hostInfoProps, matchesPatterns, nanoTimestamp, publishGuestNet } from './guestprops';

const T = nanoTimestamp(Date.UTC(2025, 10, 20, 10, 49, 21, 999));

describe('guest properties', () => {
  it('numbers interfaces like the Additions and drops entries of vanished ones', () => {
    const before = publishGuestNet({}, [
      { mac: '080027000001', ip: '10.0.0.5', netmask: '255.255.255.0', broadcast: '10.0.0.255', up: true },
      { mac: '080027000002', ip: '10.1.0.5', netmask: '255.255.0.0', broadcast: '10.1.255.255', up: true },
    ], T);
    expect(before['/VirtualBox/GuestInfo/Net/1/V4/IP']?.value).toBe('10.1.0.5');
    const after = publishGuestNet({ ...before, '/Other': { value: 'x', timestamp: T, flags: '' } }, [
      { mac: '080027000002', ip: '10.1.0.5', netmask: '255.255.0.0', broadcast: '10.1.255.255', up: true },
    ], nanoTimestamp(0));
    expect(Object.keys(after).filter((k) => k.includes('/Net/1/'))).toEqual([]);
    expect(after['/VirtualBox/GuestInfo/Net/0/MAC']?.value).toBe('080027000002');
    expect(after['/VirtualBox/GuestInfo/Net/Count']?.value).toBe('1');
    expect(after['/Other']?.value).toBe('x');
  });

  it('enumerates in the 7.0 table layout and the old one', () => {
    const props = { ...hostInfoProps('7.0.6', 155176, T), '/VirtualBox/GuestInfo/Net/0/V4/IP': { value: '10.0.2.15', timestamp: T, flags: '' } };
    expect(formatEnumerate(props, { oldFormat: false, timestamps: true, flags: true, patterns: ['*/Net/*'] })).toBe(
      "/VirtualBox/GuestInfo/Net/0/V4/IP = '10.0.2.15' @ 2025-11-20T10:49:21.999Z\n",
    );
    expect(formatEnumerate(props, { oldFormat: true, timestamps: true, flags: true, patterns: ['/VirtualBox/HostInfo/VBoxRev'] })).toBe(
      `Name: /VirtualBox/HostInfo/VBoxRev, value: 155176, timestamp: ${T}, flags: TRANSIENT, RDONLYGUEST\n`,
    );
    expect(formatEnumerate({}, { oldFormat: false, timestamps: true, flags: true, patterns: [] })).toBe('No properties found.\n');
    expect(Object.keys(dropTransient(props))).toEqual(['/VirtualBox/GuestInfo/Net/0/V4/IP']);
  });

  it('matches VirtualBox-style patterns', () => {
    expect(matchesPatterns('/VirtualBox/GuestInfo/Net/0/V4/IP', ['/VirtualBox/GuestInfo/Net/*'])).toBe(true);
    expect(matchesPatterns('/VirtualBox/GuestAdd/Version', ['*/Net/*|*/Version'])).toBe(true);
    expect(matchesPatterns('/a.b', ['/a?b'])).toBe(true);
    expect(matchesPatterns('/axb', ['/a.b'])).toBe(false);
  });
});
