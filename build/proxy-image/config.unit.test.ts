// The appliance's own reader of its configuration string (files/usr/local/lib/dcod/config.sh, sourced by
// dcod-boot) against the app's writer: what the app encodes, the image reads back field for field.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeApplianceConfig, type ApplianceConfig } from '../../src/overlay/appliance';
import { largestConfig } from '../../src/overlay/appliance.testkit';

const LIB = path.join(import.meta.dirname, 'files/usr/local/lib/dcod/config.sh');

/** Each field as dcod-boot takes it, read by the image's script under dash (the appliance's /bin/sh). */
function readInImage(s: string): Record<'h' | 'k' | 'a' | 'g', string[]> {
  const out = execFileSync('dash', ['-c', `. "$0"; for f in h k a g; do config_field "$f" "$1" | sed "s/^/$f /"; done`, LIB, s], { encoding: 'utf8' });
  const fields = { h: [] as string[], k: [] as string[], a: [] as string[], g: [] as string[] };
  for (const line of out.split('\n').filter(Boolean)) fields[line[0] as keyof typeof fields].push(line.slice(2));
  return fields;
}

describe('the appliance image reads the configuration string the app writes', () => {
  const cases: ApplianceConfig[] = [largestConfig(), { ...largestConfig(), hostname: 'proxy-h1', underlay: { dhcp: true } }, { ...largestConfig(), underlay: { address: '198.18.0.250/24' } }];
  it.each(cases.map((c) => [JSON.stringify(c.underlay), c] as const))('underlay %s', (_, c) => {
    expect(readInImage(encodeApplianceConfig(c))).toEqual({
      h: [c.hostname],
      k: c.sshAuthorizedKeys,
      a: 'address' in c.underlay ? [c.underlay.address] : [],
      g: 'address' in c.underlay && c.underlay.gateway !== undefined ? [c.underlay.gateway] : [],
    });
  });
});
