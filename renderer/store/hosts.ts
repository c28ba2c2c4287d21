/**
 * The hosts slice: the inventory as the core reports it (HostView), which hosts are being read, and the
 * candidates a discovery sweep streams in. It holds what the core said and nothing secret: passwords live
 * only in the form that sends them. The reducers are pure and exported for tests; the operations below
 * them make the calls and feed the reducers.
 */
import { create } from 'zustand';
import type { ApiClient, Candidate, ErrorInfo, HostView, ObservedHost } from '../../src/api/contract';
import { toDcodError } from '../../src/errors';
import type { DiscoverInput } from '../hosts/discover-form';
import type { HostInput } from '../hosts/host-form';

export type DiscoveryState =
  | { readonly phase: 'idle' }
  /** `probing`: credentials were given, so every candidate will be logged into. */
  | { readonly phase: 'running'; readonly ranges: readonly string[]; readonly probing: boolean }
  | { readonly phase: 'done'; readonly ranges: readonly string[] }
  | { readonly phase: 'failed'; readonly ranges: readonly string[]; readonly error: ErrorInfo };

export interface HostsState {
  /** False until the first `hosts.list` answered, so "no hosts" isn't claimed before it is known. */
  readonly hostsLoaded: boolean;
  readonly hostViews: readonly HostView[];
  /** Names being read now; a name appears once per refresh in flight (refreshes can overlap). */
  readonly hostsRefreshing: readonly string[];
  /** What failed in the panel's own operations (refresh, remove, accept key), until dismissed. */
  readonly hostsError: ErrorInfo | null;
  readonly candidates: readonly Candidate[];
  readonly discovery: DiscoveryState;
  setViews(views: readonly HostView[]): void;
  observe(observed: readonly ObservedHost[]): void;
  addCandidates(candidates: readonly Candidate[]): void;
  setError(error: ErrorInfo | null): void;
}

// ---------------------------------------------------------------------------------------------- reducers

export const candidateKey = (c: Pick<Candidate, 'address' | 'port'>) => `${c.address}:${c.port}`;

const byAddress = (a: Candidate, b: Candidate) => a.address.localeCompare(b.address, 'en', { numeric: true }) || a.port - b.port;

/**
 * Streamed updates of the same address:port replace the earlier row, field by field, so a late update
 * without a probe (a hosts-file entry read after the sweep) can't erase the probe already shown.
 */
export function mergeCandidates(list: readonly Candidate[], updates: readonly Candidate[]): Candidate[] {
  const rows = new Map(list.map((c) => [candidateKey(c), c]));
  for (const u of updates) {
    const old = rows.get(candidateKey(u));
    rows.set(candidateKey(u), old ? { ...old, ...u } : u);
  }
  return [...rows.values()].sort(byAddress);
}

/** Each observation replaces its host's; hosts not in the inventory (a discovery probe) are ignored. */
export function applyObserved(views: readonly HostView[], observed: readonly ObservedHost[]): HostView[] {
  const byHost = new Map(observed.map((o) => [o.host, o]));
  return views.map((v) => {
    const o = byHost.get(v.host.name);
    return o ? { ...v, observed: o } : v;
  });
}

export function startRefresh(refreshing: readonly string[], names: readonly string[]): string[] {
  return [...refreshing, ...names];
}

/** Removes one occurrence per name, so an overlapping refresh of the same host still shows. */
export function endRefresh(refreshing: readonly string[], names: readonly string[]): string[] {
  const left = [...refreshing];
  for (const n of names) {
    const i = left.indexOf(n);
    if (i >= 0) left.splice(i, 1);
  }
  return left;
}

/** Every inventory host's `address:port`, to mark discovered rows that are already added. */
export function inventoryAddresses(views: readonly HostView[]): Set<string> {
  return new Set(views.map((v) => `${v.host.address}:${v.host.port}`));
}

// ------------------------------------------------------------------------------------------------- store

