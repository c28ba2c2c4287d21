/** The verbs of `npm run lab -- …`: up, down, status, exec. Output for people, or lab.json with --json. */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { toDcodError } from '../../src/errors';
import { labDown, labExec, labStatus, labUp, type LabInfo } from './lab';
import { DEFAULT_LAB, labPaths } from './plan';

function count(value: string): number {
  if (!/^[0-9]+$/.test(value)) throw new InvalidArgumentError('expected a whole number');
  return Number(value);
}

/** Columns padded to their widest cell. */
function table(rows: readonly (readonly string[])[]): string {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}

export function describeLab(info: LabInfo): string {
  const knownHosts = labPaths(info.dir).knownHosts;
  const first = info.hosts[0];
  const mdns = info.hosts.some((h) => h.mdnsName !== undefined);
  return [
    `lab ${info.name}: LAN ${info.cidr}, router ${info.gateway}, laptop ${info.laptop.address} (namespace ${info.laptop.netns})`,
    table([
      ['HOST', 'ADDRESS', 'KIND', 'USER', 'PASSWORD', 'KEY', ...(mdns ? ['MDNS'] : [])],
      ...info.hosts.map((h) => [h.name, h.address, h.kind, info.user, info.password, info.keyPath, ...(mdns ? [h.mdnsName ?? ''] : [])]),
    ]),
    first ? `try:  npm run lab -- exec --name ${info.name} -- ssh -i ${info.keyPath} -o UserKnownHostsFile=${knownHosts} ${info.user}@${first.address}` : '',
  ].join('\n');
}

export function program(): Command {
  const cmd = new Command('lab')
    .description('The DCoD test lab: a LAN of Linux "VirtualBox hosts" in network namespaces, each with a real sshd')
    .enablePositionalOptions()
    .showHelpAfterError()
    .exitOverride();
  cmd
    .command('up')
    .description('bring the lab up (or repair it, or resize it); prints how to log in to every host')
    .option('--name <L>', 'lab name, 1-6 of [a-z0-9]', DEFAULT_LAB)
    .option('--hosts <N>', 'VirtualBox hosts (h1…, from .11)', count, 4)
    .option('--plain <N>', 'plain SSH hosts without VBoxManage (p1…, from .51)', count, 0)
    .option('--cidr <X/24>', 'the LAN, a /24 in 198.18.0.0/15 (default 198.18.0.0/24, or what the lab already has)')
    .option('--mdns', 'run avahi-daemon on every host, announcing _ssh._tcp and _workstation._tcp (needs avahi-daemon)')
    .option('--json', 'print lab.json')
    .action(async (o: { name: string; hosts: number; plain: number; cidr?: string; mdns?: boolean; json?: boolean }) => {
      const started = Date.now();
      const info = await labUp({ name: o.name, hosts: o.hosts, plainHosts: o.plain, cidr: o.cidr, mdns: o.mdns ?? false });
      process.stdout.write(o.json ? `${JSON.stringify(info, null, 2)}\n` : `${describeLab(info)}\n`);
      process.stderr.write(`lab ${info.name} up in ${((Date.now() - started) / 1000).toFixed(2)} s\n`);
    });
  cmd
    .command('down')
    .description('remove every namespace, process and file of the lab (works after a crash too)')
    .option('--name <L>', 'lab name', DEFAULT_LAB)
    .action(async (o: { name: string }) => {
      await labDown(o.name);
    });
  cmd
    .command('status')
    .description('whether the lab is up; exits 1 if it is not')
    .option('--name <L>', 'lab name', DEFAULT_LAB)
    .option('--json', 'print the status as JSON')
    .action((o: { name: string; json?: boolean }) => {
      const status = labStatus(o.name);
      if (o.json) process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
      else if (status.info && status.up) process.stdout.write(`${describeLab(status.info)}\n`);
      else process.stdout.write(`lab ${status.name} is not up:\n${status.problems.map((p) => `  - ${p}`).join('\n')}\n`);
      if (!status.up) process.exitCode = 1;
    });
  cmd
    .command('exec')
    .description('run a command in the lab\'s laptop namespace: npm run lab -- exec -- CMD…')
    .option('--name <L>', 'lab name', DEFAULT_LAB)
    .argument('<command...>')
    .passThroughOptions()
    .action(async (argv: string[], o: { name: string }) => {
      process.exitCode = await labExec(o.name, argv);
    });
  return cmd;
}

/** Runs the CLI; the exit code: 0 ok, 1 failed (or not up, for status), 2 bad usage, else exec's own. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    process.exitCode = 0;
    await program().parseAsync([...argv], { from: 'user' });
    return Number(process.exitCode ?? 0);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    const e = toDcodError(err);
    process.stderr.write(`lab: ${e.toString()} [${e.code}${e.retryable ? ', retryable' : ''}]\n`);
    return 1;
  }
}
