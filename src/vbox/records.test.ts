import { describe, expect, it } from 'vitest';
import { parseFixture } from './fixtures.testkit';
import { mergedValues, parseRecords } from './records';

describe('parseRecords', () => {
  it('starts a record when the first key comes round again, not at blank lines', () => {
    const records = parseRecords('Name: a\nGUID: 1\n\nState: Enabled\n\nName: b\nGUID: 2\n');
    expect(records.map((r) => Object.fromEntries(r.values))).toEqual([
      { Name: 'a', GUID: '1', State: 'Enabled' },
      { Name: 'b', GUID: '2' },
    ]);
  });

  it('splits at the first colon, trims, and hangs indented lines under their parent', () => {
    const [r] = parseRecords('Name:   en1: Wi-Fi\nIPV6Address:\nGlobal:\n    min:  1\n        deep: 2\n    max: 3\nlist header\n    127.0.0.1=2\n');
    expect(r!.fields).toEqual([
      { key: 'Name', value: 'en1: Wi-Fi', children: [] },
      { key: 'IPV6Address', value: '', children: [] },
      { key: 'Global', value: '', children: [{ key: 'min', value: '1', children: [{ key: 'deep', value: '2', children: [] }] }, { key: 'max', value: '3', children: [] }] },
      { key: 'list header', value: '', children: [{ key: '127.0.0.1=2', value: '', children: [] }] },
    ]);
  });

  it('reads the human showvminfo (7.0.6), which DCoD does not use but the reader handles', () => {
    const values = parseFixture('showvminfo-human-7.0.6-linux-poweroff-bridged-sata-ide.txt', mergedValues);
    expect(values.get('Name')).toBe('rh9-node1');
    expect(values.get('UUID')).toBe('253cc2ba-935b-482c-83d3-14bc4ed72c22');
    expect(values.get('State')).toBe('powered off (since 2023-01-22T06:34:24.000000000)');
    expect(values.get('NIC 1')).toBe("MAC: 080027B9DDCA, Attachment: Bridged Interface 'eth0', Cable connected: on, Trace: off (file: none), Type: 82540EM, Reported speed: 0 Mbps, Boot priority: 0, Promisc Policy: deny, Bandwidth group: none");
    const [record] = parseFixture('showvminfo-human-7.0.6-linux-poweroff-bridged-sata-ide.txt', parseRecords);
    const sata = record!.fields.find((f) => f.key === '#0');
    expect(sata?.children).toEqual([
      { key: 'Port 0, Unit 0', value: 'UUID: 4973af85-5e20-43c2-b630-73084cc5191f', children: [{ key: 'Location', value: '"/home/alma2/VBoxHome/vm/rh9-node1.vdi"', children: [] }] },
    ]);
  });
});
