import type { ErrorInfo } from '../errors';

/**
 * One proxy as observed from inside (one exec over SSH). Its state is reduced to *facts*: one line per
 * thing DCoD configures (`vxlan dcod-vx5001 id 5001 local 169.254.7.12 …`, `flood dcod-vx5001
 * 169.254.80.3`, `dhcp 5001 running`). The planner derives the same lines from the document, so the
 * difference between the two sets is exactly the drift, and it is what the plan shows.
 */
export interface ObservedProxy {
  readonly host: string;
  readonly reachable: boolean;
  /** Why it could not be read. */
  readonly error?: ErrorInfo;
  /** The VTEP address found on its underlay NIC. */
  readonly vtep?: string;
  /** Sorted and unique. Only what DCoD owns (`dcod-` devices and namespaces) is described. */
  readonly facts: readonly string[];
  readonly observedAt: string;
}
