import { describe, expect, it } from 'vitest';
import { hostScript, lanPortsScript, lanScript, laptopScript, linkDelScript, netnsAddScript, netnsDelScript } from './ip-batch';
import { planLab } from './plan';

const plan = planLab({ hosts: 2 });
const [h1] = plan.hosts;

describe('ip batch scripts', () => {
  it('adds and deletes namespaces one per line', () => {
    expect(netnsAddScript(['dcod-lan', 'dcod-h1'])).toBe('netns add dcod-lan\nnetns add dcod-h1\n');
    expect(netnsDelScript(['dcod-h1'])).toBe('netns del dcod-h1\n');
    expect(linkDelScript(['v-h1', 'v-h2'])).toBe('link del v-h1\nlink del v-h2\n');
  });

  it('gives the LAN a bridge that forwards at once, with the router address', () => {
    expect(lanScript(plan)).toBe(
      'link set lo up\nlink add lan0 type bridge stp_state 0 forward_delay 0\nlink set lan0 up\naddr add 198.18.0.1/24 dev lan0\n',
    );
  });

  it('creates each veth from the LAN side with its peer straight in the node namespace', () => {
    expect(lanPortsScript([plan.laptop, h1!])).toBe(
      [
        'link add v-laptop type veth peer name eno1 address 06:dc:c6:12:00:02 netns dcod-laptop',
        'link set v-laptop master lan0 up',
        'link add v-h1 type veth peer name eno1 address 06:dc:c6:12:00:0b netns dcod-h1',
        'link set v-h1 master lan0 up',
        '',
      ].join('\n'),
    );
  });

  it('puts a host address on br0 over eno1, like a real bridged VirtualBox host', () => {
    const script = hostScript(h1!, plan.gateway);
    expect(script).toContain('link add br0 address 02:dc:c6:12:00:0b type bridge stp_state 0 forward_delay 0\n');
    expect(script).toContain('link set eno1 master br0\n');
    expect(script).toContain('addr add 198.18.0.11/24 dev br0\n');
    expect(script).toContain('route add default via 198.18.0.1\n');
    expect(script).not.toMatch(/eth0/);
  });

  it('puts the laptop address on its eno1', () => {
    expect(laptopScript(plan.laptop, plan.gateway)).toContain('addr add 198.18.0.2/24 dev eno1\n');
  });
});
