import { describe, expect, it } from 'vitest';
import type { ObservedHost } from '../hosts/observed';
import type { Operation } from '../plan/plan';
import { decodeApplianceConfig, DMI_OEM_VBOX_REV } from './appliance';
import { desiredFacts } from './facts';
import { proxyNicMac, vtepCandidate } from './names';
import { hostSeen, overlayDoc, overlayPlacement, proxySeen, vmSeen } from './overlay.testkit';
import { planOverlay, type OverlayOptions } from './planner';
import type { ProxyConfig } from './proxy-config';
import { overlayTopology } from './topology';
import type { ObservedProxy } from './observed';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBDFiX1rvk5mQhV+Gr4qlfkQ0Pmr9fBcvDDSzAqgVh3s dcod-overlay';
const OPTS: OverlayOptions = { sshPublicKey: KEY };
const ids = (ops: readonly Operation[]) => ops.map((o) => o.id);
const argvOf = (op: Operation | undefined) => (op?.commands ?? []).map((c) => c.join(' '));

/** The proxy a previous apply left on a host: the VM as the planner makes it, and its converged facts. */
function converged(cfg: ProxyConfig, extraData: Record<string, string>, state: ObservedHost['vms'][number]['state'] = 'running'): { vm: ObservedHost['vms'][number]; proxy: ObservedProxy } {
  const nics = [{ attach: 'bridged:br0', mac: cfg.underlay.mac }];
  for (let slot = 2; slot <= 36; slot++) {
    const s = cfg.segments.find((x) => x.slot === slot);
    nics.push({ attach: s ? `intnet:dcod-vni-${s.vni}` : 'null', mac: proxyNicMac('dc', cfg.host, slot) });
  }
  return { vm: vmSeen('dcod-proxy-dc', 'proxy', { state, chipset: 'ich9', nics, extraData }), proxy: proxySeen(cfg.host, cfg.vtep, desiredFacts(cfg)) };
}

/** Plans a fresh datacenter, then builds the world as if that plan had been carried out. */
function appliedWorld(doc = overlayDoc(), placement = overlayPlacement()) {
  const fresh = planOverlay(doc, placement, ['h1', 'h2', 'h3'].map((h) => hostSeen(h)), [], OPTS);
  const extra = (host: string) => {
    const create = fresh.operations.find((o) => o.id === `proxy/${host}/create@${host}`)!;
    return Object.fromEntries(create.commands.filter((c) => c[1] === 'setextradata').map((c) => [c[3]!, c[4]!]));
  };
  const topo = overlayTopology({ desired: doc, placement, observed: [], proxies: [] });
  const made = topo.proxies.map((cfg) => ({ host: cfg.host, ...converged(cfg, extra(cfg.host)) }));
  return { hosts: made.map((m) => hostSeen(m.host, [m.vm])), proxies: made.map((m) => m.proxy), made };
}

