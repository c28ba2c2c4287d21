/**
 * What a running lab tells its users: lab.json (read by tests and `status`), hosts.yaml (DCoD's import
 * format) and each host's sim.json (read by the VirtualBox simulator). Pure: schemas and renderers.
 */
import { stringify } from 'yaml';
import { z } from 'zod';
import { HOST_BRIDGE, HOST_LAN_IF, netnsPrefix } from './plan';
import type { SimConfig } from './vboxsim/config';

export const LabHostSchema = z.object({
  name: z.string(),
  netns: z.string(),
  address: z.string(),
  port: z.number().int(),
  kind: z.enum(['virtualbox', 'plain']),
  hostKeyFingerprint: z.string(),
  /** The name avahi-daemon announces (`L-h1.local`); only in a lab brought up with `--mdns`. */
  mdnsName: z.string().optional(),
});
export type LabHost = z.infer<typeof LabHostSchema>;

export const LabInfoSchema = z.object({
  name: z.string(),
  dir: z.string(),
  cidr: z.string(),
  gateway: z.string(),
  laptop: z.object({ netns: z.string(), address: z.string() }),
  user: z.string(),
  password: z.string(),
  keyPath: z.string(),
  hosts: z.array(LabHostSchema),
});
export type LabInfo = z.infer<typeof LabInfoSchema>;

/** hosts.yaml as the app imports it: every value a string. */
export function renderHostsYaml(info: LabInfo): string {
  const hosts = Object.fromEntries(info.hosts.map((h) => [h.address, { os: 'linux', user: info.user, password: info.password }]));
  return stringify({ hosts });
}

/** sim.json: the simulator's config less what it defaults itself (its version, revision and home). */
export type SimFile = Omit<SimConfig, 'version' | 'revision' | 'home'>;

/** The simulated host: a roomy Linux box (8 CPUs, 32 GiB), its guests named `L-<host>-…`. */
export function simConfig(lab: string, host: string, stateDir: string, rootMountNs: string): SimFile {
  return {
    lab,
    host,
    stateDir,
    lanBridge: HOST_BRIDGE,
    lanIf: HOST_LAN_IF,
    netnsPrefix: `${netnsPrefix(lab)}${host}-`,
    cpus: 8,
    memoryMB: 32768,
    os: 'linux',
    hostname: host,
    rootMountNs,
  };
}
