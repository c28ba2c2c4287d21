/**
 * Reading a proxy in ONE exec over SSH: links, addresses and forwarding tables as iproute2 JSON, the
 * DHCP servers' configuration hashes and liveness, and the inside of every `dcod-` namespace. The parser
 * turns that into the same fact lines ./facts builds from the desired state.
 */
import { DcodError, toDcodError } from '../errors';
import { failedObservation, splitSections } from '../hosts/observe';
import type { HostRunner } from '../hosts/runner';
import { fact } from './facts';
import { colonMac, DEVICE_PREFIX, plainMac, VTEP_PREFIX } from './names';
import type { ObservedProxy } from './observed';
import { NFT_TABLE } from './script';

export const PROXY_OBSERVE_SCRIPT = [
  'export LANG=C LC_ALL=C PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH',
  `sec() { printf '\\036DCOD %s\\n' "$1"; shift; "$@" 2>&1; printf '\\n\\036DCOD-RC %s\\n' "$?"; }`,
  'sec links ip -j -d link show',
  'sec addrs ip -j -4 addr show',
  'sec fdb bridge -j fdb show',
  `sec nat nft list table ip ${NFT_TABLE}`,
  'for f in /run/dcod/*.conf; do [ -e "$f" ] && sec "conf ${f##*/}" sha256sum "$f"; done',
  'for f in /run/dcod/*.pid; do [ -e "$f" ] && sec "pid ${f##*/}" kill -0 "$(cat "$f")"; done',
  `for ns in $(ip netns list | awk '{ print $1 }'); do`,
  `  case "$ns" in ${DEVICE_PREFIX}*) ;; *) continue ;; esac`,
  '  sec "links $ns" ip -n "$ns" -j -d link show',
  '  sec "addrs $ns" ip -n "$ns" -j -4 addr show',
  '  sec "forwarding $ns" ip netns exec "$ns" cat /proc/sys/net/ipv4/ip_forward',
  `  sec "nat $ns" ip netns exec "$ns" nft list table ip ${NFT_TABLE}`,
  '  sec "default $ns" ip -n "$ns" -j route show default',
  'done',
  '',
].join('\n');

interface Link {
  readonly ifname: string;
  readonly address?: string;
  readonly mtu: number;
  readonly flags?: readonly string[];
  readonly master?: string;
  readonly linkinfo?: { readonly info_kind?: string; readonly info_data?: Record<string, unknown> };
}
interface AddrLink {
  readonly ifname: string;
  readonly addr_info: readonly { readonly family?: string; readonly local: string; readonly prefixlen: number }[];
}
interface FdbEntry {
  readonly mac: string;
  readonly ifname: string;
  readonly dst?: string;
  readonly master?: string;
  readonly flags?: readonly string[];
  readonly state?: string;
}

const isUp = (l: Link): boolean => l.flags?.includes('UP') ?? false;

function json<T>(name: string, body: string | undefined): T {
  if (body === undefined) throw new DcodError('COMMAND_FAILED', `the proxy did not report ${name}`);
  try {
    return JSON.parse(body) as T;
  } catch {
    throw new DcodError('COMMAND_FAILED', `the proxy's ${name} is not JSON: ${body.slice(0, 200)}`);
  }
}

const cidrs = (addrs: readonly AddrLink[], ifname: string): string[] =>
  addrs.filter((a) => a.ifname === ifname).flatMap((a) => a.addr_info.filter((i) => i.family === undefined || i.family === 'inet').map((i) => `${i.local}/${i.prefixlen}`));

