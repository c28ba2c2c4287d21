import type { ErrorInfo } from '../errors';

/**
 * One proxy as observed from inside (one exec over SSH). Its state is reduced to *facts*: one line per
 * thing DCoD configures (`vxlan dcod-vx5001 id 5001 local 198.18.0.120 …`, `flood dcod-vx5001
 * 198.18.0.121`, `dhcp 5001 running`). The planner derives the same lines from the document, so the
 * difference between the two sets is exactly the drift, and it is what the plan shows.
 */
export interface ObservedProxy {
  readonly host: string;
  readonly reachable: boolean;
  /** Why it could not be read. */
  readonly error?: ErrorInfo;
  /** The IPv4 address of its underlay NIC: its VTEP, as its peers must address it. */
  readonly vtep?: string;
  /** Sorted and unique. Only what DCoD owns (`dcod-` devices and namespaces) is described. */
  readonly facts: readonly string[];
  readonly observedAt: string;
}
