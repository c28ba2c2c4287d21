/**
 * What a fault may leave behind on the lab's hosts, for the fault suites to prove there is none:
 * - VMs the document does not place there (or missing ones), guest namespaces without a running VM;
 * - temp files: an apply's and an export's (`dcod-export-*.ova`) in the VM folders and the home;
 * - the overlay's VxLAN forwarding entries towards hosts that no longer carry that VNI, and VxLAN
 *   devices for VNIs the host no longer carries (read inside each proxy);
 * - processes: traffic samplers and tcpdumps still running on a host or in a proxy.
 * Each check returns one line per leak, naming the host.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import type { DatacenterInput } from '../../src/model/document';
import { proxyVmName } from '../../src/overlay/names';
import { currentLab, inNetns, sshHost } from './lab';

const lab = currentLab();

async function vboxVms(host: string, what: 'vms' | 'runningvms'): Promise<{ name: string; uuid: string }[]> {
  const r = await sshHost(host, `VBoxManage list ${what}`);
  if (r.code !== 0) throw new Error(`list ${what} on ${host}: ${r.stderr}`);
  return [...r.stdout.matchAll(/^"(.*)" \{([0-9a-f-]+)\}$/gm)].map((m) => ({ name: m[1]!, uuid: m[2]! })).sort((a, b) => a.name.localeCompare(b.name));
}

const namespaces = (): string[] => execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').map((l) => l.split(' ')[0]!).filter(Boolean);
/** The simulator's namespace of a running VM: `<lab>-<host>-<first 8 hex of its UUID>`. */
const guestNs = (host: string, uuid: string): string => `${lab.name}-${host}-${uuid.replace(/-/g, '').slice(0, 8)}`;

/** Hosts the document places some VM on with a NIC on the switch of `vni` (the fault documents have no routers or DHCP). */
function carriers(doc: DatacenterInput, vni: number): Set<string> {
  const sw = doc.switches?.find((s) => s.vni === vni)?.name;
  const out = new Set<string>();
  for (const vm of doc.vms ?? []) {
    const host = doc.placement?.[vm.name];
    if (host && sw !== undefined && (vm.nics ?? []).some((n) => 'switch' in n && n.switch === sw)) out.add(host);
  }
  return out;
}

/** The datacenter's VMs against the document, one guest namespace per running VM, and temp files. */
export async function hostLeaks(doc: DatacenterInput, hosts: readonly string[]): Promise<string[]> {
  const dc = doc.metadata.name;
  const out: string[] = [];
  for (const host of hosts) {
    const want = Object.entries(doc.placement ?? {}).filter(([, h]) => h === host).map(([vm]) => vm).sort();
    // The datacenter's overlay proxy on a host that carries its switches is the app's own, not an orphan.
    const have = (await vboxVms(host, 'vms')).map((v) => v.name).filter((vm) => !(vm === proxyVmName(dc) && want.length > 0));
    if (JSON.stringify(have) !== JSON.stringify(want)) out.push(`${host}: VMs ${have.join(',')} but the document places ${want.join(',')}`);
    const running = await vboxVms(host, 'runningvms');
    const ns = namespaces().filter((n) => n.startsWith(`${lab.name}-${host}-`));
    if (ns.length !== running.length) out.push(`${host}: ${ns.length} guest namespaces for ${running.length} running VMs`);
    const tmp = await sshHost(host, `find "$HOME/VirtualBox VMs" "$HOME" -maxdepth 3 \\( -name '*.tmp' -o -name '*.dcod-part' -o -name '.dcod-*' -o -name 'dcod-export-*' \\) 2>/dev/null`);
    if (tmp.stdout.trim()) out.push(`${host}: temp files ${tmp.stdout.trim().split('\n').join(', ')}`);
  }
  // The laptop side of a copy between hosts goes through a temp folder of its own.
  const transfers = readdirSync(os.tmpdir()).filter((f) => f.startsWith('dcod-transfer-'));
  if (transfers.length) out.push(`laptop: transfer folders ${transfers.join(', ')}`);
  return out;
}

interface VxlanLink {
  readonly ifname: string;
  readonly linkinfo?: { readonly info_data?: { readonly id?: number; readonly local?: string } };
}
interface FdbEntry {
  readonly mac: string;
  readonly dst?: string;
}

/**
 * Inside every running proxy of the datacenter: a VxLAN device only for a VNI its host carries, and in
 * that device's forwarding table (`bridge fdb show dev <vxlan>`) only entries towards the VTEPs of other
 * hosts that carry the VNI too. A host that carries a VNI and has no proxy or device for it is said too.
 */
