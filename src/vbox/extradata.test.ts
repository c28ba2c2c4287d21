import { describe, expect, it } from 'vitest';
import { parseExtraDataEnumerate } from './extradata';
import { parseFixture } from './fixtures.testkit';

describe('parseExtraDataEnumerate', () => {
  it('global extradata on Windows 7.2.20 (CRLF): host-only adapter settings', () => {
    const guid = '{e7db4aea-6fc2-45df-99b8-0138ac2ec7b0}';
    expect(parseFixture('win-7.2.20-getextradata-global-enumerate.txt', parseExtraDataEnumerate)).toEqual([
      { key: `HostOnly/${guid}/IPAddress`, value: '192.168.56.1' },
      { key: `HostOnly/${guid}/IPNetMask`, value: '255.255.255.0' },
      { key: `HostOnly/${guid}/IPV6Address`, value: 'fe80::4c85:fd5f:d4d5:facf' },
      { key: `HostOnly/${guid}/IPV6PrefixLen`, value: '64' },
      { key: `HostOnly/${guid}/Name`, value: 'VirtualBox Host-Only Ethernet Adapter' },
    ]);
  });

  it('keeps ", Value: " in a value', () => {
    expect(parseExtraDataEnumerate('Key: dcod/note, Value: a, Value: b\n')).toEqual([{ key: 'dcod/note', value: 'a, Value: b' }]);
  });
});
