/**
 * The lab: a LAN bridge with a DHCP server, a "laptop" and N Linux "VirtualBox hosts", each a network
 * namespace running a real OpenSSH server, all on this one machine and reachable only from inside the lab.
 * `labUp` is idempotent (it observes what is there and makes only what is missing), `labDown` finds
 * everything by name, so it also cleans up after a crash.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { chmod, mkdir, readFile, readdir, rm, rmdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { DcodError, withContext } from '../../src/errors';
import { writeFileAtomic } from '../../src/fsx/atomic';
import { avahiHostName, renderAvahiConfig, renderSshService } from './avahi-files';
import { dnsmasqArgv } from './dnsmasq';
import { hostScript, lanPortsScript, lanScript, laptopScript, linkDelScript, netnsAddScript } from './ip-batch';
import { LabInfoSchema, renderHostsYaml, simConfig, type LabInfo } from './lab-info';
import { LAB_DIR_ENV, endProcesses, isRunningIn, labNamespaces, netnsPath, orphanDaemons, pidsInNamespaces, readPidFile, removeNamespaces } from './netns';
import {
  DEFAULT_LAB,
  LAB_ROOT,
  LAB_USER,
  hostPaths,
  isGuestOf,
  labDir,
  labPaths,
  lanNetns,
  laptopNetns,
  planLab,
  validateLabName,
  type HostPlan,
  type LabOptions,
  type LabPlan,
} from './plan';
import { run } from './run';
import { buildSimulator } from './vboxsim/build';
import { knownHostsLine, labGroup, labPasswd, labShadow, renderSshdConfig, sshFingerprint } from './sshd-files';

export type { LabInfo, LabHost } from './lab-info';

const SSH_READY_TIMEOUT_MS = 15_000;
/** avahi probes its names (RFC 6762 §8.1) before it announces them: under a second when nothing clashes. */
const AVAHI_READY_TIMEOUT_MS = 10_000;
const AVAHI_DAEMON = '/usr/sbin/avahi-daemon';
/** What daemons start with, and the sessions' PATH after `<dir>/bin` on VirtualBox hosts. */
const DAEMON_ENV = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C' };
const WAIT_SSH = fileURLToPath(new URL('./wait-ssh.mjs', import.meta.url));

/** lab.json of a lab, or null if it has none (never brought up, down, or crashed before writing it). */
export function readLabInfo(name: string): LabInfo | null {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(labPaths(labDir(name)).labJson, 'utf8'));
  } catch {
    return null;
  }
  const parsed = LabInfoSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

export async function labUp(opts: LabOptions = {}): Promise<LabInfo> {
  const name = validateLabName(opts.name ?? DEFAULT_LAB);
  try {
    const previous = readLabInfo(name);
    if (previous && opts.cidr !== undefined && opts.cidr !== previous.cidr) {
      throw new DcodError('INVALID_STATE', `lab ${name} is up on ${previous.cidr}, not ${opts.cidr}: take it down first`);
    }
    return await bringUp(planLab({ ...opts, name, cidr: opts.cidr ?? previous?.cidr }), previous);
  } catch (err) {
    throw withContext(`bringing lab ${name} up`, err);
  }
}

export async function labDown(name: string = DEFAULT_LAB): Promise<void> {
  try {
    const dir = labDir(name);
    await endProcesses(() => orphanDaemons(dir, []));
    await removeNamespaces(labNamespaces(name));
    await rm(dir, { recursive: true, force: true });
    // The last lab down takes the shared parent folder with it (rmdir refuses while another lab lives).
    await rmdir(LAB_ROOT).catch(() => undefined);
  } catch (err) {
    throw withContext(`taking lab ${name} down`, err);
  }
}

export interface LabStatus {
  readonly name: string;
  readonly dir: string;
  /** lab.json is there and every namespace and daemon it names is running. */
  readonly up: boolean;
  readonly info: LabInfo | null;
  readonly namespaces: readonly string[];
  /** What is missing or dead, in words; empty when up. */
  readonly problems: readonly string[];
}

