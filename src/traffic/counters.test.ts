import { describe, expect, it } from 'vitest';
import { parseNetDevLine } from './counters';

describe('parseNetDevLine', () => {
  it('reads receive and transmit bytes, packets, errors and drops', () => {
    expect(parseNetDevLine('  dcod-vx5001: 1234 10 2 3 0 0 0 0 5678 12 4 1 0 0 0 0')).toEqual({
      device: 'dcod-vx5001',
      counters: { rxBytes: 1234, rxPackets: 10, rxErrors: 2, rxDropped: 3, txBytes: 5678, txPackets: 12, txErrors: 4, txDropped: 1 },
    });
  });

  it('takes a name that runs into the first number, and big counters', () => {
    expect(parseNetDevLine('dcod-br16777215:98765432101234 7 0 0 0 0 0 0 1 2 0 0 0 0 0 0')?.counters.rxBytes).toBe(98765432101234);
  });

  it('skips the two header lines and anything cut short', () => {
    expect(parseNetDevLine('Inter-|   Receive                                                |  Transmit')).toBeUndefined();
    expect(parseNetDevLine(' face |bytes    packets errs drop fifo frame compressed multicast|bytes')).toBeUndefined();
    expect(parseNetDevLine('eth0: 1 2 3')).toBeUndefined();
  });
});
