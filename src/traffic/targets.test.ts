import { describe, expect, it } from 'vitest';
import { EXTRA_ROLE } from '../model/tags';
import { doc } from '../model/document.testkit';
import { observedHost, observedVm } from '../plan/observed.testkit';
import { trafficTargets } from './targets';

const opts = { intervalS: 1, vboxmanage: (h: string) => (h === 'h2' ? '/opt/vbox/VBoxManage' : 'VBoxManage'), devicePrefix: 'dcod-' };
const dc = doc({ switches: [{ vni: 200, name: 'back' }, { vni: 100, name: 'front' }] });

describe('trafficTargets', () => {
  it("samples each host's running VMs of the datacenter, and each running proxy", () => {
    const t = trafficTargets(
      dc,
      [
        observedHost({
          host: 'h2',
          vms: [
            observedVm({ name: 'web', uuid: 'u-web', nics: ['dcod-vni-100', 'bridged:br0'] }),
            observedVm({ name: 'stopped', state: 'poweroff', nics: ['dcod-vni-100'] }),
            observedVm({ name: 'theirs', owner: 'other', nics: ['dcod-vni-100'] }),
            observedVm({ name: 'dcod-proxy-dc', extraData: { [EXTRA_ROLE]: 'proxy' }, nics: ['bridged:br0', 'dcod-vni-100'] }),
          ],
        }),
        observedHost({ host: 'h1', vms: [observedVm({ name: 'db', uuid: 'u-db', nics: ['-', 'dcod-vni-200'] })] }),
        observedHost({ host: 'h3', reachable: false }),
      ],
      opts,
    );
    expect(t.switches).toEqual([{ vni: 100, name: 'front' }, { vni: 200, name: 'back' }]);
    expect(t.nics).toEqual([
      { uuid: 'u-db', vm: 'db', host: 'h1', slot: 2, vni: 200 },
      { uuid: 'u-web', vm: 'web', host: 'h2', slot: 1, vni: 100 },
      { uuid: 'u-web', vm: 'web', host: 'h2', slot: 2 },
    ]);
    expect(t.samplers.map((s) => [s.id, s.spec.vms, s.spec.devicePrefixes, s.spec.vboxmanage])).toEqual([
      ['host:h1', ['u-db'], [], 'VBoxManage'],
      ['host:h2', ['u-web'], [], '/opt/vbox/VBoxManage'],
      ['proxy:h2', [], [''], 'VBoxManage'],
    ]);
  });
});
