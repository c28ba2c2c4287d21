import { describe, expect, it } from 'vitest';
import { avahiHostName, renderAvahiConfig, renderSshService } from './avahi-files';
import { planLab } from './plan';

/** avahi-daemon.conf as section → key → value, the way avahi reads it. */
function ini(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let section = '';
  for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) {
    const header = /^\[(.+)\]$/.exec(line);
    if (header) out[(section = header[1]!)] = {};
    else {
      const [key, value] = line.split('=', 2);
      out[section]![key!] = value!;
    }
  }
  return out;
}

describe('avahi-daemon files', () => {
  it('names each host after its lab, so two labs never announce the same name', () => {
    expect(avahiHostName('md', 'h1')).toBe('md-h1');
    expect(new Set(planLab({ hosts: 3, plainHosts: 2 }).hosts.map((h) => avahiHostName('dcod', h.name))).size).toBe(5);
  });

  it('configures one daemon for the host\'s LAN bridge only, with no D-Bus, publishing a workstation', () => {
    const conf = ini(renderAvahiConfig('md-h1'));
    expect(conf.server).toMatchObject({ 'host-name': 'md-h1', 'domain-name': 'local', 'allow-interfaces': 'br0', 'enable-dbus': 'no' });
    expect(conf.publish).toMatchObject({ 'publish-workstation': 'yes', 'publish-addresses': 'yes' });
    expect(conf['wide-area']).toEqual({ 'enable-wide-area': 'no' });
    expect(conf.reflector).toEqual({ 'enable-reflector': 'no' });
  });

  it('announces SSH on the port given, under the host name', () => {
    const xml = renderSshService(22);
    expect(xml).toContain('<name replace-wildcards="yes">%h</name>');
    expect(xml).toMatch(/<type>_ssh\._tcp<\/type>\s*<port>22<\/port>/);
  });

  it('is off unless asked for', () => {
    expect(planLab().mdns).toBe(false);
    expect(planLab({ mdns: true }).mdns).toBe(true);
  });
});
