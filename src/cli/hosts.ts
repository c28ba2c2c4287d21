import type { Command } from 'commander';
import { DcodError } from '../errors';
import type { ObservedHost } from '../hosts/observed';
import { addAuthOptions, authFrom, type AuthFlags } from './auth-options';
import { printJson, table, withClient } from './context';

const gib = (mb: number | undefined) => (mb === undefined ? '?' : `${(mb / 1024).toFixed(1)}G`);

/** One line of host status: reachable, VirtualBox version, CPU and RAM, VM count. */
export function statusOf(o: ObservedHost | undefined): string {
  if (!o) return 'not read yet';
  if (!o.reachable) return `unreachable: ${o.error?.message ?? ''}`;
  if (o.error) return `error: ${o.error.message}`;
  if (!o.vbox) return 'SSH, no VirtualBox';
  const mem = o.hostInfo ? `${gib(o.hostInfo.memoryAvailableMb)}/${gib(o.hostInfo.memorySizeMb)} free` : '';
  return `VirtualBox ${o.vbox.version}, ${o.hostInfo?.processorCount ?? '?'} CPUs, ${mem}, ${o.vms.length} VMs`;
}

export function registerHosts(program: Command): void {
  const hosts = program.command('hosts').description('the hosts in the inventory');

  hosts
    .command('list')
    .description('list the inventory, reading each host once')
    .option('--json', 'print JSON')
    .option('--no-refresh', "don't connect; just print the inventory")
    .action(async (opts: { json?: boolean; refresh: boolean }, cmd: Command) =>
      withClient(cmd, async (client) => {
        if (opts.refresh) await client.call('hosts.refresh');
        const views = await client.call('hosts.list');
        if (opts.json) return printJson(views);
        process.stdout.write(
          table([
            ['NAME', 'ADDRESS', 'USER', 'AUTH', 'STATUS'],
            ...views.map((v) => [v.host.name, `${v.host.address}:${v.host.port}`, v.host.user, v.host.auth.method, v.pendingHostKey ? `host key not accepted: ${v.pendingHostKey}` : opts.refresh ? statusOf(v.observed) : '-']),
          ]),
        );
      }),
    );

  addAuthOptions(
    hosts
      .command('add <name> <address>')
      .description('add a host (or change one) in the inventory')
      .requiredOption('--user <user>', 'the SSH user')
      .option('--port <port>', 'SSH port', (v) => Number.parseInt(v, 10), 22)
      .option('--os <os>', 'linux, windows or macos', 'linux')
      .option('--vboxmanage <path>', 'where VBoxManage is, if not on the PATH'),
  ).action(async (name: string, address: string, opts: AuthFlags & { user: string; port: number; os: 'linux' | 'windows' | 'macos'; vboxmanage?: string }, cmd: Command) =>
    withClient(cmd, async (client) => {
      const auth = authFrom(opts);
      if (!auth) throw new DcodError('BAD_REQUEST', 'say how to log in: --key FILE, --password-env NAME, --password-prompt or --agent');
      const host = await client.call('hosts.add', { name, address, port: opts.port, os: opts.os, user: opts.user, auth, ...(opts.vboxmanage ? { vboxmanage: opts.vboxmanage } : {}) });
      process.stdout.write(`added ${host.name}: ${host.user}@${host.address}:${host.port} (${host.auth.method})\n`);
    }),
  );

  hosts
    .command('remove <name>')
    .description('remove a host from the inventory')
    .action(async (name: string, _opts: unknown, cmd: Command) =>
      withClient(cmd, async (client) => {
        await client.call('hosts.remove', { name });
        process.stdout.write(`removed ${name}\n`);
      }),
    );

  hosts
    .command('import <file>')
    .description("import a DCoD hosts.yaml (hosts: {<ip>: {os, user, password}}); passwords stay in that file")
    .action(async (file: string, _opts: unknown, cmd: Command) =>
      withClient(cmd, async (client) => {
        const added = await client.call('hosts.import', { file });
        process.stdout.write(table([['NAME', 'ADDRESS', 'USER'], ...added.map((h) => [h.name, `${h.address}:${h.port}`, h.user])]));
      }),
    );

  hosts
    .command('accept-key <name> <fingerprint>')
    .description('accept the host key a host presented (shown by `hosts list`), by its SHA256 fingerprint')
    .action(async (name: string, fingerprint: string, _opts: unknown, cmd: Command) =>
      withClient(cmd, async (client) => {
        await client.call('hosts.refresh', { names: [name] });
        await client.call('hosts.acceptKey', { name, fingerprint });
        process.stdout.write(`pinned ${fingerprint} for ${name}\n`);
      }),
    );
}

export function registerInventory(program: Command): void {
  program
    .command('inventory')
    .description('read every host (one SSH exec each, in parallel) and print what is on it')
    .option('--json', 'print the observed state as JSON')
    .option('--host <name...>', 'only these hosts')
    .action(async (opts: { json?: boolean; host?: string[] }, cmd: Command) =>
      withClient(cmd, async (client) => {
        const observed = await client.call('hosts.refresh', opts.host ? { names: opts.host } : undefined);
        if (opts.json) return printJson(observed);
        for (const o of observed) {
          process.stdout.write(`${o.host}: ${statusOf(o)}\n`);
          for (const vm of o.vms) {
            const nics = vm.nics.filter((n) => n.attachment !== 'none').map((n) => `nic${n.slot}=${n.attachment}${n.network ? `:${n.network}` : ''}`);
            process.stdout.write(`  ${vm.name}  ${vm.state}  ${vm.cpus ?? '?'} CPU  ${vm.memoryMb ?? '?'} MB  ${nics.join(' ')}\n`);
          }
        }
        if (observed.some((o) => !o.reachable || o.error)) process.exitCode = 1;
      }),
    );
}
