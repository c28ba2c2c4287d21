import { describe, expect, it } from 'vitest';
import { EXTRA_ROLE } from '../model/tags';
import { observedHost, observedVm } from '../plan/observed.testkit';
import { proxiesCarrying } from './capture-service';

const proxy = (nics: string[], state: 'running' | 'poweroff' = 'running') => observedVm({ name: 'dcod-proxy-dc', state, extraData: { [EXTRA_ROLE]: 'proxy' }, chipset: 'ich9', nics });

describe('proxiesCarrying', () => {
  it('finds the running proxies of the datacenter with a NIC on the VNI', () => {
    const observed = [
      observedHost({ host: 'h3', vms: [proxy(['bridged:br0', 'dcod-vni-7', 'dcod-vni-5001'])] }),
      observedHost({ host: 'h1', vms: [proxy(['bridged:br0', 'dcod-vni-5001'])] }),
      observedHost({ host: 'h2', vms: [proxy(['bridged:br0', 'dcod-vni-7'])] }),
      observedHost({ host: 'h4', vms: [proxy(['bridged:br0', 'dcod-vni-5001'], 'poweroff')] }),
      observedHost({ host: 'h5', vms: [observedVm({ name: 'web', nics: ['dcod-vni-5001'] })] }),
    ];
    expect(proxiesCarrying('dc', observed, 5001)).toEqual(['h1', 'h3']);
    expect(proxiesCarrying('other', observed, 5001)).toEqual([]);
  });
});
