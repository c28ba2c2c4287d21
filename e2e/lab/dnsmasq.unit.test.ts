import { describe, expect, it } from 'vitest';
import { dnsmasqArgv } from './dnsmasq';
import { planLab } from './plan';

describe('dnsmasqArgv', () => {
  const argv = dnsmasqArgv(planLab({ name: 't1', cidr: '198.18.1.0/24' }));

  it('serves DHCP on lan0 only, for .100-.199, with DNS off', () => {
    expect(argv).toEqual(expect.arrayContaining(['--interface=lan0', '--bind-interfaces', '--port=0', '--dhcp-range=198.18.1.100,198.18.1.199,255.255.255.0,12h']));
  });

  it('reads no machine configuration and keeps its files in the lab dir', () => {
    expect(argv).toEqual(expect.arrayContaining(['--conf-file=/dev/null', '--no-resolv', '--no-hosts', '--pid-file=/run/dcod-lab/t1/dnsmasq.pid', '--dhcp-leasefile=/run/dcod-lab/t1/dnsmasq.leases']));
  });
});
