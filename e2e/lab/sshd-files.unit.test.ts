import { describe, expect, it } from 'vitest';
import { knownHostsLine, labGroup, labPasswd, labShadow, renderSshdConfig, sshFingerprint } from './sshd-files';

// A real ed25519 public key and the fingerprint `ssh-keygen -lf` printed for it.
const PUB = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMmf7tgjxRRyz1dK/Qvp5+F64LX5OexJZgeocAXOyrMt dcod-lab-lt-h1';
const FINGERPRINT = 'SHA256:LrfZs0noULjitaa0FrrNe+M2JO0Y10b8f7Boxh8ZtCQ';

describe('account copies', () => {
  const passwd = 'root:x:0:0:root:/root:/bin/bash\ndcod:x:1000:1000::/home/dcod:/bin/bash\nnobody:x:65534:65534::/:/usr/sbin/nologin\n';

  it('adds the lab user as uid 0 with /bin/sh, replacing any user of that name', () => {
    expect(labPasswd(passwd, '/run/dcod-lab/dcod/hosts/h1/home')).toBe(
      'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534::/:/usr/sbin/nologin\ndcod:x:0:0:DCoD lab:/run/dcod-lab/dcod/hosts/h1/home:/bin/sh\n',
    );
  });

  it('adds the password hash to shadow', () => {
    expect(labShadow('root:*:19000:0:99999:7:::\n', '$6$salt$hash')).toBe('root:*:19000:0:99999:7:::\ndcod:$6$salt$hash:19000:0:99999:7:::\n');
    expect(() => labShadow('', 'plain text')).toThrow(/crypt/);
  });

  it('lists the lab user in the gid 0 group once', () => {
    expect(labGroup('root:x:0:\nadm:x:4:syslog\n')).toBe('root:x:0:dcod\nadm:x:4:syslog\n');
    expect(labGroup('root:x:0:alice,dcod\n')).toBe('root:x:0:alice,dcod\n');
  });
});

describe('sshd_config', () => {
  const config = renderSshdConfig({
    address: '198.18.0.11',
    hostKey: '/k/host',
    authorizedKeys: '/k/authorized_keys',
    pidFile: '/h/sshd.pid',
    env: { PATH: '/lab/bin:/usr/bin:/bin', LANG: 'C', DCOD_SIM_CONFIG: '/h/sim.json' },
  });

  it('listens on the host address only, with key and password login and no PAM', () => {
    expect(config).toMatch(/^ListenAddress 198\.18\.0\.11:22$/m);
    expect(config).toMatch(/^PasswordAuthentication yes$/m);
    expect(config).toMatch(/^PubkeyAuthentication yes$/m);
    expect(config).toMatch(/^UsePAM no$/m);
    expect(config).toMatch(/^AllowUsers dcod$/m);
  });

  it('sets the session environment', () => {
    expect(config).toMatch(/^SetEnv PATH=\/lab\/bin:\/usr\/bin:\/bin LANG=C DCOD_SIM_CONFIG=\/h\/sim\.json$/m);
  });

  it('refuses environment values sshd would split', () => {
    expect(() => renderSshdConfig({ address: 'a', hostKey: 'k', authorizedKeys: 'a', pidFile: 'p', env: { X: 'a b' } })).toThrow(/spaces/);
  });
});

describe('host keys', () => {
  it('fingerprints a public key as ssh-keygen does', () => {
    expect(sshFingerprint(PUB)).toBe(FINGERPRINT);
  });

  it('pins a key to an address without its comment', () => {
    expect(knownHostsLine('198.18.0.11', PUB)).toBe('198.18.0.11 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMmf7tgjxRRyz1dK/Qvp5+F64LX5OexJZgeocAXOyrMt');
    expect(() => knownHostsLine('198.18.0.11', 'garbage')).toThrow(/public key/);
  });
});
