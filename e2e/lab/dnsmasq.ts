/**
 * The office router's DHCP server: dnsmasq in `L-lan`, on lan0 only, handing out .100-.199. Pure: the argv.
 */
import { LAN_BRIDGE, labPaths, type LabPlan } from './plan';

export function dnsmasqArgv(plan: LabPlan): string[] {
  const files = labPaths(plan.dir);
  const [first, last] = plan.dhcpRange;
  return [
    '/usr/sbin/dnsmasq',
    // Foreground, so the process we start is the server (`down` finds it in L-lan either way).
    '--keep-in-foreground',
    // Ignore /etc/dnsmasq.conf and the machine's resolver files: this server knows only the lab.
    '--conf-file=/dev/null',
    '--no-resolv',
    '--no-hosts',
    // DHCP only: port 0 turns DNS off, so nothing listens on port 53 at all.
    '--port=0',
    `--interface=${LAN_BRIDGE}`,
    '--bind-interfaces',
    `--dhcp-range=${first},${last},255.255.255.0,12h`,
    `--dhcp-option=option:router,${plan.gateway}`,
    '--dhcp-authoritative',
    // dnsmasq pings an address before offering it and blocks ~3 s on the silence; nothing else hands out
    // addresses on this LAN, so the check only makes every guest's first lease slow.
    '--no-ping',
    `--dhcp-leasefile=${files.dnsmasqLeases}`,
    `--pid-file=${files.dnsmasqPid}`,
    `--log-facility=${files.dnsmasqLog}`,
    '--log-dhcp',
  ];
}