export const useHosts = create<HostsState>()((set) => ({
  hostsLoaded: false,
  hostViews: [],
  hostsRefreshing: [],
  hostsError: null,
  candidates: [],
  discovery: { phase: 'idle' },
  setViews: (views) => set({ hostViews: views, hostsLoaded: true }),
  observe: (observed) => set((s) => ({ hostViews: applyObserved(s.hostViews, observed) })),
  addCandidates: (candidates) => set((s) => ({ candidates: mergeCandidates(s.candidates, candidates) })),
  setError: (error) => set({ hostsError: error }),
}));

// -------------------------------------------------------------------------------------------- operations

const info = (err: unknown): ErrorInfo => toDcodError(err).toInfo();

export async function loadHosts(client: ApiClient): Promise<void> {
  try {
    useHosts.getState().setViews(await client.call('hosts.list'));
  } catch (err) {
    useHosts.getState().setError(info(err));
  }
}

/**
 * Subscribes the slice to the core's events and loads the inventory; returns the unsubscribe.
 * Observations from any refresh (this window's or another's) land on the hosts they are about.
 */
export function bindHosts(client: ApiClient): () => void {
  const offObserved = client.on('hosts.observed', (observed) => useHosts.getState().observe(observed));
  const offDiscovery = client.on('discovery.update', (candidate) => useHosts.getState().addCandidates([candidate]));
  void loadHosts(client);
  return () => {
    offObserved();
    offDiscovery();
  };
}

/** Reads the named hosts (all by default), then lists again: a refused host key shows only in the list. */
export async function refreshHosts(client: ApiClient, names?: readonly string[]): Promise<void> {
  const targets = names ?? useHosts.getState().hostViews.map((v) => v.host.name);
  useHosts.setState((s) => ({ hostsRefreshing: startRefresh(s.hostsRefreshing, targets), hostsError: null }));
  try {
    useHosts.getState().observe(await client.call('hosts.refresh', names ? { names: [...names] } : {}));
    await loadHosts(client);
  } catch (err) {
    useHosts.getState().setError(info(err));
  } finally {
    useHosts.setState((s) => ({ hostsRefreshing: endRefresh(s.hostsRefreshing, targets) }));
  }
}

/** Saves a host, then reads it. Throws what the core answered, for the form to show next to its fields. */
export async function addHost(client: ApiClient, input: HostInput): Promise<void> {
  const host = await client.call('hosts.add', input);
  await loadHosts(client);
  void refreshHosts(client, [host.name]);
}

export async function removeHost(client: ApiClient, name: string): Promise<void> {
  try {
    await client.call('hosts.remove', { name });
    await loadHosts(client);
  } catch (err) {
    useHosts.getState().setError(info(err));
  }
}

/** Pins the key the user was shown, by its fingerprint, then reads the host with it. */
export async function acceptHostKey(client: ApiClient, name: string, fingerprint: string): Promise<void> {
  try {
    await client.call('hosts.acceptKey', { name, fingerprint });
    await refreshHosts(client, [name]);
  } catch (err) {
    useHosts.getState().setError(info(err));
  }
}

/** Sweeps; rows arrive through `discovery.update` while it runs, and the final answer settles them. */
export async function runDiscovery(client: ApiClient, input: DiscoverInput): Promise<void> {
  // What is being searched, as the dialog says it: the ranges, and mDNS when listening for announcements.
  const ranges = [...(input.cidrs ?? []), ...(input.mdns ? ['mDNS'] : [])];
  useHosts.setState({ candidates: [], discovery: { phase: 'running', ranges, probing: Boolean(input.user && input.auth) } });
  try {
    const found = await client.call('discovery.run', input);
    useHosts.setState((s) => ({ candidates: mergeCandidates(s.candidates, found), discovery: { phase: 'done', ranges } }));
  } catch (err) {
    useHosts.setState({ discovery: { phase: 'failed', ranges, error: info(err) } });
  }
}
