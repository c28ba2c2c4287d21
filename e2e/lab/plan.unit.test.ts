import { describe, expect, it } from 'vitest';
import { MAX_HOSTS, isGuestOf, parseCidr, planLab } from './plan';

describe('planLab', () => {
  it('gives the default lab its router, laptop and hosts from .11 on 198.18.0.0/24', () => {
    const plan = planLab();
    expect(plan).toMatchObject({ name: 'dcod', dir: '/run/dcod-lab/dcod', gateway: '198.18.0.1', lanNetns: 'dcod-lan', dhcpRange: ['198.18.0.100', '198.18.0.199'] });
    expect(plan.laptop).toEqual({ name: 'laptop', netns: 'dcod-laptop', address: '198.18.0.2', lanPort: 'v-laptop', mac: '06:dc:c6:12:00:02' });
    expect(plan.hosts.map((h) => [h.name, h.netns, h.address, h.kind, h.lanPort])).toEqual([
      ['h1', 'dcod-h1', '198.18.0.11', 'virtualbox', 'v-h1'],
      ['h2', 'dcod-h2', '198.18.0.12', 'virtualbox', 'v-h2'],
      ['h3', 'dcod-h3', '198.18.0.13', 'virtualbox', 'v-h3'],
      ['h4', 'dcod-h4', '198.18.0.14', 'virtualbox', 'v-h4'],
    ]);
  });

  it('puts plain hosts from .51 and keeps every address below the DHCP range', () => {
    const plan = planLab({ name: 't1', cidr: '198.19.7.0/24', hosts: MAX_HOSTS, plainHosts: 2 });
    expect(plan.hosts.at(-2)).toMatchObject({ name: 'p1', netns: 't1-p1', address: '198.19.7.51', kind: 'plain' });
    const octets = plan.hosts.map((h) => Number(h.address.split('.')[3]));
    expect(Math.max(...octets)).toBeLessThan(100);
    expect(new Set(octets).size).toBe(octets.length);
  });

  it('gives every node fixed, distinct, locally administered unicast MACs', () => {
    const plan = planLab({ hosts: 3, plainHosts: 2 });
    const macs = [plan.laptop.mac, ...plan.hosts.flatMap((h) => [h.mac, h.bridgeMac])];
    expect(new Set(macs).size).toBe(macs.length);
    for (const mac of macs) expect(Number.parseInt(mac.slice(0, 2), 16) & 0b11).toBe(0b10);
    expect(plan.hosts[0]).toMatchObject({ mac: '06:dc:c6:12:00:0b', bridgeMac: '02:dc:c6:12:00:0b' });
  });

  it('keeps device names within 15 characters', () => {
    for (const h of planLab({ hosts: MAX_HOSTS, plainHosts: 5 }).hosts) expect(h.lanPort.length).toBeLessThanOrEqual(15);
  });

  it.each([
    [{ name: 'Dcod' }, /lab name/],
    [{ name: 'toolong' }, /lab name/],
    [{ name: 'a-b' }, /lab name/],
    [{ hosts: 0, plainHosts: 0 }, /at least one host/],
    [{ hosts: MAX_HOSTS + 1 }, /hosts must be/],
    [{ hosts: 1.5 }, /hosts must be/],
    [{ cidr: '192.0.2.0/24' }, /198.18.0.0\/15/],
    [{ cidr: '198.18.0.0/16' }, /198.18.0.0\/15/],
    [{ cidr: '198.20.0.0/24' }, /198.18.0.0\/15/],
    [{ cidr: '198.18.256.0/24' }, /198.18.0.0\/15/],
    [{ cidr: '198.18.01.0/24' }, /198.18.0.0\/15/],
  ])('refuses %j', (opts, message) => {
    expect(() => planLab(opts)).toThrow(message);
  });
});

describe('names', () => {
  it('parses a cidr into its network prefix', () => {
    expect(parseCidr('198.19.255.0/24')).toBe('198.19.255');
  });

  it("tells a host's guests from other hosts' guests", () => {
    expect(isGuestOf('dcod', 'h1', 'dcod-h1-3f9a1c2b')).toBe(true);
    expect(isGuestOf('dcod', 'h1', 'dcod-h12-3f9a1c2b')).toBe(false);
  });
});
