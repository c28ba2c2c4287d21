// For unit tests: a simulator in a temporary directory, run in-process, with predictable UUIDs and
// clock, a fixed host and the inert runtime (no namespaces). Also reads the shared captures.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runVBoxManage, type RunResult } from './cli';
import { parseConfig } from './config';
import type { HostProbe } from './host';
import type { HostInfo, HostInterface } from './list';
import { inertRuntime, type VmRuntime } from './runtime/runtime';

export const FIXTURES = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../shared/fixtures/vboxmanage');

/** A capture with Windows line endings turned into LF (the simulator is a Linux host). */
export function fixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8').replace(/\r\n/g, '\n');
}

export const LAB_BRIDGE: HostInterface = {
  name: 'br0', mac: '02:00:c6:12:00:0b', up: true, ipv4: '198.18.0.11', netmask: '255.255.255.0', ipv6: '', ipv6Prefix: 0, wireless: false,
};

export interface SimOptions {
  /** UUIDs handed out in order before falling back to a counter. */
  uuids?: string[];
  /** The clock (ms since the epoch). */
  now?: number;
  version?: string;
  revision?: number;
  hostInterfaces?: HostInterface[];
  hostInfo?: HostInfo;
  runtime?: VmRuntime;
}

export interface Sim {
  readonly dir: string;
  /** Temp path standing in for a user's home (default machine folder is home/VirtualBox VMs). */
  readonly home: string;
  run(...args: string[]): RunResult;
  /** Runs and throws unless the exit code is 0 (for building state). */
  ok(...args: string[]): RunResult;
  setClock(ms: number): void;
  pushUuids(...uuids: string[]): void;
  cleanup(): void;
}

export function newSim(o: SimOptions = {}): Sim {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vboxsim-'));
  const home = path.join(dir, 'home');
  fs.mkdirSync(home);
  const config = parseConfig({ stateDir: path.join(dir, 'state'), home, version: o.version, revision: o.revision }, {});
  const uuids = [...(o.uuids ?? [])];
  let counter = 0;
  let now = o.now ?? Date.UTC(2024, 0, 2, 3, 4, 5, 678);
  const host: HostProbe = {
    bridgedInterfaces: () => o.hostInterfaces ?? [LAB_BRIDGE],
    hostInfo: () =>
      o.hostInfo ?? {
        timeMs: now,
        cpus: 8,
        cpuDescription: 'Intel(R) Xeon(R) CPU',
        cpuSpeed: 0,
        memoryMB: 32768,
        memoryAvailableMB: 30000,
        osName: 'Linux',
        osVersion: '6.1.0-18-amd64',
        features: [true, true, true, true, true, true, false],
      },
  };
  const deps = {
    config,
    host,
    runtime: o.runtime ?? inertRuntime('dcod-h1-'),
    now: () => now,
    uuid: () => uuids.shift() ?? `00000000-0000-4000-8000-${(++counter).toString(16).padStart(12, '0')}`,
  };
  const run = (...args: string[]) => runVBoxManage(args, deps);
  return {
    dir,
    home,
    run,
    ok(...args) {
      const r = run(...args);
      if (r.code !== 0) throw new Error(`VBoxManage ${args.join(' ')} failed (${r.code}):\n${r.stderr}`);
      return r;
    },
    setClock(ms) {
      now = ms;
    },
    pushUuids(...more) {
      uuids.push(...more);
    },
    cleanup() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
