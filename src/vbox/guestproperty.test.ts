import { describe, expect, it } from 'vitest';
import { parseFixture } from './fixtures.testkit';
import { parseGuestProperties } from './guestproperty';

describe('parseGuestProperties', () => {
  it('old format with nanosecond timestamps (6.0)', () => {
    expect(parseFixture('guestproperty-enumerate-patterns-6.0-old-format-terraform-provider-virtualbox-79-FRAGMENT.txt', parseGuestProperties)).toEqual([
      { name: '/VirtualBox/GuestInfo/Net/0/MAC', value: '0800274A2EA2', timestampMs: 1571759720723, flags: [] },
      { name: '/VirtualBox/GuestInfo/Net/0/V4/IP', value: '10.0.3.15', timestampMs: 1571759720723, flags: [] },
      { name: '/VirtualBox/GuestInfo/Net/0/V4/Netmask', value: '255.255.255.0', timestampMs: 1571759720723, flags: [] },
    ]);
  });

  it('7.x format, guest with 6.1 Guest Additions', () => {
    const props = parseFixture('guestproperty-enumerate-7.2.4-new-format-freebsd-guest-6.1.50-GA-virtualbox-403-FRAGMENT.txt', parseGuestProperties);
    expect(props).toHaveLength(7);
    expect(props[0]).toEqual({ name: '/VirtualBox/GuestAdd/GuiOnFocus', value: '0', timestampMs: Date.UTC(2025, 10, 20, 10, 54, 47, 167), flags: ['TRANSIENT', 'RDONLYGUEST'] });
    expect(props.find((p) => p.name === '/VirtualBox/GuestAdd/Version')?.value).toBe('6.1.50');
    expect(props.find((p) => p.name === '/VirtualBox/GuestInfo/Net/0/V4/Broadcast')).toEqual({ name: '/VirtualBox/GuestInfo/Net/0/V4/Broadcast', value: '10.0.2.255', timestampMs: Date.UTC(2025, 10, 20, 10, 49, 21, 999), flags: [] });
  });

  it('7.x format, guest with 7.2 Guest Additions', () => {
    const props = parseFixture('guestproperty-enumerate-7.2.4-new-format-freebsd-guest-7.2.4-GA-virtualbox-403-comment-FRAGMENT.txt', parseGuestProperties);
    expect(props.map((p) => [p.name, p.value])).toEqual([
      ['/VirtualBox/GuestAdd/GuiOnFocus', '0'],
      ['/VirtualBox/GuestAdd/HostVerLastChecked', '7.2.4'],
      ['/VirtualBox/GuestAdd/Revision', '170995'],
      ['/VirtualBox/GuestAdd/Version', '7.2.4'],
      ['/VirtualBox/GuestAdd/VersionExt', '7.2.4'],
      ['/VirtualBox/GuestInfo/Net/0/MAC', '08002767E8B0'],
      ['/VirtualBox/GuestInfo/Net/0/Name', 'vtnet0'],
    ]);
  });

  it('guestproperty wait: old format without a timestamp, after a blank line', () => {
    expect(parseFixture('guestproperty-wait-5x-fragment.txt', parseGuestProperties)).toEqual([{ name: 'test_key', value: 'test_val1', flags: [] }]);
  });

  it('keeps commas inside values and quotes inside 7.x values', () => {
    expect(parseGuestProperties('Name: /a, value: x, y, timestamp: 1000000, flags: TRANSIENT, RDONLYGUEST\n')).toEqual([
      { name: '/a', value: 'x, y', timestampMs: 1, flags: ['TRANSIENT', 'RDONLYGUEST'] },
    ]);
    expect(parseGuestProperties("/b    = 'it's'    @ 2025-01-01T00:00:00.000Z\n")).toEqual([{ name: '/b', value: "it's", timestampMs: Date.UTC(2025, 0, 1), flags: [] }]);
  });
});
