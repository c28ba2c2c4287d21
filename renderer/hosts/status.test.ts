import { describe, expect, it } from 'vitest';
import type { ErrorInfo, HostView, ObservedHost } from '../../src/api/contract';
import { cpuGauge, errorText, formatMb, hostStatus, memoryGauge, probeFacts, probeStatus, hasProxy } from './status';

const host = { name: 'h1', address: '10.0.0.11', port: 22, os: 'linux', user: 'dcod', auth: { method: 'agent' } } as const;
const err = (code: ErrorInfo['code'], message: string, context: string[] = []): ErrorInfo => ({ code, message, retryable: false, context });

function observed(over: Partial<ObservedHost> = {}): ObservedHost {
  return {
    host: 'h1',
    reachable: true,
    vbox: { version: '7.0.6', major: 7, minor: 0, patch: 6 },
    hostInfo: { processorCount: 8, memorySizeMb: 32768, memoryAvailableMb: 24576 },
    bridgedInterfaces: [],
    internalNetworks: [],
    vms: [],
    warnings: [],
    observedAt: '2026-01-01T00:00:00.000Z',
    ...over,
  };
}

const vm = (name: string, state: 'running' | 'poweroff', cpus?: number) =>
  ({ name, state, cpus, uuid: name, groups: [], nics: [], storageControllers: [], storageAttachments: [], snapshots: [], guestAdditions: { facilities: [] }, raw: {}, extraData: {}, guestProperties: {} }) as unknown as ObservedHost['vms'][number];

const view = (over: Partial<HostView> = {}): HostView => ({ host, ...over });

describe('hostStatus', () => {
  it('says a host that was never read is not read yet', () => {
    expect(hostStatus(view())).toMatchObject({ tone: 'idle', label: 'Not read yet' });
  });

  it('names the VirtualBox version of a readable host', () => {
    expect(hostStatus(view({ observed: observed() }))).toEqual({ tone: 'ok', label: 'VirtualBox 7.0.6' });
  });

  it('tells SSH without VirtualBox apart from an unreachable host, with the error and its context', () => {
    expect(hostStatus(view({ observed: observed({ vbox: null }) })).label).toBe('SSH, no VirtualBox');
    const down = hostStatus(view({ observed: observed({ reachable: false, vbox: null, error: err('HOST_UNREACHABLE', 'connection refused', ['host h1']) }) }));
    expect(down).toEqual({ tone: 'error', label: 'Unreachable', detail: 'host h1: connection refused' });
  });

  it('puts a pending host key first, and calls a changed one an error', () => {
    const unknown = view({ pendingHostKey: 'SHA256:x', observed: observed({ reachable: false, vbox: null, error: err('HOST_KEY_UNKNOWN', 'not pinned') }) });
    expect(hostStatus(unknown)).toMatchObject({ tone: 'warn', label: 'Host key not accepted yet' });
    const changed = view({ pendingHostKey: 'SHA256:x', observed: observed({ reachable: false, vbox: null, error: err('HOST_KEY_CHANGED', 'intercepted?') }) });
    expect(hostStatus(changed)).toMatchObject({ tone: 'error', label: 'Host key CHANGED', detail: 'intercepted?' });
  });

  it('reports a host it got into but could not read', () => {
    expect(hostStatus(view({ observed: observed({ error: err('VBOX_ERROR', 'boom') }) }))).toMatchObject({ tone: 'error', label: 'Could not read it' });
  });
});

describe('figures', () => {
  it('formats megabytes, and a missing figure as "?"', () => {
    expect([formatMb(undefined), formatMb(512), formatMb(3584), formatMb(32768)]).toEqual(['?', '512 MB', '3.5 GiB', '32 GiB']);
  });

  it('takes memory used as total minus available', () => {
    expect(memoryGauge(32768, 24576)).toEqual({ used: 8192, total: 32768, fraction: 0.25, text: '8 GiB / 32 GiB' });
    expect(memoryGauge(undefined, undefined)).toEqual({ text: '? / ?' });
    expect(memoryGauge(4096, undefined)).toEqual({ total: 4096, text: '? / 4 GiB' });
  });

  it('counts the vCPUs of running VMs against the host CPUs', () => {
    expect(cpuGauge(observed({ vms: [vm('a', 'running', 2), vm('b', 'poweroff', 4), vm('c', 'running')] }))).toEqual({ used: 3, total: 8, fraction: 0.375, text: '8 CPUs · 3 vCPU running' });
    expect(cpuGauge(observed({ hostInfo: {} })).text).toBe('? CPUs');
  });

  it('sees the DCoD proxy VM by its name', () => {
    expect(hasProxy(observed({ vms: [vm('web', 'running')] }))).toBe(false);
    expect(hasProxy(observed({ vms: [vm('dcod-proxy-lab1', 'running')] }))).toBe(true); // whichever datacenter's
  });
});

describe('probeStatus', () => {
  const candidate = { address: '10.0.0.11', port: 22, os: 'linux', source: 'sweep', banner: 'SSH-2.0-OpenSSH_9.2p1 Debian' } as const;

  it('says "checking" while credentials are being tried, and what a bare SSH server lacks otherwise', () => {
    expect(probeStatus(candidate, true).label).toBe('Checking…');
    expect(probeStatus(candidate, false).label).toBe('SSH server');
  });

  it('describes each probe outcome', () => {
    const vbox = { status: 'virtualbox', version: '7.0.6', cpus: 8, memoryMb: 32768, memoryAvailableMb: 16384, vmCount: 2, proxyPresent: true } as const;
    expect(probeStatus({ ...candidate, probe: vbox }, false)).toEqual({ tone: 'ok', label: 'VirtualBox 7.0.6' });
    expect(probeFacts(vbox)).toBe('8 CPUs · RAM 16 GiB / 32 GiB · 2 VMs · dcod-proxy present');
    expect(probeFacts({ status: 'virtualbox', version: '7.0.6', vmCount: 1, proxyPresent: false })).toBe('? CPUs · RAM ? / ? · 1 VM · no dcod-proxy');
    expect(probeStatus({ ...candidate, probe: { status: 'no-virtualbox' } }, false)).toEqual({ tone: 'warn', label: 'SSH, no VirtualBox' });
    expect(probeStatus({ ...candidate, probe: { status: 'failed', error: err('AUTH_FAILED', 'wrong password') } }, false)).toEqual({ tone: 'error', label: 'Login failed', detail: 'wrong password' });
  });

  it('joins an error with its context', () => {
    expect(errorText(err('TIMEOUT', 'no answer', ['refresh', 'host h1']))).toBe('refresh: host h1: no answer');
  });
});
