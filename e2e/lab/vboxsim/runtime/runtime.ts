// What it means for a simulated VM to run. The real implementation (namespaces.ts) builds a network
// namespace per VM; unit tests use `inertRuntime`, which records the state change and touches nothing.
import type { Machine, RunningVm } from '../machine';

export interface NicCounters {
  slot: number;
  rxBytes: number;
  txBytes: number;
  rxPackets: number;
  txPackets: number;
}

/** A start that fails the way a VM process fails to power on (message from the progress object). */
export class PowerUpError extends Error {
  constructor(
    readonly text: string,
    readonly code: 'NS_ERROR_FAILURE' | 'VBOX_E_HOST_ERROR',
    readonly component: string,
    readonly iface: string,
  ) {
    super(text);
  }
}

export interface VmRuntime {
  /** Powers the VM up; throws PowerUpError when the configuration can't be realised. */
  start(m: Machine): RunningVm;
  /** Powers the VM off: everything started for it is gone afterwards. */
  stop(m: Machine): void;
  pause(m: Machine): void;
  resume(m: Machine): void;
  /** Re-applies NIC `slot`'s attachment and cable state to the running VM. */
  applyNic(m: Machine, slot: number): void;
  counters(m: Machine): NicCounters[];
  /** Whether the VM's process still exists (a lab restart or a crash can take it away). */
  alive(m: Machine): boolean;
}

export function netnsName(prefix: string, uuid: string): string {
  return `${prefix}${uuid.replace(/-/g, '').slice(0, 8)}`;
}

/** For unit tests: running is only a state; no namespaces, devices or processes. */
export function inertRuntime(prefix: string): VmRuntime {
  return {
    start: (m) => ({ netns: netnsName(prefix, m.uuid), links: [], pids: [], startedAt: 0 }),
    stop: () => undefined,
    pause: () => undefined,
    resume: () => undefined,
    applyNic: () => undefined,
    alive: () => true,
    counters: (m) =>
      m.nics.flatMap((n, i) => (n.enabled ? [{ slot: i + 1, rxBytes: 0, txBytes: 0, rxPackets: 0, txPackets: 0 }] : [])),
  };
}
