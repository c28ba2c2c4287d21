import { describe, expect, it } from 'vitest';
import { netTrafficByDevice, netTrafficBySlot, parseDebugVmStatistics } from './debugvm';
import { parseFixture } from './fixtures.testkit';

describe('parseDebugVmStatistics', () => {
  it('4.x receive counters per device', () => {
    const stats = parseFixture('debugvm-statistics-xml-receivebytes-4x-FRAGMENT.txt', parseDebugVmStatistics);
    expect(stats).toEqual([
      { kind: 'Counter', name: '/Devices/PCNet0/ReceiveBytes', value: 9423150, unit: 'bytes', attributes: { c: '9423150', unit: 'bytes', name: '/Devices/PCNet0/ReceiveBytes' } },
      { kind: 'Counter', name: '/Devices/PCNet1/ReceiveBytes', value: 256, unit: 'bytes', attributes: { c: '256', unit: 'bytes', name: '/Devices/PCNet1/ReceiveBytes' } },
    ]);
    expect(netTrafficByDevice(stats)).toEqual(new Map([['PCNet0', { bytesReceived: 9423150 }], ['PCNet1', { bytesReceived: 256 }]]));
  });

  it('4.x transmit counters per device', () => {
    const stats = parseFixture('debugvm-statistics-xml-transmitbytes-4x-FRAGMENT.txt', parseDebugVmStatistics);
    expect(netTrafficByDevice(stats)).toEqual(new Map([['PCNet0', { bytesTransmitted: 397229 }], ['PCNet1', { bytesTransmitted: 256 }]]));
    expect(netTrafficBySlot(stats).size).toBe(0);
  });

  it('the /Public/NetAdapter counters, other element kinds and entities', () => {
    const xml = [
      '<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
      '<Statistics>',
      '<Counter c="1000" unit="bytes" name="/Public/NetAdapter/0/BytesReceived"/>',
      '<Counter c="2000" unit="bytes" name="/Public/NetAdapter/0/BytesTransmitted"/>',
      '<Counter c="5" unit="bytes" name="/Public/NetAdapter/3/BytesReceived"/>',
      '<U64 val="42" unit="count" name="/A&amp;B"/>',
      '<Profile cPeriods="3" cTicks="90" cTicksMin="1" cTicksMax="50" unit="ticks-per-call" name="/P"/>',
      '</Statistics>',
    ].join('\n');
    const stats = parseDebugVmStatistics(xml);
    expect(netTrafficBySlot(stats)).toEqual(new Map([[1, { bytesReceived: 1000, bytesTransmitted: 2000 }], [4, { bytesReceived: 5 }]]));
    expect(stats.find((s) => s.kind === 'U64')).toMatchObject({ name: '/A&B', value: 42 });
    expect(stats.find((s) => s.kind === 'Profile')).toMatchObject({ name: '/P', attributes: { cPeriods: '3', cTicks: '90' } });
    expect(stats.find((s) => s.kind === 'Profile')?.value).toBeUndefined();
  });
});
