import { describe, expect, it } from 'vitest';
import { FrameReader } from './frames';

const OUTPUT = [
  'T 1234.56',
  'D dcod-br5001: 100 1 0 0 0 0 0 0 200 2 0 0 0 0 0 0',
  'D dcod-vx5001:300 3 0 1 0 0 0 0 400 4 0 0 0 0 0 0',
  'P 7: nic2@if8: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue master dcod-br5001 state UP mode DEFAULT group default qlen 1000\\    link/ether 02:aa:bb:cc:dd:ee brd ff:ff:ff:ff:ff:ff link-netns x',
  'P 9: dcod-vx5001: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue master dcod-br5001 state UNKNOWN mode DEFAULT group default qlen 1000',
  'V 0b1c2d3e-0000-4000-8000-000000000001',
  '<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
  '<Statistics>',
  '<Counter c="1000" unit="bytes" name="/Public/NetAdapter/0/BytesReceived"/>',
  '<Counter c="2000" unit="bytes" name="/Public/NetAdapter/0/BytesTransmitted"/>',
  '</Statistics>',
  '',
  'V 0b1c2d3e-0000-4000-8000-000000000002',
  '.',
  'T 1235.57',
  '.',
  '',
].join('\n');

describe('FrameReader', () => {
  it('reads frames whatever the chunking, VMs that said nothing left out', () => {
    for (const size of [1, 7, 64, OUTPUT.length]) {
      const reader = new FrameReader();
      const frames = [];
      for (let i = 0; i < OUTPUT.length; i += size) frames.push(...reader.push(Buffer.from(OUTPUT.slice(i, i + size))));
      expect(frames).toHaveLength(2);
      const [a, b] = frames;
      expect(a!.uptime).toBe(1234.56);
      expect(a!.devices.get('dcod-vx5001')).toMatchObject({ rxBytes: 300, rxDropped: 1, txBytes: 400, txPackets: 4 });
      expect(a!.ports).toEqual(new Map([['dcod-br5001', ['nic2', 'dcod-vx5001']]]));
      expect(a!.vms).toEqual(new Map([['0b1c2d3e-0000-4000-8000-000000000001', new Map([[1, { rxBytes: 1000, txBytes: 2000 }]])]]));
      expect(b).toEqual({ uptime: 1235.57, devices: new Map(), ports: new Map(), vms: new Map() });
    }
  });

  it('a frame without uptime (no /proc/uptime) has none', () => {
    expect(new FrameReader().push('T -\n.\n')[0]).not.toHaveProperty('uptime');
  });

  it('keeps a UTF-8 character split across chunks whole and ignores stray lines', () => {
    const reader = new FrameReader();
    const text = Buffer.from('sh: ünexpected\nT 5\n.\n');
    expect([...reader.push(text.subarray(0, 5)), ...reader.push(text.subarray(5))]).toEqual([{ uptime: 5, devices: new Map(), ports: new Map(), vms: new Map() }]);
  });
});
