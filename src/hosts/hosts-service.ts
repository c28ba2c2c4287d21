import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { formatDiagnostics } from '../diagnostics';
import { parseCidr } from '../discovery/cidr';
import { discover, type Candidate } from '../discovery/discover';
import { browseMdns, sshEndpoints } from '../discovery/mdns';
import { DcodError } from '../errors';
import { parseHostsFile } from '../inventory/hosts-file';
import { loadInventory, removeHost, saveInventory, upsertHost } from '../inventory/inventory';
import { InventoryHost, type Auth } from '../inventory/schema';
import type { Keychain } from '../secrets/keychain';
import type { KnownHosts } from '../ssh/known-hosts';
import type { AuthInput} from './inputs';
import { DiscoverInput, HostInput } from './inputs';
import type { ObservedHost } from './observed';
import type { HostPool } from './pool';

/** A host as the UI shows it: the inventory entry and the last time it was read. */
export interface HostView {
  readonly host: InventoryHost;
  readonly observed?: ObservedHost;
  /** Set when the host presented a key that is not pinned: what the user would accept. */
  readonly pendingHostKey?: string;
}

export interface HostsServiceDeps {
  readonly inventoryPath: string;
  readonly pool: HostPool;
  readonly knownHosts: KnownHosts;
  readonly keychain: Keychain;
  readonly onObserved?: (observed: readonly ObservedHost[]) => void;
  readonly onDiscovery?: (candidate: Candidate) => void;
}

/** The hosts capability behind the service API: inventory edits, refresh, host keys, discovery. */
export class HostsService {
  private readonly observed = new Map<string, ObservedHost>();

  constructor(private readonly deps: HostsServiceDeps) {}

  async list(): Promise<HostView[]> {
    const inv = await loadInventory(this.deps.inventoryPath);
    return inv.hosts.map((host) => {
      const pending = this.deps.knownHosts.refusedFingerprint(host.address, host.port);
      const observed = this.observed.get(host.name);
      return { host, ...(observed ? { observed } : {}), ...(pending ? { pendingHostKey: pending } : {}) };
    });
  }

  /** Adds or updates a host; a password given in clear is sealed in the keychain, never written out. */
  async add(input: HostInput): Promise<InventoryHost> {
    const parsed = HostInput.parse(input);
    const auth = await this.storeAuth(parsed.name, parsed.auth);
    const host = InventoryHost.parse({ ...parsed, auth });
    const inv = await loadInventory(this.deps.inventoryPath);
    await saveInventory(this.deps.inventoryPath, upsertHost(inv, host));
    return host;
  }

  private async storeAuth(name: string, auth: AuthInput): Promise<Auth> {
    if (auth.method !== 'password') return auth;
    if (auth.passwordRef) return { method: 'password', password: auth.passwordRef };
    if (!auth.password) throw new DcodError('BAD_REQUEST', `host ${name}: give a password or a reference to one (env:NAME, file:/path, prompt)`);
    const id = `host:${name}`;
    await this.deps.keychain.set(id, auth.password);
    return { method: 'password', password: `keychain:${id}` };
  }

  async remove(name: string): Promise<void> {
    const inv = await loadInventory(this.deps.inventoryPath);
    await saveInventory(this.deps.inventoryPath, removeHost(inv, name));
    this.observed.delete(name);
    await this.deps.keychain.delete(`host:${name}`);
  }

  /**
   * Imports DCoD's hosts.yaml. Passwords stay in that file: each host refers to it. Names are the
   * addresses' last parts, made unique (`host-20`, `host-21`…), unless the inventory knows the address.
   */
  async importHostsFile(file: string): Promise<InventoryHost[]> {
    const absolute = path.resolve(file);
    const text = await readFile(absolute, 'utf8').catch((err: NodeJS.ErrnoException) => {
      throw new DcodError('FILE_ERROR', `can't read ${absolute}: ${err.code ?? err.message}`);
    });
    const { entries, diagnostics } = parseHostsFile(text);
    if (diagnostics.length) throw new DcodError('INVALID_DOCUMENT', `the hosts file is invalid:\n${formatDiagnostics(absolute, diagnostics)}`);
    let inv = await loadInventory(this.deps.inventoryPath);
    const added: InventoryHost[] = [];
    for (const e of entries) {
      const existing = inv.hosts.find((h) => h.address === e.address && h.port === e.port);
      const name = existing?.name ?? uniqueName(`host-${e.address.replace(/[^A-Za-z0-9]+/g, '-')}`, new Set(inv.hosts.map((h) => h.name)));
      const host = InventoryHost.parse({
        name,
        address: e.address,
        port: e.port,
        os: e.os,
        user: e.user,
        auth: e.hasPassword ? { method: 'password', password: `hosts-file:${absolute}#${e.address}` } : { method: 'agent' },
      });
      inv = upsertHost(inv, host);
      added.push(host);
    }
    await saveInventory(this.deps.inventoryPath, inv);
    return added;
  }

