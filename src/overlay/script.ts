/**
 * The proxy's configuration as ONE idempotent POSIX shell script, generated from its desired state alone:
 * run on any proxy in any state (fresh boot, half-configured, drifted), it creates what is missing,
 * corrects what differs and deletes every `dcod-` device and namespace that is not wanted — and touches
 * nothing else. Running it twice changes nothing the second time: no link is recreated unless its
 * creation parameters changed, so a topology change never interrupts the switches it doesn't concern.
 *
 * Tools it needs in the appliance: ip and bridge (iproute2), dnsmasq, nft, awk, sort, comm, cmp.
 */
import { DcodError } from '../errors';
import { quotePosixArg as q } from '../shell/quote';
import { dhcpFiles, dnsmasqConf, type DhcpServer } from './dhcp';
import { bridgeName, colonMac, dhcpNetns, dhcpVeth, DEVICE_PREFIX, routerNetns, routerVeth, serviceIf, UPLINK_IF, uplinkVeth, VTEP_PREFIX, VXLAN_PORT, vxlanName } from './names';
import type { ProxyConfig, RouterConfig, SegmentPort } from './proxy-config';

/** The table DCoD owns in each namespace's nftables ruleset. */
export const NFT_TABLE = 'dcod';

// A plain template: `\${` is how a literal `${` gets into the script.
const PRELUDE = `set -u
export LANG=C LC_ALL=C PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH
errors=0
die() { echo "dcod-proxy: $*" >&2; exit 1; }
err() { echo "dcod-proxy: $*" >&2; errors=$((errors + 1)); }
mkdir -p /run/dcod || die "cannot create /run/dcod"
# The NIC with this MAC (guests name NICs differently; the MAC is what DCoD set). Our own devices
# are skipped: a bridge takes the MAC of its first port.
ifname_of() {
  for d in /sys/class/net/*; do
    case "\${d##*/}" in ${DEVICE_PREFIX}*) continue ;; esac
    [ "$(cat "$d/address" 2>/dev/null)" = "$1" ] && { echo "\${d##*/}"; return 0; }
  done
  return 1
}
# A link is recreated only when its creation parameters (kept in its alias) differ.
want_link() {
  name=$1; sig=$2; shift 2
  if [ "$(cat "/sys/class/net/$name/ifalias" 2>/dev/null)" != "$sig" ]; then
    ip link del "$name" 2>/dev/null
    ip link add "$name" "$@" && ip link set "$name" alias "$sig" || err "cannot create $name"
  fi
}
# One veth pair, one end here, the other inside namespace $3 as $2.
want_veth() {
  ip link show "$1" >/dev/null 2>&1 && ip -n "$3" link show "$2" >/dev/null 2>&1 && return 0
  ip link del "$1" 2>/dev/null
  ip -n "$3" link del "$2" 2>/dev/null
  ip link add "$1" type veth peer name "$2" netns "$3" || err "cannot create $1"
}
want_netns() {
  [ -e "/run/netns/$1" ] || ip netns add "$1" || err "cannot create namespace $1"
  ip -n "$1" link set lo up
}
# Exactly this address on a device (in namespace $1, "" for this one).
want_addr() {
  n=$1; dev=$2; cidr=$3
  if ! ip \${n:+-n "$n"} -4 -o addr show dev "$dev" | grep -q " inet $cidr "; then
    ip \${n:+-n "$n"} addr flush dev "$dev"
    ip \${n:+-n "$n"} addr add "$cidr" dev "$dev" || err "cannot set $cidr on $dev"
  fi
}
# Makes the VxLAN forwarding entries of $1 exactly the wanted ones, read from stdin:
# "self <mac> <vtep>" (VxLAN FDB: where to send) or "master <mac>" (bridge FDB: which port).
fdb_sync() {
  dev=$1
  sort -u > /run/dcod/fdb.want
  bridge fdb show dev "$dev" | awk '$2 == "dst" { print "self", $1, $3 } $2 == "master" && $4 == "static" { print "master", $1 }' | sort -u > /run/dcod/fdb.have
  comm -23 /run/dcod/fdb.have /run/dcod/fdb.want > /run/dcod/fdb.del
  comm -13 /run/dcod/fdb.have /run/dcod/fdb.want > /run/dcod/fdb.add
  while read -r kind mac dst; do
    if [ "$kind" = self ]; then bridge fdb del "$mac" dev "$dev" dst "$dst" self; else bridge fdb del "$mac" dev "$dev" master; fi
  done < /run/dcod/fdb.del
  while read -r kind mac dst; do
    if [ "$kind" = self ]; then bridge fdb append "$mac" dev "$dev" dst "$dst" self permanent; else bridge fdb replace "$mac" dev "$dev" master static; fi || err "cannot add $kind $mac to $dev"
  done < /run/dcod/fdb.add
}
stop_pidfile() {
  [ -f "$1" ] || return 0
  pid=$(cat "$1"); rm -f "$1"
  kill "$pid" 2>/dev/null || return 0
  i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
}
`;

