import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { LabInfoSchema, renderHostsYaml, simConfig, type LabInfo } from './lab-info';

const info: LabInfo = {
  name: 'dcod',
  dir: '/run/dcod-lab/dcod',
  cidr: '198.18.0.0/24',
  gateway: '198.18.0.1',
  laptop: { netns: 'dcod-laptop', address: '198.18.0.2' },
  user: 'dcod',
  password: 'pw-123',
  keyPath: '/run/dcod-lab/dcod/keys/id_ed25519',
  hosts: [
    { name: 'h1', netns: 'dcod-h1', address: '198.18.0.11', port: 22, kind: 'virtualbox', hostKeyFingerprint: 'SHA256:a' },
    { name: 'p1', netns: 'dcod-p1', address: '198.18.0.51', port: 22, kind: 'plain', hostKeyFingerprint: 'SHA256:b' },
  ],
};

describe('lab files', () => {
  it('writes hosts.yaml in the import format, every value a string', () => {
    expect(parse(renderHostsYaml(info))).toEqual({
      hosts: {
        '198.18.0.11': { os: 'linux', user: 'dcod', password: 'pw-123' },
        '198.18.0.51': { os: 'linux', user: 'dcod', password: 'pw-123' },
      },
    });
  });

  it('reads back what it writes as lab.json', () => {
    expect(LabInfoSchema.parse(JSON.parse(JSON.stringify(info)))).toEqual(info);
  });

  it('describes a simulated host to the simulator', () => {
    expect(simConfig('dcod', 'h2', '/run/dcod-lab/dcod/hosts/h2/vbox', '/proc/42/ns/mnt')).toEqual({
      lab: 'dcod',
      host: 'h2',
      stateDir: '/run/dcod-lab/dcod/hosts/h2/vbox',
      lanBridge: 'br0',
      lanIf: 'eno1',
      netnsPrefix: 'dcod-h2-',
      cpus: 8,
      memoryMB: 32768,
      os: 'linux',
      hostname: 'h2',
      rootMountNs: '/proc/42/ns/mnt',
    });
  });
});
