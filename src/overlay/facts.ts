/**
 * The fact lines that describe a proxy (see ./observed): built here for both sides — from the desired
 * ProxyConfig, and by ./observe from what the proxy reports — so they can only match when the state does.
 */
import { createHash } from 'node:crypto';
import { dnsmasqConf } from './dhcp';
import { bridgeName, colonMac, dhcpNetns, dhcpVeth, routerNetns, routerVeth, serviceIf, UPLINK_IF, uplinkVeth, VTEP_PREFIX, VXLAN_PORT, vxlanName } from './names';
import type { ProxyConfig } from './proxy-config';

const state = (up: boolean): string => (up ? 'up' : 'down');

export const fact = {
  underlay: (mac: string, mtu: number, up: boolean) => `underlay ${colonMac(mac)} mtu ${mtu} ${state(up)}`,
  bridge: (name: string, mtu: number, snooping: boolean, up: boolean) => `bridge ${name} mtu ${mtu} snooping ${snooping ? 'on' : 'off'} ${state(up)}`,
  vxlan: (o: { name: string; vni: number; local: string; dev: string; port: number; learning: boolean; udpCsum: boolean; master: string; mtu: number; up: boolean }) =>
    `vxlan ${o.name} id ${o.vni} local ${o.local} dev ${o.dev} port ${o.port} learning ${o.learning ? 'on' : 'off'} csum ${o.udpCsum ? 'on' : 'off'} master ${o.master} mtu ${o.mtu} ${state(o.up)}`,
  /** A proxy NIC (named differently in every guest, so known by its MAC) enslaved to a bridge. */
  port: (mac: string, master: string, mtu: number, up: boolean) => `port ${colonMac(mac)} master ${master} mtu ${mtu} ${state(up)}`,
  veth: (name: string, master: string, mtu: number, up: boolean) => `veth ${name} master ${master} mtu ${mtu} ${state(up)}`,
  address: (dev: string, cidr: string) => `address ${dev} ${cidr}`,
  flood: (dev: string, vtep: string) => `flood ${dev} ${vtep}`,
  fdb: (dev: string, mac: string, vtep: string) => `fdb ${dev} ${colonMac(mac)} ${vtep}`,
  static: (dev: string, mac: string) => `static ${dev} ${colonMac(mac)}`,
  nat: () => 'nat',
  netns: (name: string) => `netns ${name}`,
  /** The VTEP address on the underlay NIC. */
  vtep: (cidr: string) => `vtep ${cidr}`,
  dhcpConf: (vni: number, hash: string) => `dhcp ${vni} conf ${hash}`,
  dhcpRunning: (vni: number) => `dhcp ${vni} running`,
  dhcpIf: (vni: number, mac: string, mtu: number, up: boolean) => `dhcp ${vni} if ${colonMac(mac)} mtu ${mtu} ${state(up)}`,
  dhcpAddress: (vni: number, cidr: string) => `dhcp ${vni} address ${cidr}`,
  routerIf: (router: string, dev: string, mac: string, mtu: number, up: boolean) => `router ${router} if ${dev} ${colonMac(mac)} mtu ${mtu} ${state(up)}`,
  routerAddress: (router: string, dev: string, cidr: string) => `router ${router} address ${dev} ${cidr}`,
  routerForwarding: (router: string) => `router ${router} forwarding`,
  routerNat: (router: string) => `router ${router} nat`,
  routerDefault: (router: string, gateway: string) => `router ${router} default via ${gateway}`,
};

/** A short content hash, as the plan shows it and the proxy reports it (`sha256sum`, cut the same way). */
export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** The facts a converged proxy reports. */
export function desiredFacts(cfg: ProxyConfig): string[] {
  const out: string[] = [fact.underlay(cfg.underlay.mac, cfg.underlay.mtu, true), fact.vtep(`${cfg.vtep}/${VTEP_PREFIX}`)];
  for (const s of cfg.segments) {
    const br = bridgeName(s.vni);
    const vx = vxlanName(s.vni);
    out.push(
      fact.bridge(br, s.mtu, false, true),
      fact.vxlan({ name: vx, vni: s.vni, local: cfg.vtep, dev: 'underlay', port: VXLAN_PORT, learning: false, udpCsum: false, master: br, mtu: s.mtu, up: true }),
      fact.port(s.mac, br, s.mtu, true),
      ...s.floodTo.map((v) => fact.flood(vx, v)),
      ...s.remote.flatMap((r) => [fact.fdb(vx, r.mac, r.vtep), fact.static(vx, r.mac)]),
    );
  }
  for (const d of cfg.dhcp) {
    out.push(
      fact.netns(dhcpNetns(d.vni)),
      fact.veth(dhcpVeth(d.vni), bridgeName(d.vni), d.mtu, true),
      fact.dhcpIf(d.vni, d.mac, d.mtu, true),
      fact.dhcpAddress(d.vni, `${d.address}/${d.prefix}`),
      fact.dhcpConf(d.vni, contentHash(dnsmasqConf(d))),
      fact.dhcpRunning(d.vni),
    );
  }
  for (const r of cfg.routers) {
    out.push(fact.netns(routerNetns(r.name)), fact.routerForwarding(r.name));
    for (const i of r.interfaces) {
      out.push(
        fact.veth(routerVeth(r.name, i.vni), bridgeName(i.vni), i.mtu, true),
        fact.routerIf(r.name, serviceIf(i.vni), i.mac, i.mtu, true),
        fact.routerAddress(r.name, serviceIf(i.vni), `${i.address}/${i.prefix}`),
      );
    }
    if (r.uplink) {
      const u = uplinkVeth(r.name);
      out.push(
        fact.veth(u, 'none', cfg.underlay.mtu, true),
        fact.address(u, `${r.uplink.proxySide}/${r.uplink.prefix}`),
        fact.routerAddress(r.name, UPLINK_IF, `${r.uplink.routerSide}/${r.uplink.prefix}`),
        fact.routerNat(r.name),
        fact.routerDefault(r.name, r.uplink.proxySide),
      );
    }
  }
  if (cfg.routers.some((r) => r.uplink)) out.push(fact.nat());
  return [...new Set(out)].sort();
}
