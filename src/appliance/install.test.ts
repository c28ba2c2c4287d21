import { describe, expect, it } from 'vitest';
import { parseShowVmInfo } from '../vbox/showvminfo';
import { proxyVmProblems } from './install';

/** showvminfo --machinereadable of a VM with `enabled` of `slots` NICs attached. */
function vm(chipset: string, slots: number, enabled: number): string {
  const nics = Array.from({ length: slots }, (_, i) => `nic${i + 1}="${i < enabled ? (i === 0 ? 'nat' : 'null') : 'none'}"`);
  return ['name="dcod-proxy-0.1.0"', 'UUID="5c0e3b7e-1f2a-4d7c-9b8e-2a1f0c3d4e5f"', `chipset="${chipset}"`, ...nics, ''].join('\n');
}

describe('proxyVmProblems', () => {
  it('accepts an ICH9 VM with 36 NICs and the proxy product', () => {
    expect(proxyVmProblems(parseShowVmInfo(vm('ich9', 36, 36)), 'dcod-proxy')).toEqual([]);
  });

  it('names everything that makes a VM not the appliance', () => {
    expect(proxyVmProblems(parseShowVmInfo(vm('piix3', 8, 1)), undefined)).toEqual([
      'its chipset is piix3, not ich9',
      'it has 1 network adapter enabled, not 36',
      'its DMI system product is unset, not dcod-proxy',
    ]);
    expect(proxyVmProblems(parseShowVmInfo(vm('ich9', 36, 35)), 'VirtualBox')).toEqual(['it has 35 network adapters enabled, not 36', 'its DMI system product is "VirtualBox", not dcod-proxy']);
  });
});
