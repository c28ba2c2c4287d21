import type { ErrorInfo } from '../errors';
import { toDcodError } from '../errors';
import type { HostPool } from '../hosts/pool';
import type { ObservedHost } from '../hosts/observed';
import type { Auth, HostOs } from '../inventory/schema';
import type { GuessedOs } from './banner';
import type { Ipv4Range } from './cidr';
import { sweep, readBanner } from './sweep';
import { mapLimit } from '../concurrency/semaphore';
import { isProxyVmName } from '../overlay/names';

export type ProbeResult =
  | {
      readonly status: 'virtualbox';
      readonly version: string;
      readonly cpus?: number;
      readonly memoryMb?: number;
      readonly memoryAvailableMb?: number;
      readonly vmCount: number;
      readonly proxyPresent: boolean;
    }
  | { readonly status: 'no-virtualbox' }
  | { readonly status: 'failed'; readonly error: ErrorInfo };

export interface Candidate {
  readonly address: string;
  readonly port: number;
  readonly banner?: string;
  readonly os: GuessedOs;
  readonly source: 'sweep' | 'mdns' | 'hosts-file';
  /** Present once credentials were tried. */
  readonly probe?: ProbeResult;
}

export interface Credentials {
  readonly user: string;
  readonly auth: Auth;
  readonly os?: HostOs;
}

export interface DiscoverOptions {
  readonly ranges: readonly Ipv4Range[];
  /** Hosts named by the user (an imported hosts file, mDNS answers), with credentials of their own. */
  readonly extra?: readonly { readonly address: string; readonly port: number; readonly source: Candidate['source']; readonly credentials?: Credentials }[];
  /** Credentials to try on every candidate that has none of its own. */
  readonly credentials?: Credentials;
  readonly pool: HostPool;
  readonly onUpdate?: (candidate: Candidate) => void;
  readonly signal?: AbortSignal;
  readonly sweep?: { readonly concurrency?: number; readonly connectTimeoutMs?: number };
}

export function summarizeProbe(observed: ObservedHost): ProbeResult {
  if (observed.error) return { status: 'failed', error: observed.error };
  if (!observed.vbox) return { status: 'no-virtualbox' };
  return {
    status: 'virtualbox',
    version: observed.vbox.version,
    ...(observed.hostInfo?.processorCount === undefined ? {} : { cpus: observed.hostInfo.processorCount }),
    ...(observed.hostInfo?.memorySizeMb === undefined ? {} : { memoryMb: observed.hostInfo.memorySizeMb }),
    ...(observed.hostInfo?.memoryAvailableMb === undefined ? {} : { memoryAvailableMb: observed.hostInfo.memoryAvailableMb }),
    vmCount: observed.vms.length,
    proxyPresent: observed.vms.some((vm) => isProxyVmName(vm.name)),
  };
}

/**
 * Finds SSH servers in the ranges the user gave (and the hosts they named), then, where credentials are
 * known, logs in and asks each one: is VirtualBox there, which version, how much CPU and RAM, is a DCoD
 * proxy present. Every step is reported through `onUpdate` as it happens.
 */
export async function discover(opts: DiscoverOptions): Promise<Candidate[]> {
  const found = new Map<string, { candidate: Candidate; credentials?: Credentials }>();
  const keyOf = (address: string, port: number) => `${address}:${port}`;
  const note = (candidate: Candidate, credentials?: Credentials) => {
    found.set(keyOf(candidate.address, candidate.port), { candidate, ...(credentials ? { credentials } : {}) });
    opts.onUpdate?.(candidate);
  };

  await sweep(opts.ranges, {
    ...opts.sweep,
    ...(opts.signal ? { signal: opts.signal } : {}),
    onHit: (hit) => note({ address: hit.address, port: hit.port, banner: hit.banner, os: hit.os, source: 'sweep' }, opts.credentials),
  });
  await mapLimit(opts.extra ?? [], 32, async (e) => {
    const known = found.get(keyOf(e.address, e.port));
    const banner = known?.candidate.banner ? undefined : await readBanner(e.address, e.port, 2000, 3000);
    note(
      { address: e.address, port: e.port, os: banner?.os ?? known?.candidate.os ?? 'unknown', source: e.source, ...((banner?.banner ?? known?.candidate.banner) ? { banner: banner?.banner ?? known?.candidate.banner } : {}) },
      e.credentials ?? opts.credentials,
    );
  });

  const entries = [...found.values()];
  await mapLimit(entries, 16, async (entry) => {
    if (!entry.credentials || opts.signal?.aborted) return;
    const { candidate, credentials } = entry;
    const os: HostOs = credentials.os ?? (candidate.os === 'windows' ? 'windows' : candidate.os === 'macos' ? 'macos' : 'linux');
    let probe: ProbeResult;
    try {
      const [observed] = await opts.pool.observe([{ name: candidate.address, address: candidate.address, port: candidate.port, os, user: credentials.user, auth: credentials.auth }]);
      probe = summarizeProbe(observed!);
    } catch (err) {
      probe = { status: 'failed', error: toDcodError(err).toInfo() };
    }
    note({ ...candidate, probe }, credentials);
  });
  return [...found.values()].map((f) => f.candidate).sort((a, b) => a.address.localeCompare(b.address, 'en', { numeric: true }) || a.port - b.port);
}
