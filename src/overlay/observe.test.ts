import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { doc } from '../model/document.testkit';
import { desiredFacts } from './facts';
import { vtepCandidate } from './names';
import { parseProxyObservation } from './observe';
import { overlayTopology } from './topology';

/**
 * fixtures/converged-proxy.txt is PROXY_OBSERVE_SCRIPT's real output (iproute2 6.1, nftables 1.0.6,
 * Linux 6.18) after convergeScript() ran twice for this proxy in a scratch namespace (nic1 with a "DHCP"
 * address 10.9.0.5/24): switches a and b, the DHCP of both, and router r1 with its NAT uplink.
 */
const capture = readFileSync(path.join(import.meta.dirname, 'fixtures', 'converged-proxy.txt'), 'utf8');

function capturedConfig() {
  const d = doc({
    switches: [{ name: 'a', vni: 5001, subnet: '10.0.1.0/24', dhcp: true }, { name: 'b', vni: 5002, subnet: '10.0.2.0/24', dhcp: true }],
    routers: [{ name: 'r1', interfaces: [{ switch: 'a', address: '10.0.1.1' }, { switch: 'b', address: '10.0.2.1' }], natUplink: true }],
    vms: [{ name: 'a1', nics: [{ switch: 'a', mac: '080027000A01' }] }, { name: 'b1', nics: [{ switch: 'b', mac: '080027000B01', address: '10.0.2.50' }] }, { name: 'a2', nics: [{ switch: 'a', mac: '080027000A02' }] }],
  });
  const placement = new Map([['a1', 'h1'], ['b1', 'h1'], ['a2', 'h2']]);
  return overlayTopology({ desired: d, placement, observed: [], proxies: [] }).proxies.find((p) => p.host === 'h1')!;
}

describe('observing a proxy', () => {
  it('reads a converged proxy as exactly the facts its configuration promises', () => {
    const cfg = capturedConfig();
    const seen = parseProxyObservation(capture, cfg.underlay.mac);
    const h2 = vtepCandidate('dc', 'h2', 0);
    expect(seen.vtep).toBe(cfg.vtep);
    expect(seen.facts).toEqual(desiredFacts(cfg));
    expect(seen.facts).toContain(`flood dcod-vx5001 ${h2}`);
    expect(seen.facts).toContain(`fdb dcod-vx5001 08:00:27:00:0a:02 ${h2}`);
    expect(seen.facts).toContain('dhcp 5002 running');
  });

  it('sees what is missing or not wanted', () => {
    const cfg = capturedConfig();
    // The same proxy after its DHCP server for b died and its flood entry to h2 was deleted by hand.
    const RS = '\x1e';
    const pidSection = capture.slice(capture.indexOf(`${RS}DCOD pid dhcp-5002.pid`), capture.indexOf(`${RS}DCOD-RC 0`, capture.indexOf(`${RS}DCOD pid dhcp-5002.pid`)) + `${RS}DCOD-RC 0`.length);
    const broken = capture.replace(pidSection, `${RS}DCOD pid dhcp-5002.pid\nsh: kill: No such process\n${RS}DCOD-RC 1`).replace(`{"mac":"00:00:00:00:00:00","ifname":"dcod-vx5001","dst":"${vtepCandidate('dc', 'h2', 0)}","flags":["self"],"state":"permanent"}`, '{"mac":"02:00:00:00:00:01","ifname":"dcod-vx5009","dst":"10.9.0.9","flags":["self"],"state":"permanent"}');
    const facts = parseProxyObservation(broken, cfg.underlay.mac).facts;
    const want = desiredFacts(cfg);
    expect(want.filter((f) => !facts.includes(f))).toEqual(['dhcp 5002 running', `flood dcod-vx5001 ${vtepCandidate('dc', 'h2', 0)}`]);
    expect(facts.filter((f) => !want.includes(f))).toEqual(['fdb dcod-vx5009 02:00:00:00:00:01 10.9.0.9']);
  });

  it('reports a proxy without its output sections as unreadable', () => {
    expect(() => parseProxyObservation('', '020000000001')).toThrow(/did not report links/);
  });
});