export function labStatus(name: string = DEFAULT_LAB): LabStatus {
  const dir = labDir(name);
  const info = readLabInfo(name);
  const namespaces = labNamespaces(name);
  const present = new Set(namespaces);
  const problems: string[] = [];
  if (!info) {
    problems.push(namespaces.length > 0 ? `no lab.json, but ${namespaces.length} namespaces are left: run down` : 'no lab.json: never brought up, or taken down');
  } else {
    const lan = lanNetns(name);
    for (const ns of [lan, info.laptop.netns, ...info.hosts.map((h) => h.netns)]) {
      if (!present.has(ns)) problems.push(`namespace ${ns} is missing`);
    }
    if (!isRunningIn(readPidFile(labPaths(dir).dnsmasqPid), lan, 'dnsmasq')) problems.push('dnsmasq (LAN DHCP) is not running');
    for (const h of info.hosts) {
      if (!isRunningIn(readPidFile(hostPaths(dir, h.name).pidFile), h.netns, 'sshd')) problems.push(`sshd on ${h.name} is not running`);
      if (h.mdnsName !== undefined && !avahiRuns(dir, h)) problems.push(`avahi-daemon on ${h.name} is not running`);
    }
  }
  return { name, dir, up: info !== null && problems.length === 0, info, namespaces, problems };
}

