// The pure parts of the programs a simulated guest runs: how a DHCP lease's MTU is read, and how the
// proxy appliance's "machine" is started.
import { describe, expect, it } from 'vitest';
import { APPLIANCE_PRIVATE_DIRS, applianceInitArgv, leaseMtu } from './runtime/guest';

describe('DHCP lease MTU (option 26)', () => {
  it('applies a usable MTU and ignores a missing or absurd one', () => {
    expect(leaseMtu({ mtu: '1450' })).toBe(1450);
    expect(leaseMtu({})).toBeUndefined();
    expect(leaseMtu({ mtu: '68' })).toBeUndefined();
    expect(leaseMtu({ mtu: '1450x' })).toBeUndefined();
  });
});

describe('the proxy appliance init', () => {
  it('runs in its own mount, UTS and PID namespaces, with private /run/netns and /run/dcod', () => {
    const argv = applianceInitArgv({ passwd: '/s/passwd', shadow: '/s/shadow', hostname: "it's", sshdConfig: '/s/sshd_config' });
    expect(argv.slice(0, argv.indexOf('--'))).toEqual(['unshare', '--mount', '--uts', '--pid', '--fork', '--mount-proc', '--propagation', 'private']);
    const script = argv.at(-1) as string;
    for (const dir of APPLIANCE_PRIVATE_DIRS) expect(script).toContain(`mount -t tmpfs -o mode=0755 appliance ${dir} && `);
    expect(script).toContain(`hostname 'it'\\''s' && `);
    expect(script.endsWith("exec /usr/sbin/sshd -D -e -f '/s/sshd_config'")).toBe(true);
  });
});