function heredoc(file: string, text: string): string {
  const mark = 'DCOD_EOF';
  if (text.split('\n').includes(mark)) throw new DcodError('INTERNAL', `text for ${file} contains the heredoc marker ${mark}`);
  return `cat > ${q(file)} <<'${mark}'\n${text}${text.endsWith('\n') ? '' : '\n'}${mark}`;
}

function underlayStep(cfg: ProxyConfig): string {
  const cidr = `${cfg.vtep}/${VTEP_PREFIX}`;
  return [
    `U=$(ifname_of ${q(colonMac(cfg.underlay.mac))}) || die "no NIC with MAC ${colonMac(cfg.underlay.mac)} (the underlay)"`,
    `ip link set "$U" mtu ${cfg.underlay.mtu} up`,
    // The VTEP: a link-local address beside whatever the LAN gives the NIC (a DHCP lease is left alone).
    `L=${cfg.vtep}`,
    `ip -4 -o addr show dev "$U" | grep -q " inet ${cidr} " || ip addr add ${cidr} dev "$U" scope link || die "cannot add the VTEP address ${cidr} to $U"`,
  ].join('\n');
}

/** Namespaces and devices of ours that are no longer wanted go first, freeing names and slots. */
function cleanupStep(cfg: ProxyConfig): string {
  const namespaces = [...cfg.dhcp.map((d) => dhcpNetns(d.vni)), ...cfg.routers.map((r) => routerNetns(r.name))];
  const devices = [
    ...cfg.segments.flatMap((s) => [bridgeName(s.vni), vxlanName(s.vni)]),
    ...cfg.dhcp.map((d) => dhcpVeth(d.vni)),
    ...cfg.routers.flatMap((r) => [...r.interfaces.map((i) => routerVeth(r.name, i.vni)), ...(r.uplink ? [uplinkVeth(r.name)] : [])]),
  ];
  const dhcpConfs = cfg.dhcp.map((d) => dhcpFiles(d.vni).conf);
  return [
    `for ns in $(ip netns list | awk '{ print $1 }'); do`,
    `  case "$ns" in ${DEVICE_PREFIX}*) ;; *) continue ;; esac`,
    `  case " ${namespaces.join(' ')} " in *" $ns "*) continue ;; esac`,
    '  for pid in $(ip netns pids "$ns"); do kill "$pid"; done',
    '  ip netns del "$ns" || err "cannot delete namespace $ns"',
    'done',
    'for f in /run/dcod/dhcp-*.conf; do',
    '  [ -e "$f" ] || continue',
    `  case " ${dhcpConfs.join(' ')} " in *" $f "*) continue ;; esac`,
    '  stop_pidfile "${f%.conf}.pid"; rm -f "$f" "${f%.conf}.leases"',
    'done',
    'for d in /sys/class/net/*; do',
    '  d=${d##*/}',
    `  case "$d" in ${DEVICE_PREFIX}*) ;; *) continue ;; esac`,
    `  case " ${devices.join(' ')} " in *" $d "*) continue ;; esac`,
    '  ip link del "$d" 2>/dev/null',
    'done',
  ].join('\n');
}