/** Runs argv in the lab's laptop (network namespace only, so it shares the machine's mounts); its exit code. */
export async function labExec(name: string, argv: readonly string[]): Promise<number> {
  const laptop = laptopNetns(validateLabName(name));
  if (!existsSync(netnsPath(laptop))) throw new DcodError('INVALID_STATE', `lab ${name} is not up (no ${laptop}): run \`npm run lab -- up\``);
  const child = spawn('nsenter', [`--net=${netnsPath(laptop)}`, '--', ...argv], { stdio: 'inherit', env: { ...process.env, DCOD_LAB: name } });
  return new Promise((resolve, reject) => {
    child.on('error', (err) => reject(new DcodError('COMMAND_FAILED', `nsenter: ${err.message}`, { cause: err })));
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

// ---------------------------------------------------------------------------------------------------------

async function bringUp(plan: LabPlan, previous: LabInfo | null): Promise<LabInfo> {
  const paths = labPaths(plan.dir);
  // Namespaces without lab.json are what a crashed `up` or a lost state dir leaves: start clean.
  if (!previous) await labDown(plan.name);

  const existing = new Set(labNamespaces(plan.name));
  await endProcesses(() => orphanDaemons(plan.dir, [...existing]));
  const lanOk = existing.has(plan.lanNetns) && isRunningIn(readPidFile(paths.dnsmasqPid), plan.lanNetns, 'dnsmasq');
  const stale = [...existing].filter((ns) => !lanOk || !keep(plan, existing, ns));
  await removeNamespaces(stale);
  for (const ns of stale) existing.delete(ns);

  await prepareDirs(plan);
  const [secrets] = await Promise.all([ensureSecrets(plan, previous), wire(plan, existing), installSimulator(plan)]);
  const dnsmasqPid = lanOk ? readPidFile(paths.dnsmasqPid) : await startDnsmasq(plan);
  const rootMountNs = `/proc/${dnsmasqPid}/ns/mnt`;

  const accounts = await readSystemAccounts();
  await Promise.all(plan.hosts.map((h) => writeHostFiles(plan, h, secrets, accounts, rootMountNs)));
  await Promise.all(plan.hosts.filter((h) => !existing.has(h.netns)).map((h) => startSshd(plan, h)));
  await waitForSsh(plan);
  await syncAvahi(plan);

  const info: LabInfo = {
    name: plan.name,
    dir: plan.dir,
    cidr: plan.cidr,
    gateway: plan.gateway,
    laptop: { netns: plan.laptop.netns, address: plan.laptop.address },
    user: LAB_USER,
    password: secrets.password,
    keyPath: paths.key,
    hosts: plan.hosts.map((h) => ({
      name: h.name,
      netns: h.netns,
      address: h.address,
      port: 22,
      kind: h.kind,
      hostKeyFingerprint: sshFingerprint(secrets.hostKeys.get(h.name) ?? ''),
      ...(plan.mdns ? { mdnsName: `${avahiHostName(plan.name, h.name)}.local` } : {}),
    })),
  };
  await Promise.all([
    writeFile(paths.knownHosts, plan.hosts.map((h) => `${knownHostsLine(h.address, secrets.hostKeys.get(h.name) ?? '')}\n`).join('')),
    writeFile(paths.hostsYaml, renderHostsYaml(info)),
  ]);
  // lab.json last and atomically: its presence is what says the lab is up.
  await writeFileAtomic(paths.labJson, `${JSON.stringify(info, null, 2)}\n`);
  return info;
}

function sshdRuns(plan: LabPlan, host: HostPlan): boolean {
  return isRunningIn(readPidFile(hostPaths(plan.dir, host.name).pidFile), host.netns, 'sshd');
}

/**
 * Whether an existing namespace stays when the LAN is healthy. A planned host stays while its sshd runs
 * (otherwise it is rebuilt from nothing, which also repairs a half-wired one), and its guests with it;
 * hosts beyond the wanted count go, with their guests.
 */
function keep(plan: LabPlan, existing: ReadonlySet<string>, ns: string): boolean {
  if (ns === plan.lanNetns || ns === plan.laptop.netns) return true;
  const host = plan.hosts.find((h) => h.netns === ns || (existing.has(h.netns) && isGuestOf(plan.name, h.name, ns)));
  return host !== undefined && sshdRuns(plan, host);
}

async function prepareDirs(plan: LabPlan): Promise<void> {
  await mkdir(LAB_ROOT, { recursive: true, mode: 0o755 });
  await mkdir(plan.dir, { recursive: true, mode: 0o755 });
  await Promise.all([
    mkdir(`${plan.dir}/keys`, { recursive: true, mode: 0o700 }),
    mkdir(labPaths(plan.dir).bin, { recursive: true, mode: 0o755 }),
    ...plan.hosts.flatMap((h) => {
      const p = hostPaths(plan.dir, h.name);
      return [mkdir(`${p.root}/etc`, { recursive: true }), mkdir(p.home, { recursive: true }), mkdir(p.vboxState, { recursive: true })];
    }),
    removeUnplannedHostDirs(plan),
    // WARNING: the one thing outside the lab's own files. OpenSSH refuses to start without its privilege
    // separation directory, which Debian's openssh-server makes at boot only when its service is enabled.
    mkdir('/run/sshd', { recursive: true, mode: 0o755 }),
  ]);
}

async function removeUnplannedHostDirs(plan: LabPlan): Promise<void> {
  const planned = new Set(plan.hosts.map((h) => h.name));
  const dirs = await readdir(`${plan.dir}/hosts`).catch(() => [] as string[]);
  await Promise.all(dirs.filter((d) => !planned.has(d)).map((d) => rm(`${plan.dir}/hosts/${d}`, { recursive: true, force: true })));
}

interface Secrets {
  readonly password: string;
  readonly passwordHash: string;
  /** Each host's public host key line, by host name. */
  readonly hostKeys: ReadonlyMap<string, string>;
}

/** One ed25519 key pair, made unless it is already there (so host keys survive a repeated `up`). */
async function ensureKey(file: string, comment: string): Promise<string> {
  if (!existsSync(file) || !existsSync(`${file}.pub`)) {
    await Promise.all([rm(file, { force: true }), rm(`${file}.pub`, { force: true })]);
    await run(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file]);
  }
  return (await readFile(`${file}.pub`, 'utf8')).trim();
}

async function ensureSecrets(plan: LabPlan, previous: LabInfo | null): Promise<Secrets> {
  const paths = labPaths(plan.dir);
  const password = previous?.password ?? randomBytes(12).toString('base64url');
  const [labKey, passwordHash, ...hostKeys] = await Promise.all([
    ensureKey(paths.key, `dcod-lab-${plan.name}`),
    run(['openssl', 'passwd', '-6', '-stdin'], { input: `${password}\n` }).then((r) => r.stdout.trim()),
    ...plan.hosts.map((h) => ensureKey(hostPaths(plan.dir, h.name).hostKey, `dcod-lab-${plan.name}-${h.name}`)),
  ]);
  await writeFile(paths.authorizedKeys, `${labKey}\n`, { mode: 0o600 });
  return { password, passwordHash, hostKeys: new Map(plan.hosts.map((h, i) => [h.name, hostKeys[i] ?? ''])) };
}

/** The names of the links in a namespace. */
async function linkNames(netns: string): Promise<Set<string>> {
  const { stdout } = await run(['ip', '-n', netns, '-j', 'link', 'show']);
  return new Set((JSON.parse(stdout) as { ifname: string }[]).map((l) => l.ifname));
}

/**
 * Creates the namespaces that are missing and wires them to the LAN: one `ip -batch` per namespace. A
 * half-made namespace is worse than none (the next `up` would trust it), so on failure the new ones go.
 */
async function wire(plan: LabPlan, existing: ReadonlySet<string>): Promise<void> {
  const lanIsNew = !existing.has(plan.lanNetns);
  const newHosts = plan.hosts.filter((h) => !existing.has(h.netns));
  const newLaptop = !existing.has(plan.laptop.netns);
  const newNodes = [...(newLaptop ? [plan.laptop] : []), ...newHosts];
  const added = [...(lanIsNew ? [plan.lanNetns] : []), ...newNodes.map((n) => n.netns)];
  if (added.length === 0) return;
  // A LAN port left by a node namespace that is gone but still held open (by a process that was killed
  // only just now, say) would clash with the new one: delete it, and with it its far end.
  const ports = lanIsNew ? new Set<string>() : await linkNames(plan.lanNetns);
  const leftovers = newNodes.map((n) => n.lanPort).filter((p) => ports.has(p));
  await run(['ip', '-batch', '-'], { input: netnsAddScript(added) });
  try {
    await run(['ip', '-n', plan.lanNetns, '-batch', '-'], { input: (lanIsNew ? lanScript(plan) : linkDelScript(leftovers)) + lanPortsScript(newNodes) });
    await Promise.all([
      ...(newLaptop ? [run(['ip', '-n', plan.laptop.netns, '-batch', '-'], { input: laptopScript(plan.laptop, plan.gateway) })] : []),
      ...newHosts.map((h) => run(['ip', '-n', h.netns, '-batch', '-'], { input: hostScript(h, plan.gateway) })),
    ]);
  } catch (err) {
    await removeNamespaces(added);
    throw err;
  }
}

/** `<dir>/bin/VBoxManage`: a shell wrapper around the simulator bundle, built fresh from its sources. */
async function installSimulator(plan: LabPlan): Promise<void> {
  const paths = labPaths(plan.dir);
  await buildSimulator(paths.simulator).catch((err: unknown) => {
    throw withContext('building the VBoxManage simulator (e2e/lab/vboxsim)', err);
  });
  await writeFile(paths.vboxManage, `#!/bin/sh\nexec ${process.execPath} ${paths.simulator} "$@"\n`);
  await chmod(paths.vboxManage, 0o755);
}

interface SystemAccounts {
  readonly passwd: string;
  readonly shadow: string;
  readonly group: string;
}

/** The machine's account files, only ever read: each host gets copies with the lab user added. */
async function readSystemAccounts(): Promise<SystemAccounts> {
  const [passwd, shadow, group] = await Promise.all(['/etc/passwd', '/etc/shadow', '/etc/group'].map((f) => readFile(f, 'utf8')));
  return { passwd: passwd ?? '', shadow: shadow ?? '', group: group ?? '' };
}

async function writeHostFiles(plan: LabPlan, host: HostPlan, secrets: Secrets, accounts: SystemAccounts, rootMountNs: string): Promise<void> {
  const paths = labPaths(plan.dir);
  const p = hostPaths(plan.dir, host.name);
  await Promise.all([
    writeFile(p.passwd, labPasswd(accounts.passwd, p.home)),
    writeFile(p.shadow, labShadow(accounts.shadow, secrets.passwordHash), { mode: 0o600 }),
    writeFile(p.group, labGroup(accounts.group)),
    writeFile(p.simConfig, `${JSON.stringify(simConfig(plan.name, host.name, p.vboxState, rootMountNs), null, 2)}\n`),
    writeFile(
      p.sshdConfig,
      renderSshdConfig({
        address: host.address,
        hostKey: p.hostKey,
        authorizedKeys: paths.authorizedKeys,
        pidFile: p.pidFile,
        env: {
          PATH: host.kind === 'virtualbox' ? `${paths.bin}:${DAEMON_ENV.PATH}` : DAEMON_ENV.PATH,
          LANG: 'C',
          DCOD_SIM_CONFIG: p.simConfig,
        },
      }),
    ),
  ]);
}

/** Starts a daemon detached from us (it outlives the CLI), its output appended to `log`; its pid. */
function startDetached(argv: readonly string[], log: string, env: NodeJS.ProcessEnv = DAEMON_ENV): number {
  const [file, ...args] = argv;
  const fd = openSync(log, 'a');
  try {
    const child = spawn(file ?? '', args, { detached: true, stdio: ['ignore', fd, fd], env });
    child.unref();
    if (child.pid === undefined) throw new DcodError('COMMAND_FAILED', `could not start ${file}`);
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

/**
 * dnsmasq in `L-lan`, entered with nsenter (network only), so it stays in the machine's mount namespace:
 * its /proc/<pid>/ns/mnt is the handle sim.json gives the simulator for making guest namespaces (pid 1's
 * is not readable on every machine). Returns its pid once it has written its pid file.
 */
async function startDnsmasq(plan: LabPlan): Promise<number> {
  const paths = labPaths(plan.dir);
  await rm(paths.dnsmasqPid, { force: true });
  startDetached(['nsenter', `--net=${netnsPath(plan.lanNetns)}`, '--', ...dnsmasqArgv(plan)], paths.dnsmasqLog);
  for (const deadline = Date.now() + 5000; Date.now() < deadline; await sleep(10)) {
    const pid = readPidFile(paths.dnsmasqPid);
    if (pid !== null && isRunningIn(pid, plan.lanNetns, 'dnsmasq')) return pid;
  }
  throw new DcodError('COMMAND_FAILED', `dnsmasq did not start in ${plan.lanNetns}: ${await tail(paths.dnsmasqLog)}`);
}

/**
 * sshd in the host's namespace, through `ip netns exec`, which gives it a private mount namespace whose
 * mounts are slaves of the machine's: the account copies bound over /etc there are seen by sshd and its
 * sessions only, never by the machine.
 */
async function startSshd(plan: LabPlan, host: HostPlan): Promise<void> {
  const p = hostPaths(plan.dir, host.name);
  await rm(p.pidFile, { force: true });
  const script = 'mount --bind "$1" /etc/passwd && mount --bind "$2" /etc/shadow && mount --bind "$3" /etc/group && exec /usr/sbin/sshd -D -f "$4" -E "$5"';
  startDetached(['ip', 'netns', 'exec', host.netns, '/bin/sh', '-c', script, 'sh', p.passwd, p.shadow, p.group, p.sshdConfig, p.log], p.log);
}

/**
 * Starts a host's sshd again after it died (the fault tests kill it), leaving the host's namespace and its
 * running guests as they are; `up` would rebuild such a host from nothing, like a reboot.
 */
export async function restartSshd(info: LabInfo, hostName: string): Promise<void> {
  const plan = planLab({ name: info.name, hosts: info.hosts.filter((h) => h.kind === 'virtualbox').length, plainHosts: info.hosts.filter((h) => h.kind === 'plain').length, cidr: info.cidr });
  const host = plan.hosts.find((h) => h.name === hostName);
  if (!host) throw new DcodError('NOT_FOUND', `lab ${info.name} has no host ${hostName}`);
  if (!sshdRuns(plan, host)) await startSshd(plan, host);
  await waitForSsh({ ...plan, hosts: [host] });
}

function avahiRuns(dir: string, host: { name: string; netns: string }): boolean {
  return isRunningIn(readPidFile(hostPaths(dir, host.name).avahiPid), host.netns, 'avahi-daemon');
}

/**
 * With `mdns`, starts avahi-daemon on every host where it is not running and waits until each has
 * announced its SSH service; without, stops any a previous `up --mdns` left running.
 */
async function syncAvahi(plan: LabPlan): Promise<void> {
  if (!plan.mdns) {
    const running = (h: HostPlan) => pidsInNamespaces([h.netns]).filter((pid) => isRunningIn(pid, h.netns, 'avahi-daemon'));
    await endProcesses(() => plan.hosts.flatMap(running));
    return;
  }
  if (!existsSync(AVAHI_DAEMON)) throw new DcodError('INVALID_STATE', `--mdns needs ${AVAHI_DAEMON}: apt-get install avahi-daemon`);
  const starting = plan.hosts.filter((h) => !avahiRuns(plan.dir, h));
  await Promise.all(starting.map((h) => startAvahi(plan, h)));
  await Promise.all(starting.map((h) => waitForAvahi(plan, h)));
}

/**
 * avahi-daemon in the host's namespace, through `ip netns exec` (a private mount namespace, as for sshd).
 * avahi has its paths built in, so lab folders are bound over them there: the host's own config over
 * /etc/avahi, and an empty folder over /run, where it makes /run/avahi-daemon for its pid file and socket.
 * It runs as root in the foreground, with no chroot, no D-Bus and no process title: the title would be
 * written over its environment, where LAB_DIR_ENV tells `down` whose daemon it is.
 * WARNING: without the /run bind, avahi would make /run/avahi-daemon on the machine itself.
 */
async function startAvahi(plan: LabPlan, host: HostPlan): Promise<void> {
  const p = hostPaths(plan.dir, host.name);
  await rm(p.avahiRun, { recursive: true, force: true });
  await Promise.all([mkdir(`${p.avahiEtc}/services`, { recursive: true }), mkdir(p.avahiRun, { recursive: true }), rm(p.avahiLog, { force: true })]);
  await Promise.all([
    writeFile(`${p.avahiEtc}/avahi-daemon.conf`, renderAvahiConfig(avahiHostName(plan.name, host.name))),
    writeFile(`${p.avahiEtc}/services/ssh.service`, renderSshService(22)),
    writeFile(`${p.avahiEtc}/hosts`, ''),
  ]);
  const script = `mount --bind "$1" /etc/avahi && mount --bind "$2" /run && exec ${AVAHI_DAEMON} --no-drop-root --no-chroot --no-proc-title --no-rlimits`;
  startDetached(['ip', 'netns', 'exec', host.netns, '/bin/sh', '-c', script, 'sh', p.avahiEtc, p.avahiRun], p.avahiLog, { ...DAEMON_ENV, [LAB_DIR_ENV]: plan.dir });
}

/** Waits for avahi's own word that the host's SSH service is announced (its log is fresh for each start). */
async function waitForAvahi(plan: LabPlan, host: HostPlan): Promise<void> {
  const p = hostPaths(plan.dir, host.name);
  for (const deadline = Date.now() + AVAHI_READY_TIMEOUT_MS; Date.now() < deadline; await sleep(50)) {
    const log = await readFile(p.avahiLog, 'utf8').catch(() => '');
    if (/ssh\.service\) successfully established/.test(log) && avahiRuns(plan.dir, host)) return;
  }
  throw new DcodError('TIMEOUT', `avahi-daemon on ${host.name} did not announce SSH within ${AVAHI_READY_TIMEOUT_MS} ms: ${await tail(p.avahiLog)}`);
}

/** Waits until every host's sshd answers with a banner over the LAN, as seen from the laptop. */
async function waitForSsh(plan: LabPlan): Promise<void> {
  const argv = ['nsenter', `--net=${netnsPath(plan.laptop.netns)}`, '--', process.execPath, WAIT_SSH, String(SSH_READY_TIMEOUT_MS), ...plan.hosts.map((h) => h.address)];
  const result = await run(argv, { allowFailure: true });
  if (result.code === 0) return;
  const logs = await Promise.all(plan.hosts.map(async (h) => `${h.name}: ${await tail(hostPaths(plan.dir, h.name).log)}`));
  throw new DcodError('TIMEOUT', `sshd did not come up: ${result.stderr.trim()}\n${logs.join('\n')}`);
}

async function tail(file: string): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trim().split('\n').slice(-5).join('\n') || '(empty log)';
}
