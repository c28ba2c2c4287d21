import { describe, expect, it } from 'vitest';
import { parseBanner } from './banner';
import { addresses, parseCidr } from './cidr';

describe('CIDR ranges', () => {
  it('sweeps the host addresses of a range, not its network or broadcast', () => {
    const r = parseCidr('198.18.0.77/24');
    expect(r.cidr).toBe('198.18.0.0/24');
    const all = [...addresses(r)];
    expect(all).toHaveLength(254);
    expect(all[0]).toBe('198.18.0.1');
    expect(all.at(-1)).toBe('198.18.0.254');
    expect([...addresses(parseCidr('10.0.0.4/31'))]).toEqual(['10.0.0.4', '10.0.0.5']);
    expect([...addresses(parseCidr('10.0.0.9'))]).toEqual(['10.0.0.9']);
  });

  it('refuses ranges larger than a /20 unless forced, and says how to fix bad input', () => {
    expect(() => parseCidr('10.0.0.0/16')).toThrow(/more than a \/20.*--force/);
    expect(parseCidr('10.0.0.0/16', { force: true }).prefix).toBe(16);
    expect(() => parseCidr('10.0.0.0/20')).not.toThrow();
    for (const bad of ['10.0.0/24', '10.0.0.256/24', '10.0.0.0/33', 'eth0', '10.0.0.0/24/1', '']) {
      expect(() => parseCidr(bad)).toThrow(/is not an IPv4 range: write it like/);
    }
  });
});

describe('SSH banners', () => {
  it.each([
    ['SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3', 'linux', 'OpenSSH_9.2p1'],
    ['SSH-2.0-OpenSSH_for_Windows_8.1', 'windows', 'OpenSSH_for_Windows_8.1'],
    ['SSH-2.0-7.38 FlowSsh: Bitvise SSH Server (WinSSHD) 8.48', 'windows', '7.38'],
    ['SSH-2.0-OpenSSH_9.0', 'unknown', 'OpenSSH_9.0'],
    ['SSH-2.0-dropbear_2022.83', 'linux', 'dropbear_2022.83'],
    ['SSH-1.99-OpenSSH_3.9p1 FreeBSD-20041028', 'bsd', 'OpenSSH_3.9p1'],
  ])('%s → %s', (line, os, software) => {
    expect(parseBanner(`${line}\r\n`)).toEqual({ banner: line, software, os });
    expect(parseBanner(`${line}\r`)).toEqual({ banner: line, software, os });
  });

  it('is not fooled by other protocols', () => {
    expect(parseBanner('HTTP/1.1 400 Bad Request')).toBeUndefined();
    expect(parseBanner('220 smtp.example ESMTP')).toBeUndefined();
  });
});