function segmentStep(s: SegmentPort): string {
  const br = bridgeName(s.vni);
  const vx = vxlanName(s.vni);
  const fdb = [...s.floodTo.map((v) => `self 00:00:00:00:00:00 ${v}`), ...s.remote.flatMap((r) => [`self ${colonMac(r.mac)} ${r.vtep}`, `master ${colonMac(r.mac)}`])];
  return [
    `# switch ${s.switch}: VNI ${s.vni} on NIC ${s.slot}`,
    // Multicast snooping off: every multicast (IPv6 ND among it) is flooded like broadcast, so nothing
    // depends on MLD reports crossing the tunnel.
    `want_link ${br} 'dcod bridge' type bridge stp_state 0 mcast_snooping 0`,
    // No outer UDP checksum (RFC 7348 §5: SHOULD be zero over IPv4; the inner frame keeps its own):
    // computing it costs a fifth of the throughput.
    `want_link ${vx} "dcod vxlan ${s.vni} $L $U nocsum" type vxlan id ${s.vni} local "$L" dev "$U" dstport ${VXLAN_PORT} nolearning noudpcsum`,
    `ip link set ${vx} mtu ${s.mtu} master ${br} up || err "cannot attach ${vx}"`,
    `if P=$(ifname_of ${q(colonMac(s.mac))}); then`,
    `  ip link set "$P" mtu ${s.mtu} master ${br} up || err "cannot attach NIC ${s.slot} ($P)"`,
    'else',
    `  err "no NIC with MAC ${colonMac(s.mac)} (slot ${s.slot})"`,
    'fi',
    `ip link set ${br} mtu ${s.mtu} up`,
    `fdb_sync ${vx} <<'DCOD_EOF'`,
    ...fdb,
    'DCOD_EOF',
  ].join('\n');
}

function dhcpStep(d: DhcpServer): string {
  const ns = dhcpNetns(d.vni);
  const files = dhcpFiles(d.vni);
  const inner = serviceIf(d.vni);
  return [
    `# DHCP of switch ${d.switch}`,
    `want_netns ${ns}`,
    `want_veth ${dhcpVeth(d.vni)} ${inner} ${ns}`,
    `ip link set ${dhcpVeth(d.vni)} mtu ${d.mtu} master ${bridgeName(d.vni)} up`,
    `ip -n ${ns} link set ${inner} address ${colonMac(d.mac)} mtu ${d.mtu} up`,
    `want_addr ${ns} ${inner} ${d.address}/${d.prefix}`,
    heredoc(`${files.conf}.new`, dnsmasqConf(d)),
    // Restarted only when its configuration changed or it isn't running: leases survive other changes.
    `if ! cmp -s ${files.conf}.new ${files.conf} || ! { [ -f ${files.pid} ] && kill -0 "$(cat ${files.pid})" 2>/dev/null; }; then`,
    `  stop_pidfile ${files.pid}`,
    `  mv ${files.conf}.new ${files.conf}`,
    `  ip netns exec ${ns} dnsmasq --conf-file=${files.conf} || err "dnsmasq for ${d.switch} did not start"`,
    'else',
    `  rm -f ${files.conf}.new`,
    'fi',
  ].join('\n');
}

