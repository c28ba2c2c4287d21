/**
 * The lab's wiring as `ip -batch` scripts: one `ip` process per namespace instead of one per step, which is
 * most of what makes `up` take a second rather than ten. Pure: each function returns the script's text.
 *
 * WARNING: veth ends are always created from inside the LAN namespace with the peer placed straight into its
 * node's namespace, so no lab device ever exists, even for a moment, in the machine's own namespace.
 */
import { HOST_BRIDGE, HOST_LAN_IF, LAN_BRIDGE, type HostPlan, type LabPlan, type NodePlan } from './plan';

function script(lines: readonly string[]): string {
  return lines.map((l) => `${l}\n`).join('');
}

/** Run in the machine's namespace: `ip -batch`. */
export function netnsAddScript(names: readonly string[]): string {
  return script(names.map((n) => `netns add ${n}`));
}

export function netnsDelScript(names: readonly string[]): string {
  return script(names.map((n) => `netns del ${n}`));
}

/** Run in any namespace: delete links (a veth's far end goes with it). */
export function linkDelScript(links: readonly string[]): string {
  return script(links.map((l) => `link del ${l}`));
}

/**
 * Run in `L-lan`: the LAN bridge with the router's address. STP off and no forward delay, so a port
 * forwards the moment it is up (a guest's first DHCP discover must not be dropped).
 */
export function lanScript(plan: LabPlan): string {
  return script([
    'link set lo up',
    `link add ${LAN_BRIDGE} type bridge stp_state 0 forward_delay 0`,
    `link set ${LAN_BRIDGE} up`,
    `addr add ${plan.gateway}/24 dev ${LAN_BRIDGE}`,
  ]);
}

/** Run in `L-lan`: one veth per node, its LAN end on lan0, its other end (`eno1`) in the node's namespace. */
export function lanPortsScript(nodes: readonly NodePlan[]): string {
  return script(
    nodes.flatMap((n) => [
      `link add ${n.lanPort} type veth peer name ${HOST_LAN_IF} address ${n.mac} netns ${n.netns}`,
      `link set ${n.lanPort} master ${LAN_BRIDGE} up`,
    ]),
  );
}

/** Run in a host's namespace: br0 over eno1 carrying the host's address, as on a real VirtualBox host. */
export function hostScript(host: HostPlan, gateway: string): string {
  return script([
    'link set lo up',
    `link add ${HOST_BRIDGE} address ${host.bridgeMac} type bridge stp_state 0 forward_delay 0`,
    `link set ${HOST_LAN_IF} master ${HOST_BRIDGE}`,
    `link set ${HOST_LAN_IF} up`,
    `link set ${HOST_BRIDGE} up`,
    `addr add ${host.address}/24 dev ${HOST_BRIDGE}`,
    `route add default via ${gateway}`,
  ]);
}

/** Run in `L-laptop`: the laptop's address straight on eno1. */
export function laptopScript(laptop: NodePlan, gateway: string): string {
  return script([
    'link set lo up',
    `link set ${HOST_LAN_IF} up`,
    `addr add ${laptop.address}/24 dev ${HOST_LAN_IF}`,
    `route add default via ${gateway}`,
  ]);
}
