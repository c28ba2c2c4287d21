import { describe, expect, it } from 'vitest';
import { DnsType, decodeMessage, type DnsRecord } from './dns-packet';
import { SSH_SERVICE, WORKSTATION_SERVICE, followUpQuestions, resolveServices, sshEndpoints, type MdnsService } from './mdns';
import { AVAHI_LEGACY_UNICAST_REPLY, AVAHI_MULTICAST_REPLY } from './mdns.testkit';

const BOTH = [SSH_SERVICE, WORKSTATION_SERVICE];

function records(buf: Buffer): DnsRecord[] {
  const m = decodeMessage(buf);
  return [...m.answers, ...m.additionals];
}

const base = { ttl: 120, cacheFlush: false };
const ptr = (service: string, instance: string): DnsRecord => ({ ...base, name: `${service}.local`, type: 'PTR', target: `${instance}.${service}.local` });
const srv = (instance: string, port: number, target: string): DnsRecord => ({ ...base, name: instance, type: 'SRV', priority: 0, weight: 0, port, target });
const a = (host: string, address: string, ttl = 120): DnsRecord => ({ ...base, ttl, name: host, type: 'A', address });

describe('resolving DNS-SD answers', () => {
  it('turns avahi\'s real reply into one SSH and one workstation service', () => {
    expect(resolveServices(records(AVAHI_LEGACY_UNICAST_REPLY), BOTH)).toEqual([
      { address: '198.18.12.11', port: 22, hostName: 'x1-h1.local', service: '_ssh._tcp', instance: 'x1-h1' },
      { address: '198.18.12.11', port: 9, hostName: 'x1-h1.local', service: '_workstation._tcp', instance: 'x1-h1 [02:dc:c6:12:0c:0b]' },
    ]);
    expect(resolveServices(records(AVAHI_MULTICAST_REPLY), [WORKSTATION_SERVICE])).toEqual([]);
  });

  it('joins records from separate replies, ignoring case, and lists every address of a host', () => {
    const found = resolveServices(
      [ptr(SSH_SERVICE, 'Nas'), srv('nas._SSH._tcp.local', 2222, 'NAS.local'), a('nas.local', '10.0.0.7'), a('nas.local', '10.0.1.7'), a('nas.local', '10.0.0.7')],
      BOTH,
    );
    expect(found.map((s) => [s.address, s.port, s.instance, s.hostName])).toEqual([
      ['10.0.0.7', 2222, 'Nas', 'NAS.local'],
      ['10.0.1.7', 2222, 'Nas', 'NAS.local'],
    ]);
  });

  it('leaves out instances not yet resolved, and records a goodbye withdrew', () => {
    expect(resolveServices([ptr(SSH_SERVICE, 'a'), srv('a._ssh._tcp.local', 22, 'a.local')], BOTH)).toEqual([]);
    const goodbye = [ptr(SSH_SERVICE, 'a'), srv('a._ssh._tcp.local', 22, 'a.local'), a('a.local', '10.0.0.1'), a('a.local', '10.0.0.1', 0)];
    expect(resolveServices(goodbye, BOTH)).toEqual([]);
    expect(resolveServices([...goodbye, a('a.local', '10.0.0.1')], BOTH)).toHaveLength(1);
    // Services nobody asked for are not reported.
    expect(resolveServices([ptr('_http._tcp', 'a'), srv('a._http._tcp.local', 80, 'a.local'), a('a.local', '10.0.0.1')], BOTH)).toEqual([]);
  });

  it('asks for the SRV of an instance and the address of a target it does not know yet', () => {
    expect(followUpQuestions([ptr(SSH_SERVICE, 'a'), ptr(WORKSTATION_SERVICE, 'b'), srv('b._workstation._tcp.local', 9, 'b.local')], BOTH)).toEqual([
      { name: 'a._ssh._tcp.local', type: DnsType.SRV },
      { name: 'b.local', type: DnsType.A },
    ]);
    expect(followUpQuestions(records(AVAHI_LEGACY_UNICAST_REPLY), BOTH)).toEqual([]);
  });
});

describe('SSH endpoints from mDNS', () => {
  const svc = (address: string, service: string, port: number): MdnsService => ({ address, port, service, hostName: 'h.local', instance: 'h' });

  it('takes an SSH service\'s own port, and 22 for a workstation, once per address and port', () => {
    expect(sshEndpoints([svc('10.0.0.2', WORKSTATION_SERVICE, 9), svc('10.0.0.2', SSH_SERVICE, 22), svc('10.0.0.3', WORKSTATION_SERVICE, 9), svc('10.0.0.4', SSH_SERVICE, 2222)])).toEqual([
      { address: '10.0.0.2', port: 22 },
      { address: '10.0.0.4', port: 2222 },
      { address: '10.0.0.3', port: 22 },
    ]);
  });
});