  /** Reads the named hosts (all by default) in parallel, one exec each. */
  async refresh(names?: readonly string[]): Promise<ObservedHost[]> {
    const inv = await loadInventory(this.deps.inventoryPath);
    const unknown = names?.filter((n) => !inv.hosts.some((h) => h.name === n)) ?? [];
    if (unknown.length) throw new DcodError('NOT_FOUND', `no host named ${unknown.map((n) => `"${n}"`).join(', ')} in the inventory`);
    const hosts = names ? inv.hosts.filter((h) => names.includes(h.name)) : inv.hosts;
    const observed = await this.deps.pool.observe(hosts);
    for (const o of observed) this.observed.set(o.host, o);
    this.deps.onObserved?.(observed);
    return observed;
  }

  /** The user accepts the host key a host presented, by the fingerprint they were shown. */
  async acceptHostKey(name: string, fingerprint: string): Promise<void> {
    const inv = await loadInventory(this.deps.inventoryPath);
    const host = inv.hosts.find((h) => h.name === name);
    if (!host) throw new DcodError('NOT_FOUND', `no host named "${name}" in the inventory`);
    await this.deps.knownHosts.accept(host.address, host.port, fingerprint);
  }

  async discover(input: DiscoverInput): Promise<Candidate[]> {
    const q = DiscoverInput.parse(input);
    const ranges = q.cidrs.map((c) => parseCidr(c, { force: q.force ?? false }));
    if (!ranges.length && !q.hostsFile && !q.mdns) {
      throw new DcodError('BAD_REQUEST', 'say where to look: one or more --cidr ranges, a hosts file, or --mdns (listens for hosts that announce themselves); DCoD never sweeps a network you did not name');
    }
    const credentials = q.user && q.auth ? { user: q.user, auth: await this.storeAuth(`discover-${q.user}`, q.auth) } : undefined;
    const [fromFile, fromMdns] = await Promise.all([q.hostsFile ? this.hostsFileCandidates(q.hostsFile) : [], q.mdns ? mdnsCandidates() : []]);
    // The hosts file first: its entries carry their own credentials, which an mDNS answer must not hide.
    const extra = [...fromFile, ...fromMdns.filter((m) => !fromFile.some((f) => f.address === m.address && f.port === m.port))];
    return discover({
      ranges,
      extra,
      ...(credentials ? { credentials } : {}),
      pool: this.deps.pool,
      ...(this.deps.onDiscovery ? { onUpdate: this.deps.onDiscovery } : {}),
    });
  }

  private async hostsFileCandidates(file: string) {
    const absolute = path.resolve(file);
    const { entries, diagnostics } = parseHostsFile(await readFile(absolute, 'utf8'));
    if (diagnostics.length) throw new DcodError('INVALID_DOCUMENT', `the hosts file is invalid:\n${formatDiagnostics(absolute, diagnostics)}`);
    return entries.map((e) => ({
      address: e.address,
      port: e.port,
      source: 'hosts-file' as const,
      credentials: { user: e.user, os: e.os, auth: e.hasPassword ? ({ method: 'password', password: `hosts-file:${absolute}#${e.address}` } as const) : ({ method: 'agent' } as const) },
    }));
  }
}

/** Hosts that answered an mDNS browse, as discovery candidates on their SSH port. */
async function mdnsCandidates() {
  return sshEndpoints(await browseMdns()).map((e) => ({ ...e, source: 'mdns' as const }));
}

function uniqueName(base: string, taken: ReadonlySet<string>): string {
  let name = base.slice(0, 63);
  for (let i = 2; taken.has(name); i++) name = `${base.slice(0, 58)}-${i}`;
  return name;
}
