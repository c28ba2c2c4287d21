// sim.json: what the lab tells the simulator about the host it stands in for (see the lab interface).
import fs from 'node:fs';

export interface SimConfig {
  readonly lab: string;
  readonly host: string;
  /** Where VBoxSVC's state lives for this host (machines, media registry, lock). */
  readonly stateDir: string;
  /** The host's LAN bridge; VirtualBox "bridged" adapters plug into it. */
  readonly lanBridge: string;
  /** The host's physical NIC (enslaved to lanBridge). */
  readonly lanIf: string;
  /** Guest namespaces are named prefix + 8 hex digits of the VM UUID. */
  readonly netnsPrefix: string;
  readonly cpus: number;
  readonly memoryMB: number;
  readonly os: string;
  readonly hostname: string;
  /** Mount namespace in which `ip netns add/del` must run to be visible to everyone. */
  readonly rootMountNs: string;
  /** `--version` output without the revision, e.g. "7.0.6". */
  readonly version: string;
  /** Build revision printed after "r". */
  readonly revision: number;
  /** The host user's home; "VirtualBox VMs" below it is the default machine folder. */
  readonly home: string;
}

const DEFAULT_VERSION = '7.0.6';
/** The revision of the 7.0.6 release (matches the 7.0.6 captures' build). */
const DEFAULT_REVISION = 155176;

export function parseConfig(raw: unknown, env: NodeJS.ProcessEnv): SimConfig {
  const o = (raw ?? {}) as Record<string, unknown>;
  const str = (k: string, d: string) => (typeof o[k] === 'string' ? (o[k] as string) : d);
  const num = (k: string, d: number) => (typeof o[k] === 'number' ? (o[k] as number) : d);
  const stateDir = str('stateDir', '');
  if (!stateDir) throw new Error('vboxsim: sim.json has no "stateDir"');
  return {
    lab: str('lab', 'dcod'),
    host: str('host', 'h1'),
    stateDir,
    lanBridge: str('lanBridge', 'br0'),
    lanIf: str('lanIf', 'eno1'),
    netnsPrefix: str('netnsPrefix', 'dcod-h1-'),
    cpus: num('cpus', 8),
    memoryMB: num('memoryMB', 32768),
    os: str('os', 'linux'),
    hostname: str('hostname', 'h1'),
    rootMountNs: str('rootMountNs', '/proc/1/ns/mnt'),
    version: str('version', DEFAULT_VERSION),
    revision: num('revision', DEFAULT_REVISION),
    home: str('home', env.HOME ?? '/root'),
  };
}

/** Reads the file named by DCOD_SIM_CONFIG. */
export function loadConfig(env: NodeJS.ProcessEnv): SimConfig {
  const file = env.DCOD_SIM_CONFIG;
  if (!file) throw new Error('vboxsim: DCOD_SIM_CONFIG is not set');
  return parseConfig(JSON.parse(fs.readFileSync(file, 'utf8')), env);
}