export async function fdbLeaks(doc: DatacenterInput, hosts: readonly string[]): Promise<string[]> {
  const dc = doc.metadata.name;
  const proxies: { host: string; ns: string; links: VxlanLink[] }[] = [];
  for (const host of hosts) {
    const proxy = (await vboxVms(host, 'runningvms')).find((v) => v.name === proxyVmName(dc));
    if (!proxy) continue;
    const ns = guestNs(host, proxy.uuid);
    const r = await inNetns(ns, ['ip', '-j', '-d', 'link', 'show', 'type', 'vxlan']);
    if (r.code !== 0) throw new Error(`reading the VxLAN devices of the proxy on ${host}: ${r.stderr}`);
    proxies.push({ host, ns, links: JSON.parse(r.stdout || '[]') as VxlanLink[] });
  }
  const vtepOf = new Map<string, string>();
  for (const p of proxies) for (const l of p.links) if (l.linkinfo?.info_data?.local) vtepOf.set(l.linkinfo.info_data.local, p.host);
  const out: string[] = [];
  // The other way round, so that a check that found no proxy or device can't pass by seeing nothing.
  for (const sw of doc.switches ?? []) {
    for (const host of carriers(doc, sw.vni)) {
      if (!hosts.includes(host)) continue;
      const p = proxies.find((x) => x.host === host);
      if (!p) out.push(`${host}: carries VNI ${sw.vni} but runs no proxy`);
      else if (!p.links.some((l) => l.linkinfo?.info_data?.id === sw.vni)) out.push(`${host}: carries VNI ${sw.vni} but its proxy has no VxLAN device for it`);
    }
  }
  for (const p of proxies) {
    for (const l of p.links) {
      const vni = l.linkinfo?.info_data?.id;
      if (vni === undefined) continue;
      const carry = carriers(doc, vni);
      if (!carry.has(p.host)) out.push(`${p.host}: proxy still has ${l.ifname} for VNI ${vni}, which no VM on ${p.host} uses`);
      const r = await inNetns(p.ns, ['bridge', '-j', 'fdb', 'show', 'dev', l.ifname]);
      if (r.code !== 0) throw new Error(`reading the FDB of ${l.ifname} in the proxy on ${p.host}: ${r.stderr}`);
      for (const e of JSON.parse(r.stdout || '[]') as FdbEntry[]) {
        if (e.dst === undefined) continue; // the bridge's own entries: no remote VTEP
        const to = vtepOf.get(e.dst);
        if (to === undefined || to === p.host || !carry.has(to)) out.push(`${p.host}: ${l.ifname} sends ${e.mac} to ${e.dst} (${to ?? 'no proxy'}), which does not carry VNI ${vni}`);
      }
    }
  }
  return out;
}

/** Traffic samplers (their loop reads /proc/uptime and waits on `cat`) and tcpdumps in these namespaces. */
function streamingProcesses(netns: readonly string[]): string[] {
  const found: string[] = [];
  for (const ns of netns) {
    let pids: string[];
    try {
      pids = execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n').filter(Boolean);
    } catch {
      continue; // the namespace went meanwhile
    }
    for (const pid of pids) {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
        if (/^(\S*\/)?tcpdump /.test(cmd)) found.push(`${ns}: tcpdump (pid ${pid})`);
        else if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'cat') {
          const ppid = /^PPid:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
          if (ppid && readFileSync(`/proc/${ppid}/cmdline`, 'utf8').includes('/proc/uptime')) found.push(`${ns}: a traffic sampler (pid ${ppid})`);
        }
      } catch {
        // the process ended meanwhile
      }
    }
  }
  return found;
}

/** Samplers and tcpdumps on the hosts and in their guests (the proxies), per namespace. */
export function processLeaks(hosts: readonly string[]): string[] {
  const all = namespaces();
  return streamingProcesses(hosts.flatMap((h) => all.filter((n) => n === `${lab.name}-${h}` || n.startsWith(`${lab.name}-${h}-`))));
}

/** How many samplers run in each host's namespace and its guests', keyed by host. */
export function samplersPerHost(hosts: readonly string[]): Map<string, number> {
  const all = namespaces();
  return new Map(hosts.map((h) => [h, streamingProcesses(all.filter((n) => n === `${lab.name}-${h}` || n.startsWith(`${lab.name}-${h}-`))).filter((l) => l.includes('sampler')).length]));
}
