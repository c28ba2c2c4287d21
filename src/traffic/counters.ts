/**
 * The counters DCoD samples, as one shape for every source: a network device in a proxy (all of them,
 * from /proc/net/dev) and a VM's NIC on a host (bytes only: VirtualBox's `/Public/NetAdapter/` counters
 * have no packets, drops or errors). A counter a source doesn't have is absent, never 0.
 */
export const COUNTER_NAMES = ['rxBytes', 'txBytes', 'rxPackets', 'txPackets', 'rxDropped', 'txDropped', 'rxErrors', 'txErrors'] as const;
export type CounterName = (typeof COUNTER_NAMES)[number];
export type Counters = Partial<Record<CounterName, number>>;

/**
 * One line of /proc/net/dev — `  dcod-vx5001: 1234 10 0 0 0 0 0 0 5678 12 0 1 0 0 0 0` (the name may run
 * into the first number when it is long: `dcod-br5001:12345 …`): receive bytes, packets, errs, drop, fifo,
 * frame, compressed, multicast, then transmit bytes, packets, errs, drop, fifo, colls, carrier, compressed.
 */
export function parseNetDevLine(line: string): { readonly device: string; readonly counters: Required<Counters> } | undefined {
  const colon = line.indexOf(':');
  if (colon < 0) return undefined;
  const device = line.slice(0, colon).trim();
  const n = line.slice(colon + 1).trim().split(/\s+/).map(Number);
  if (!device || n.length < 16 || n.some((x) => !Number.isFinite(x))) return undefined;
  return {
    device,
    counters: { rxBytes: n[0]!, rxPackets: n[1]!, rxErrors: n[2]!, rxDropped: n[3]!, txBytes: n[8]!, txPackets: n[9]!, txErrors: n[10]!, txDropped: n[11]! },
  };
}