/** The facts and VTEP address in a proxy's observation output; `underlayMac` tells its LAN NIC. */
export function parseProxyObservation(output: string, underlayMac: string): { facts: string[]; vtep?: string } {
  const sections = new Map(splitSections(output).map((s) => [s.name, s]));
  const ok = (name: string): string | undefined => {
    const s = sections.get(name);
    return s && s.rc === 0 ? s.body : undefined;
  };
  const links = json<Link[]>('links', ok('links'));
  const addrs = json<AddrLink[]>('addresses', ok('addrs'));
  const fdb = json<FdbEntry[]>('forwarding tables', ok('fdb'));
  const facts: string[] = [];

  const underlay = links.find((l) => l.address === colonMac(underlayMac));
  const onUnderlay = underlay ? cidrs(addrs, underlay.ifname) : [];
  const vteps = onUnderlay.filter((c) => c.startsWith('169.254.') && c.endsWith(`/${VTEP_PREFIX}`));
  const vtep = vteps[0]?.split('/')[0];
  if (underlay) facts.push(fact.underlay(underlayMac, underlay.mtu, isUp(underlay)), ...vteps.map((c) => fact.vtep(c)));

  for (const l of links) {
    const kind = l.linkinfo?.info_kind;
    const data = l.linkinfo?.info_data ?? {};
    if (!l.ifname.startsWith(DEVICE_PREFIX)) {
      if (l.master?.startsWith(DEVICE_PREFIX) && l.address) facts.push(fact.port(plainMac(l.address), l.master, l.mtu, isUp(l)));
      continue;
    }
    if (kind === 'bridge') facts.push(fact.bridge(l.ifname, l.mtu, data.mcast_snooping !== 0, isUp(l)));
    else if (kind === 'vxlan') {
      const dev = data.link === underlay?.ifname ? 'underlay' : String(data.link ?? 'none');
      facts.push(fact.vxlan({ name: l.ifname, vni: Number(data.id), local: String(data.local ?? '?'), dev, port: Number(data.port), learning: data.learning !== false, udpCsum: data.udp_csum !== false, master: l.master ?? 'none', mtu: l.mtu, up: isUp(l) }));
    } else if (kind === 'veth') {
      facts.push(fact.veth(l.ifname, l.master ?? 'none', l.mtu, isUp(l)), ...cidrs(addrs, l.ifname).map((c) => fact.address(l.ifname, c)));
    } else facts.push(`device ${l.ifname} ${kind ?? 'unknown'}`);
  }

  for (const e of fdb) {
    if (!e.ifname.startsWith(DEVICE_PREFIX)) continue;
    if (e.dst !== undefined && e.flags?.includes('self')) facts.push(e.mac === '00:00:00:00:00:00' ? fact.flood(e.ifname, e.dst) : fact.fdb(e.ifname, plainMac(e.mac), e.dst));
    else if (e.master !== undefined && e.state === 'static') facts.push(fact.static(e.ifname, plainMac(e.mac)));
  }
  if (ok('nat') !== undefined) facts.push(fact.nat());

  for (const [name, s] of sections) {
    const conf = /^conf dhcp-(\d+)\.conf$/.exec(name);
    if (conf && s.rc === 0) facts.push(fact.dhcpConf(Number(conf[1]), s.body.trim().slice(0, 16)));
    const pid = /^pid dhcp-(\d+)\.pid$/.exec(name);
    if (pid && s.rc === 0) facts.push(fact.dhcpRunning(Number(pid[1])));
    const ns = /^links (\S+)$/.exec(name)?.[1];
    if (ns !== undefined && ns.startsWith(DEVICE_PREFIX)) facts.push(fact.netns(ns), ...namespaceFacts(ns, s.rc === 0 ? s.body : '[]', ok(`addrs ${ns}`), ok));
  }
  return { facts: [...new Set(facts)].sort(), ...(vtep ? { vtep } : {}) };
}

/** Facts about the inside of a DHCP server's or router's namespace. */
function namespaceFacts(ns: string, linksBody: string, addrsBody: string | undefined, ok: (name: string) => string | undefined): string[] {
  const links = json<Link[]>(`links of ${ns}`, linksBody).filter((l) => l.ifname !== 'lo');
  const addrs = json<AddrLink[]>(`addresses of ${ns}`, addrsBody ?? '[]');
  const dhcp = /^dcod-dhcp-(\d+)$/.exec(ns);
  if (dhcp) {
    const vni = Number(dhcp[1]);
    return links.flatMap((l) => [fact.dhcpIf(vni, plainMac(l.address ?? ''), l.mtu, isUp(l)), ...cidrs(addrs, l.ifname).map((c) => fact.dhcpAddress(vni, c))]);
  }
  const router = /^dcod-router-(.+)$/.exec(ns)?.[1];
  if (router === undefined) return [];
  const out = links.flatMap((l) => [
    ...(l.ifname.startsWith('seg') ? [fact.routerIf(router, l.ifname, plainMac(l.address ?? ''), l.mtu, isUp(l))] : []),
    ...cidrs(addrs, l.ifname).map((c) => fact.routerAddress(router, l.ifname, c)),
  ]);
  if (ok(`forwarding ${ns}`)?.trim() === '1') out.push(fact.routerForwarding(router));
  if (ok(`nat ${ns}`) !== undefined) out.push(fact.routerNat(router));
  const gateway = json<{ gateway?: string }[]>(`routes of ${ns}`, ok(`default ${ns}`) ?? '[]')[0]?.gateway;
  if (gateway !== undefined) out.push(fact.routerDefault(router, gateway));
  return out;
}

/** Reads one proxy in one exec; an unreachable or unreadable proxy is reported, not thrown. */
export async function observeProxy(host: string, runner: HostRunner, opts: { underlayMac: string; now?: () => Date; timeoutMs?: number }): Promise<ObservedProxy> {
  const now = opts.now ?? (() => new Date());
  try {
    const res = await runner.exec('sh -s', { stdin: PROXY_OBSERVE_SCRIPT, timeoutMs: opts.timeoutMs ?? 30_000 });
    if (res.code !== 0) throw new DcodError('COMMAND_FAILED', `the proxy's observation script failed (exit ${res.code}): ${res.stderr.trim() || res.stdout.slice(-300)}`);
    const { facts, vtep } = parseProxyObservation(res.stdout, opts.underlayMac);
    return { host, reachable: true, facts, ...(vtep ? { vtep } : {}), observedAt: now().toISOString() };
  } catch (err) {
    const failed = failedObservation(host, toDcodError(err), now());
    return { host, reachable: failed.reachable, ...(failed.error ? { error: failed.error } : {}), facts: [], observedAt: failed.observedAt };
  }
}
