import { describe, expect, it } from 'vitest';
import { dhcpServer, dnsmasqConf } from './dhcp';

const base = { vni: 5002, switch: 'b', subnet: '10.0.2.0/24', mac: '02AABBCCDDEE', mtu: 1450 };

describe('DHCP server of a switch', () => {
  it('takes the highest free address and leaves every assigned one out of the ranges', () => {
    const s = dhcpServer({ ...base, routers: ['10.0.2.1', '10.0.2.254'], fixed: [{ address: '10.0.2.50', mac: '080027000B01', name: 'b1' }, { address: '10.0.2.60', name: 'later' }] });
    expect(s).toMatchObject({ address: '10.0.2.253', prefix: 24, router: '10.0.2.1' });
    expect(s?.ranges).toEqual([
      ['10.0.2.2', '10.0.2.49'],
      ['10.0.2.51', '10.0.2.59'],
      ['10.0.2.61', '10.0.2.252'],
    ]);
    // A fixed address whose VM has no MAC yet is kept free but gets no lease until the MAC is known.
    expect(s?.statics).toEqual([{ mac: '080027000B01', address: '10.0.2.50', name: 'b1' }]);
  });

  it('has no room in a full subnet', () => {
    expect(dhcpServer({ ...base, subnet: '10.0.2.0/30', routers: ['10.0.2.1', '10.0.2.2'], fixed: [] })).toBeUndefined();
    expect(dhcpServer({ ...base, subnet: '10.0.2.0/30', routers: ['10.0.2.1'], fixed: [] })).toMatchObject({ address: '10.0.2.2', ranges: [] });
  });

  it('configures dnsmasq for DHCP only, on the switch, with the MTU forced', () => {
    const conf = dnsmasqConf(dhcpServer({ ...base, routers: ['10.0.2.1'], fixed: [{ address: '10.0.2.50', mac: '080027000B01', name: 'b1' }] })!);
    expect(conf.split('\n')).toEqual([
      '# DCoD: DHCP of switch b (VNI 5002)',
      'interface=seg5002',
      'bind-interfaces',
      'port=0',
      'no-resolv',
      'no-hosts',
      'dhcp-authoritative',
      'no-ping',
      'user=root',
      'dhcp-leasefile=/run/dcod/dhcp-5002.leases',
      'pid-file=/run/dcod/dhcp-5002.pid',
      'dhcp-range=10.0.2.2,10.0.2.49,255.255.255.0,1h',
      'dhcp-range=10.0.2.51,10.0.2.253,255.255.255.0,1h',
      'dhcp-option=option:router,10.0.2.1',
      'dhcp-option-force=option:mtu,1450',
      'dhcp-host=08:00:27:00:0b:01,10.0.2.50,b1',
      '',
    ]);
  });
});
