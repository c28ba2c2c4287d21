/**
 * DNS-SD browsing over Multicast DNS (RFC 6762, RFC 6763): asks the LAN which machines offer SSH
 * (`_ssh._tcp`) or announce themselves as workstations (`_workstation._tcp`, what avahi publishes for
 * every Linux box by default), and resolves each answer to a host name, its IPv4 addresses and a port.
 *
 * Queries go out as "legacy unicast" (RFC 6762 §6.7): from an ephemeral port, to the mDNS group. Responders
 * then answer this socket alone, by unicast, echoing the query id, so nothing depends on owning port 5353,
 * which the machine's own mDNS daemon usually holds.
 */
import dgram from 'node:dgram';
import { randomInt } from 'node:crypto';
import os from 'node:os';
import { DcodError, withContext } from '../errors';
import { DnsType, decodeMessage, encodeQuery, nameKey, nameLabels, type DnsQuestion, type DnsRecord } from './dns-packet';

export const MDNS_GROUP = '224.0.0.251';
export const MDNS_PORT = 5353;
export const SSH_SERVICE = '_ssh._tcp';
export const WORKSTATION_SERVICE = '_workstation._tcp';
const DOMAIN = 'local';
const DEFAULT_WAIT_MS = 2000;
/** A second round of queries covers a lost datagram; RFC 6762 §5.2 wants them at least a second apart. */
const RESEND_AFTER_MS = 1000;

export interface MdnsService {
  /** An IPv4 address of the host (a host with several gives one entry per address). */
  readonly address: string;
  /** The port the service record names (a workstation record's port means nothing: avahi says 9). */
  readonly port: number;
  /** The host's mDNS name, e.g. "nas.local". */
  readonly hostName: string;
  /** The service type, e.g. "_ssh._tcp". */
  readonly service: string;
  /** The instance's own name, e.g. "nas" or "nas [52:54:00:12:34:56]". */
  readonly instance: string;
}

export interface BrowseOptions {
  /** Service types to browse; `_ssh._tcp` and `_workstation._tcp` by default. */
  readonly services?: readonly string[];
  /** How long answers are collected. */
  readonly waitMs?: number;
  /** IPv4 addresses of the interfaces to ask on; by default every non-loopback IPv4 interface here. */
  readonly interfaces?: readonly string[];
  readonly signal?: AbortSignal;
}

/**
 * This network namespace's IPv4 interface addresses, loopback left out. Queries go out on each of them and
 * nowhere else: a laptop with Wi-Fi and a cable asks both LANs.
 */
export function lanInterfaceAddresses(): string[] {
  const found = Object.values(os.networkInterfaces()).flatMap((list) => (list ?? []).filter((a) => a.family === 'IPv4' && !a.internal).map((a) => a.address));
  return [...new Set(found)];
}

function serviceName(service: string): string {
  return `${service}.${DOMAIN}`;
}

/** What identifies a record's content, so a goodbye (TTL 0, RFC 6762 §10.1) can cancel the same record. */
function recordKey(r: DnsRecord): string {
  const { ttl: _ttl, cacheFlush: _cacheFlush, name, ...data } = r;
  return `${nameKey(name)}|${JSON.stringify(data)}`;
}

/** The records still standing once goodbyes have removed theirs, in arrival order. */
function liveRecords(records: readonly DnsRecord[]): DnsRecord[] {
  const live = new Map<string, DnsRecord>();
  for (const r of records) {
    const key = recordKey(r);
    live.delete(key);
    if (r.ttl > 0) live.set(key, r);
  }
  return [...live.values()];
}

function byName<T extends DnsRecord['type']>(records: readonly DnsRecord[], type: T): Map<string, Extract<DnsRecord, { type: T }>[]> {
  const map = new Map<string, Extract<DnsRecord, { type: T }>[]>();
  for (const r of records) {
    if (r.type !== type) continue;
    const key = nameKey(r.name);
    map.set(key, [...(map.get(key) ?? []), r as Extract<DnsRecord, { type: T }>]);
  }
  return map;
}

interface Instance {
  readonly service: string;
  readonly name: string;
}

function instances(records: readonly DnsRecord[], services: readonly string[]): Instance[] {
  const ptrs = byName(records, 'PTR');
  const seen = new Set<string>();
  return services.flatMap((service) =>
    (ptrs.get(nameKey(serviceName(service))) ?? []).flatMap((ptr) => {
      const key = `${service}|${nameKey(ptr.target)}`;
      if (seen.has(key)) return [];
      seen.add(key);
      return [{ service, name: ptr.target }];
    }),
  );
}

/**
 * Pure: the services the records describe. An instance counts once its SRV record and an A record of the
 * SRV's target are known; until then it is left out.
 */