describe('planOverlay', () => {
  it('creates, starts and configures a proxy on each host with a switch', () => {
    const plan = planOverlay(overlayDoc(), overlayPlacement(), ['h1', 'h2', 'h3'].map((h) => hostSeen(h)), [], OPTS);
    expect(ids(plan.operations)).toEqual(['h1', 'h2', 'h3'].flatMap((h) => [`proxy/${h}/create@${h}`, `proxy/${h}/start@${h}`, `proxy/${h}/configure@${h}`]));
    const [create, start, configure] = plan.operations;
    const argv = argvOf(create);
    expect(argv[0]).toBe('VBoxManage createvm --name dcod-proxy-dc --ostype Linux26_64 --register --groups /dcod/dc');
    expect(argv[1]).toMatch(/^VBoxManage modifyvm dcod-proxy-dc --memory 128 --cpus 1 --chipset ich9 --nic1 bridged --bridgeadapter1 br0 --macaddress1 02[0-9A-F]{10} --cableconnected1 on --nictype1 virtio --nic2 intnet --intnet2 dcod-vni-5001 /);
    expect(argv[1]).toContain('--nic4 null');
    expect(argv[1]).toContain('--nicpromisc36 allow-all');
    const dmi = create!.commands.find((c) => c[3] === DMI_OEM_VBOX_REV)![4]!;
    expect(decodeApplianceConfig([dmi])).toEqual({ hostname: 'proxy-h1', sshAuthorizedKeys: [KEY.split(' ').slice(0, 2).join(' ')], underlay: { dhcp: true } });
    expect(argvOf(start)).toEqual(['VBoxManage startvm dcod-proxy-dc --type headless']);
    expect(configure).toMatchObject({ target: { kind: 'proxy', host: 'h1' }, dependsOn: ['proxy/h1/create@h1', 'proxy/h1/start@h1'], reason: 'the proxy boots with no configuration' });
    expect(configure!.commands[0]!.slice(0, 2)).toEqual(['sh', '-c']);
    // The plan says the MTU and why.
    expect(configure!.summary).toContain('a (VNI 5001 on NIC 2; MTU 1450 (1500-byte underlay − 50 bytes of VxLAN), handed out by DHCP (option 26))');
  });

  it('plans nothing for a converged overlay', () => {
    const { hosts, proxies } = appliedWorld();
    const plan = planOverlay(overlayDoc(), overlayPlacement(), hosts, proxies, OPTS);
    expect(plan.operations).toEqual([]);
    expect(plan.diagnostics).toEqual([]);
  });

  it('attaches a new switch live, with no reboot, and updates every proxy of that switch', () => {
    const { hosts, proxies } = appliedWorld();
    const doc = overlayDoc({ vms: [...overlayDoc().vms, { name: 'a4', cpus: 1, memoryMb: 512, nics: [{ switch: 'a', mac: '080027000A04' }], volumes: [], power: 'running', chipset: 'piix3', apartFrom: [] }] });
    const placement = new Map([...overlayPlacement(), ['a4', 'h3']]);
    const plan = planOverlay(doc, placement, hosts, proxies, OPTS);
    expect(ids(plan.operations)).toEqual(['proxy/h1/configure@h1', 'proxy/h2/configure@h2', 'proxy/h3/rewire@h3', 'proxy/h3/configure@h3']);
    const uuid = hosts[2]!.vms[0]!.uuid;
    expect(argvOf(plan.operations[2])).toEqual([`VBoxManage controlvm ${uuid} nic3 intnet dcod-vni-5001`]);
    expect(plan.operations.flatMap((o) => o.commands).some((c) => c.includes('poweroff') || c.includes('startvm'))).toBe(false);
    expect(plan.operations[0]!.reason).toMatch(new RegExp(`^missing: .*flood dcod-vx5001 ${vtepCandidate('dc', 'h3', 0).replaceAll('.', '\\.')}`));
    expect(plan.operations[3]!.dependsOn).toEqual(['proxy/h3/rewire@h3']);
  });

  it('restarts a crashed proxy and reconfigures a rebooted one (the watchdog)', () => {
    const { hosts, proxies, made } = appliedWorld();
    const crashed = hostSeen('h1', [{ ...made[0]!.vm, state: 'aborted' }]);
    // The crashed proxy can't be read; the rebooted one reports its underlay only.
    const rebooted = proxies.filter((p) => p.host !== 'h1').map((p) => (p.host === 'h2' ? { ...p, facts: p.facts.filter((f) => f.startsWith('underlay')) } : p));
    const plan = planOverlay(overlayDoc(), overlayPlacement(), [crashed, ...hosts.slice(1)], rebooted, OPTS);
    expect(ids(plan.operations)).toEqual(['proxy/h1/start@h1', 'proxy/h1/configure@h1', 'proxy/h2/configure@h2']);
    expect(plan.operations[0]!.reason).toBe('it is aborted (crashed): the watchdog restarts it');
    expect(plan.operations[2]!.reason).toMatch(/^missing: /);
  });

  it('removes a host from the others\' tables and deletes its proxy when its last switch VM leaves', () => {
    const { hosts, proxies } = appliedWorld();
    const doc = overlayDoc({ vms: overlayDoc().vms.filter((v) => v.name !== 'a2' && v.name !== 'a3') });
    const placement = new Map([...overlayPlacement()].filter(([vm]) => vm !== 'a2' && vm !== 'a3'));
    const plan = planOverlay(doc, placement, hosts, proxies, OPTS);
    expect(ids(plan.operations)).toEqual(['proxy/h1/configure@h1', 'proxy/h2/delete@h2']);
    const gone = `flood dcod-vx5001 ${vtepCandidate('dc', 'h2', 0)}`;
    expect(plan.operations[0]!.before).toContain(gone);
    expect(plan.operations[0]!.after).not.toContain(gone);
    expect(plan.operations[0]!.reason).toMatch(/not wanted: /);
    const uuid = hosts[1]!.vms[0]!.uuid;
    expect(argvOf(plan.operations[1])).toEqual([`VBoxManage controlvm ${uuid} poweroff`, `VBoxManage unregistervm ${uuid} --delete`]);
  });

  it('leaves the overlay of an unreachable host alone, saying so', () => {
    const { hosts, proxies } = appliedWorld();
    const plan = planOverlay(overlayDoc(), overlayPlacement(), [hostSeen('h1', [], { reachable: false }), ...hosts.slice(1)], proxies, OPTS);
    expect(plan.operations).toEqual([]);
    expect(plan.diagnostics).toEqual([expect.objectContaining({ severity: 'warning', message: 'the overlay on h1 is left as it is: the host could not be read' })]);
  });

  it('powers a proxy off to change what only a stopped VM can, then starts it', () => {
    const { hosts, proxies, made } = appliedWorld();
    const piix = hostSeen('h3', [{ ...made[2]!.vm, chipset: 'piix3' }]);
    const plan = planOverlay(overlayDoc(), overlayPlacement(), [...hosts.slice(0, 2), piix], proxies, OPTS);
    expect(ids(plan.operations)).toEqual(['proxy/h3/update@h3', 'proxy/h3/start@h3', 'proxy/h3/configure@h3']);
    expect(plan.operations[0]!.reason).toBe('chipset piix3 → ich9');
    expect(argvOf(plan.operations[0])[0]).toMatch(/controlvm .* poweroff$/);
  });
});
