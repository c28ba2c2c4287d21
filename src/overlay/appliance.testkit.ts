import { bareKey, proxyHostname, type ApplianceConfig } from './appliance';
import { generateOverlayKey } from './keys';

/** The most a proxy's configuration carries: DCoD's key, the longest hostname, a fixed address and gateway. */
export function largestConfig(): ApplianceConfig {
  return {
    hostname: proxyHostname(`host-${'x'.repeat(80)}`),
    sshAuthorizedKeys: [bareKey(generateOverlayKey().publicKey)],
    underlay: { address: '255.255.255.255/32', gateway: '255.255.255.254' },
  };
}
