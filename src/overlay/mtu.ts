/**
 * The MTU of each switch. VxLAN wraps every guest frame in 50 bytes of headers (outer IPv4 20, UDP 8,
 * VxLAN 8, inner Ethernet 14), and the underlay drops a packet that no longer fits without telling the
 * guest. So either the guests get a smaller MTU (by DHCP option 26), or the user says the LAN carries
 * jumbo frames (`underlayMtu`) and guests keep 1500. The plan says which, per switch.
 */
import type { Diagnostic } from '../diagnostics';
import type { Datacenter, Switch } from '../model/document';
import { VXLAN_OVERHEAD } from '../model/validate';

export interface SegmentMtu {
  /** The MTU inside the switch: guests, the proxy's port, the bridge, routers and DHCP server. */
  readonly guest: number;
  /** The underlay's, set on the proxy's LAN NIC. */
  readonly underlay: number;
  /** One line for the plan: where the number comes from and how guests learn it. */
  readonly how: string;
}

/** Ethernet's own payload size, which guests use unless told otherwise. */
const ETHERNET_MTU = 1500;

export function segmentMtu(dc: Pick<Datacenter, 'underlayMtu'>, sw: Switch): SegmentMtu {
  const room = dc.underlayMtu - VXLAN_OVERHEAD;
  const guest = Math.min(sw.mtu ?? Math.min(room, ETHERNET_MTU), room);
  const source = sw.mtu !== undefined ? `set on the switch` : guest < ETHERNET_MTU ? `${dc.underlayMtu}-byte underlay − ${VXLAN_OVERHEAD} bytes of VxLAN` : `the ${dc.underlayMtu}-byte underlay carries VxLAN's ${VXLAN_OVERHEAD} bytes`;
  const delivery = sw.dhcp ? 'handed out by DHCP (option 26)' : 'to be set in each guest by hand (no DHCP on this switch)';
  return { guest, underlay: dc.underlayMtu, how: `MTU ${guest} (${source}), ${delivery}` };
}

/** What the user must know: a switch without DHCP whose guests must be told a smaller MTU by hand. */
export function mtuDiagnostics(dc: Datacenter): Diagnostic[] {
  return dc.switches.flatMap((sw, i): Diagnostic[] => {
    const mtu = segmentMtu(dc, sw);
    if (sw.dhcp || mtu.guest >= ETHERNET_MTU) return [];
    return [
      {
        severity: 'warning',
        path: `switches[${i}]`,
        message: `guests on switch "${sw.name}" must use MTU ${mtu.guest}: VxLAN adds ${VXLAN_OVERHEAD} bytes to each frame and the switch has no DHCP to tell them, so full-size frames would be dropped`,
        fix: `turn on dhcp for "${sw.name}", set MTU ${mtu.guest} in its guests, or raise underlayMtu to ${ETHERNET_MTU + VXLAN_OVERHEAD} if your LAN carries jumbo frames`,
      },
    ];
  });
}