export function resolveServices(records: readonly DnsRecord[], services: readonly string[]): MdnsService[] {
  const live = liveRecords(records);
  const srvs = byName(live, 'SRV');
  const as = byName(live, 'A');
  const out: MdnsService[] = [];
  const seen = new Set<string>();
  for (const inst of instances(live, services)) {
    for (const srv of srvs.get(nameKey(inst.name)) ?? []) {
      for (const a of as.get(nameKey(srv.target)) ?? []) {
        const key = `${inst.service}|${nameKey(inst.name)}|${a.address}|${srv.port}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ address: a.address, port: srv.port, hostName: srv.target, service: inst.service, instance: nameLabels(inst.name)[0] ?? inst.name });
      }
    }
  }
  return out.sort((x, y) => x.address.localeCompare(y.address, 'en', { numeric: true }) || x.service.localeCompare(y.service) || x.port - y.port);
}

/**
 * Pure: what to ask next. Responders usually put the SRV and address records beside the PTR answer (RFC
 * 6763 §12), but need not: an instance without its SRV gets an SRV question, an SRV target without an
 * address an A question.
 */
export function followUpQuestions(records: readonly DnsRecord[], services: readonly string[]): DnsQuestion[] {
  const live = liveRecords(records);
  const srvs = byName(live, 'SRV');
  const as = byName(live, 'A');
  const questions = new Map<string, DnsQuestion>();
  for (const inst of instances(live, services)) {
    const srvList = srvs.get(nameKey(inst.name));
    if (!srvList) questions.set(`SRV|${nameKey(inst.name)}`, { name: inst.name, type: DnsType.SRV });
    for (const srv of srvList ?? []) {
      if (!as.has(nameKey(srv.target))) questions.set(`A|${nameKey(srv.target)}`, { name: srv.target, type: DnsType.A });
    }
  }
  return [...questions.values()];
}

/**
 * Pure: where each service says SSH is. An SSH service gives its own port; a workstation is a machine that
 * runs avahi, and SSH is taken to be on 22. One entry per address and port, SSH services first.
 */
export function sshEndpoints(found: readonly MdnsService[]): { readonly address: string; readonly port: number }[] {
  const ordered = [...found.filter((s) => s.service === SSH_SERVICE), ...found.filter((s) => s.service !== SSH_SERVICE)];
  const endpoints = new Map<string, { address: string; port: number }>();
  for (const s of ordered) {
    const port = s.service === SSH_SERVICE ? s.port : 22;
    endpoints.set(`${s.address}:${port}`, { address: s.address, port });
  }
  return [...endpoints.values()];
}

/** Sends on one interface; the error, if any (an interface can go away while a laptop browses). */
function send(socket: dgram.Socket, packet: Buffer, iface: string): Promise<Error | null> {
  // setMulticastInterface applies at the moment of sending, so sends go one at a time.
  try {
    socket.setMulticastInterface(iface);
  } catch (err) {
    return Promise.resolve(err instanceof Error ? err : new Error(String(err)));
  }
  return new Promise((resolve) => socket.send(packet, MDNS_PORT, MDNS_GROUP, (err) => resolve(err ?? null)));
}

/**
 * Browses for `waitMs` (2 s by default) and returns what answered. Only this network namespace's
 * interfaces are used; a malformed or unrelated datagram is dropped, never fatal.
 */
export async function browseMdns(opts: BrowseOptions = {}): Promise<MdnsService[]> {
  const services = opts.services ?? [SSH_SERVICE, WORKSTATION_SERVICE];
  const waitMs = opts.waitMs ?? DEFAULT_WAIT_MS;
  const interfaces = opts.interfaces ?? lanInterfaceAddresses();
  if (interfaces.length === 0 || services.length === 0 || opts.signal?.aborted) return [];

  const id = randomInt(1, 0x10000);
  const socket = dgram.createSocket({ type: 'udp4' });
  const records: DnsRecord[] = [];
  const asked = new Set<string>();
  let queue = Promise.resolve();
  let sentAny = false;
  const failures: string[] = [];
  const ask = (questions: readonly DnsQuestion[]) => {
    if (questions.length === 0) return queue;
    const packet = encodeQuery(questions, id);
    queue = queue.then(async () => {
      for (const iface of interfaces) {
        const err = await send(socket, packet, iface);
        if (err) failures.push(`${iface}: ${err.message}`);
        else sentAny = true;
      }
    });
    return queue;
  };
  const askNew = () => {
    const fresh = followUpQuestions(records, services).filter((q) => !asked.has(`${q.type}|${nameKey(q.name)}`));
    for (const q of fresh) asked.add(`${q.type}|${nameKey(q.name)}`);
    void ask(fresh);
  };

  socket.on('message', (msg, rinfo) => {
    // RFC 6762 §6: mDNS responses come from port 5353; a legacy unicast reply echoes our id.
    if (rinfo.port !== MDNS_PORT) return;
    try {
      const m = decodeMessage(msg);
      if (!m.isResponse || m.id !== id) return;
      records.push(...m.answers, ...m.additionals);
    } catch {
      // A stray malformed datagram on the LAN must not end the browse.
      return;
    }
    askNew();
  });
  // Errors after bind (an ICMP error for a send, say) concern one datagram, not the browse.
  socket.on('error', () => {});

  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind({ port: 0, exclusive: true }, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    socket.setMulticastTTL(255);
    const browse = () => ask(services.map((s) => ({ name: serviceName(s), type: DnsType.PTR })));
    await browse();
    if (!sentAny) throw new DcodError('HOST_UNREACHABLE', `could not send mDNS queries on any interface (${failures.join('; ')})`);
    const resendTimer = waitMs >= 2 * RESEND_AFTER_MS ? setTimeout(() => void browse(), RESEND_AFTER_MS) : undefined;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, waitMs);
      function done() {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', done);
        resolve();
      }
      opts.signal?.addEventListener('abort', done, { once: true });
    });
    clearTimeout(resendTimer);
    await queue;
  } catch (err) {
    throw withContext('browsing mDNS', err);
  } finally {
    socket.close();
  }
  return resolveServices(records, services);
}
