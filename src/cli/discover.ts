import type { Command } from 'commander';
import type { Candidate, ProbeResult } from '../discovery/discover';
import { addAuthOptions, authFrom, type AuthFlags } from './auth-options';
import { printJson, table, withClient } from './context';

function probeText(p: ProbeResult | undefined): string {
  if (!p) return 'SSH (no credentials tried)';
  switch (p.status) {
    case 'virtualbox':
      return `VirtualBox ${p.version}, ${p.cpus ?? '?'} CPUs, ${p.memoryMb === undefined ? '?' : Math.round(p.memoryMb / 1024)} GiB, ${p.vmCount} VMs${p.proxyPresent ? ', DCoD proxy present' : ''}`;
    case 'no-virtualbox':
      return 'SSH, no VirtualBox';
    case 'failed':
      return `${p.error.code}: ${p.error.message}`;
  }
}

export function registerDiscover(program: Command): void {
  addAuthOptions(
    program
      .command('discover')
      .description('find VirtualBox hosts: sweep the ranges you name for SSH (or listen for mDNS), then probe each with your credentials')
      .option('--cidr <range...>', 'IPv4 ranges to sweep, e.g. 192.168.1.0/24 (nothing is swept unless named)', [])
      .option('--force', 'allow ranges larger than a /20')
      .option('--hosts-file <file>', 'also probe the hosts in this DCoD hosts.yaml, with their own credentials')
      .option('--mdns', 'also ask the LAN over mDNS/DNS-SD which machines offer SSH (_ssh._tcp) or run avahi (_workstation._tcp), for 2 s')
      .option('--user <user>', 'SSH user to probe with')
      .option('--json', 'print the results as JSON'),
  ).action(async (opts: AuthFlags & { cidr: string[]; force?: boolean; hostsFile?: string; mdns?: boolean; user?: string; json?: boolean }, cmd: Command) =>
    withClient(cmd, async (client) => {
      const auth = authFrom(opts);
      if (!opts.json) {
        // Stream as they arrive: a big sweep takes a while and the person wants to see progress.
        client.on('discovery.update', (c: Candidate) => process.stderr.write(`${c.address}:${c.port}  ${c.banner ?? ''}  ${c.probe ? probeText(c.probe) : ''}\n`));
      }
      const found = await client.call('discovery.run', {
        cidrs: opts.cidr,
        ...(opts.force ? { force: true } : {}),
        ...(opts.hostsFile ? { hostsFile: opts.hostsFile } : {}),
        ...(opts.mdns ? { mdns: true } : {}),
        ...(opts.user && auth ? { user: opts.user, auth } : {}),
      });
      if (opts.json) return printJson(found);
      process.stdout.write(table([['ADDRESS', 'OS', 'SSH', 'WHAT'], ...found.map((c) => [`${c.address}:${c.port}`, c.os, c.banner ?? '', probeText(c.probe)])]));
    }),
  );
}