function routerStep(r: RouterConfig, underlayMtu: number): string {
  const ns = routerNetns(r.name);
  const lines = [`# router ${r.name}`, `want_netns ${ns}`];
  for (const i of r.interfaces) {
    const inner = serviceIf(i.vni);
    lines.push(
      `want_veth ${routerVeth(r.name, i.vni)} ${inner} ${ns}`,
      `ip link set ${routerVeth(r.name, i.vni)} mtu ${i.mtu} master ${bridgeName(i.vni)} up`,
      `ip -n ${ns} link set ${inner} address ${colonMac(i.mac)} mtu ${i.mtu} up`,
      `want_addr ${ns} ${inner} ${i.address}/${i.prefix}`,
    );
  }
  const wanted = [...r.interfaces.map((i) => serviceIf(i.vni)), ...(r.uplink ? [UPLINK_IF] : []), 'lo'];
  lines.push(
    // Interfaces of switches the router left.
    `for d in $(ip -n ${ns} -o link show | awk -F': ' '{ split($2, a, "@"); print a[1] }'); do`,
    `  case " ${wanted.join(' ')} " in *" $d "*) ;; *) ip -n ${ns} link del "$d" ;; esac`,
    'done',
    `ip netns exec ${ns} sh -c 'echo 1 > /proc/sys/net/ipv4/ip_forward' || err "cannot turn on forwarding in ${ns}"`,
  );
  if (r.uplink) {
    const u = uplinkVeth(r.name);
    lines.push(
      `want_veth ${u} ${UPLINK_IF} ${ns}`,
      `ip link set ${u} mtu ${underlayMtu} up`,
      `ip -n ${ns} link set ${UPLINK_IF} mtu ${underlayMtu} up`,
      `want_addr '' ${u} ${r.uplink.proxySide}/${r.uplink.prefix}`,
      `want_addr ${ns} ${UPLINK_IF} ${r.uplink.routerSide}/${r.uplink.prefix}`,
      `ip -n ${ns} route replace default via ${r.uplink.proxySide} || err "cannot route ${r.name} to its uplink"`,
      nftReplace(ns, `oifname "${UPLINK_IF}" masquerade`),
    );
  } else {
    lines.push(`ip -n ${ns} route del default 2>/dev/null`, `ip netns exec ${ns} nft delete table ip ${NFT_TABLE} 2>/dev/null`);
  }
  return lines.join('\n');
}

/** Replaces DCoD's nat table in one nft transaction (declare, delete, recreate: atomic). */
function nftReplace(ns: string | undefined, rule: string): string {
  const exec = ns === undefined ? 'nft -f -' : `ip netns exec ${ns} nft -f -`;
  return [
    `${exec} <<DCOD_EOF || err "cannot set the NAT rules${ns === undefined ? '' : ` of ${ns}`}"`,
    `table ip ${NFT_TABLE} {}`,
    `delete table ip ${NFT_TABLE}`,
    `table ip ${NFT_TABLE} {`,
    '  chain postrouting {',
    '    type nat hook postrouting priority srcnat; policy accept;',
    `    ${rule}`,
    '  }',
    '}',
    'DCOD_EOF',
  ].join('\n');
}

function natStep(cfg: ProxyConfig): string {
  if (!cfg.routers.some((r) => r.uplink)) return `nft delete table ip ${NFT_TABLE} 2>/dev/null`;
  return [
    "echo 1 > /proc/sys/net/ipv4/ip_forward || err 'cannot turn on forwarding'",
    // The routers' transit links are link-local; out of the LAN NIC they take the proxy's address.
    nftReplace(undefined, 'ip saddr 169.254.0.0/16 oifname "$U" masquerade'),
  ].join('\n');
}

/** The whole script for one proxy. It exits non-zero if anything could not be made as wanted. */
export function convergeScript(cfg: ProxyConfig): string {
  return [
    `# DCoD overlay: proxy of ${cfg.datacenter} on ${cfg.host}`,
    PRELUDE,
    underlayStep(cfg),
    cleanupStep(cfg),
    ...cfg.segments.map(segmentStep),
    ...cfg.dhcp.map(dhcpStep),
    ...cfg.routers.map((r) => routerStep(r, cfg.underlay.mtu)),
    natStep(cfg),
    'rm -f /run/dcod/fdb.want /run/dcod/fdb.have /run/dcod/fdb.del /run/dcod/fdb.add',
    '[ "$errors" -eq 0 ] || die "$errors step(s) failed"',
    '',
  ].join('\n');
}
