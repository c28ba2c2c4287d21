/**
 * What the Hosts panel and the Discover dialog say about a host, as pure functions of what the core
 * reported, so every wording and every "?" for a missing figure is decided (and tested) in one place.
 */
import { isProxyVmName, type Candidate, type ErrorInfo, type HostView, type ObservedHost } from '../../src/api/contract';

/** How a status is coloured: ok (green), warn (amber), error (red), idle (not known yet). */
export type Tone = 'ok' | 'warn' | 'error' | 'idle';

export interface StatusLine {
  readonly tone: Tone;
  readonly label: string;
  /** The longer story (an error with its context); shown under the label. */
  readonly detail?: string;
}

export type ProbeResult = NonNullable<Candidate['probe']>;

/** An error as a person reads it: its context, outermost first, then the message. */
export function errorText(error: ErrorInfo): string {
  return [...error.context, error.message].join(': ');
}

/** The line under a host's name. A pending host key outranks everything: nothing works until it is settled. */
export function hostStatus(view: HostView): StatusLine {
  const o = view.observed;
  if (view.pendingHostKey) {
    return o?.error?.code === 'HOST_KEY_CHANGED'
      ? { tone: 'error', label: 'Host key CHANGED', detail: errorText(o.error) }
      : { tone: 'warn', label: 'Host key not accepted yet' };
  }
  if (!o) return { tone: 'idle', label: 'Not read yet', detail: 'Refresh to connect to it.' };
  if (o.error && !o.reachable) return { tone: 'error', label: 'Unreachable', detail: errorText(o.error) };
  if (o.error) return { tone: 'error', label: 'Could not read it', detail: errorText(o.error) };
  if (!o.vbox) return { tone: 'warn', label: 'SSH, no VirtualBox', detail: 'SSH works, but VBoxManage is not on this host.' };
  return { tone: 'ok', label: `VirtualBox ${o.vbox.version}` };
}

/** A discovered candidate's status: what logging in found, or why it could not. */
export function probeStatus(candidate: Candidate, probing: boolean): StatusLine {
  const p = candidate.probe;
  if (!p) {
    return probing ? { tone: 'idle', label: 'Checking…' } : { tone: 'idle', label: 'SSH server', detail: 'Give a user and credentials to look inside.' };
  }
  switch (p.status) {
    case 'virtualbox':
      return { tone: 'ok', label: `VirtualBox ${p.version}` };
    case 'no-virtualbox':
      return { tone: 'warn', label: 'SSH, no VirtualBox' };
    case 'failed':
      return { tone: 'error', label: p.error.code === 'AUTH_FAILED' ? 'Login failed' : 'Failed', detail: errorText(p.error) };
  }
}

/** Megabytes as a person reads them: `512 MB`, `3.5 GiB`, `32 GiB`; `?` when unknown. */
export function formatMb(mb: number | undefined): string {
  if (mb === undefined || !Number.isFinite(mb)) return '?';
  if (mb < 1024) return `${Math.round(mb)} MB`;
  const gib = mb / 1024;
  return `${gib >= 10 ? Math.round(gib) : Number(gib.toFixed(1))} GiB`;
}

/** A used/total pair for a small bar; `used`/`total` are undefined when the host didn't say. */
export interface Gauge {
  readonly used?: number;
  readonly total?: number;
  /** 0..1, or undefined when either figure is missing. */
  readonly fraction?: number;
  readonly text: string;
}

function gauge(used: number | undefined, total: number | undefined, text: string): Gauge {
  const fraction = used === undefined || total === undefined || total <= 0 ? undefined : Math.min(1, Math.max(0, used / total));
  return { ...(used === undefined ? {} : { used }), ...(total === undefined ? {} : { total }), ...(fraction === undefined ? {} : { fraction }), text };
}

/** Memory used (total − available) of total. */
export function memoryGauge(totalMb: number | undefined, availableMb: number | undefined): Gauge {
  const used = totalMb === undefined || availableMb === undefined ? undefined : Math.max(0, totalMb - availableMb);
  return gauge(used, totalMb, `${formatMb(used)} / ${formatMb(totalMb)}`);
}

/** The host's CPUs, and how many virtual CPUs its running VMs hold of them. */
export function cpuGauge(observed: ObservedHost): Gauge {
  const total = observed.hostInfo?.processorCount;
  const used = observed.vms.filter((vm) => vm.state === 'running' || vm.state === 'paused').reduce((sum, vm) => sum + (vm.cpus ?? 1), 0);
  const count = total === undefined ? '? CPUs' : `${total} CPU${total === 1 ? '' : 's'}`;
  return gauge(used, total, used ? `${count} · ${used} vCPU running` : count);
}

export function hasProxy(observed: ObservedHost): boolean {
  return observed.vms.some((vm) => isProxyVmName(vm.name));
}

/** `3 VMs · proxy` — what is on a host, from an observation or a probe. */
export function vmSummary(vmCount: number, proxyPresent: boolean): string {
  return `${vmCount} VM${vmCount === 1 ? '' : 's'} · ${proxyPresent ? 'dcod-proxy present' : 'no dcod-proxy'}`;
}

/** The figures a VirtualBox probe brought back, on one line: `8 CPUs · RAM 3.1 GiB / 32 GiB · 2 VMs · no dcod-proxy`. */
export function probeFacts(probe: ProbeResult): string | undefined {
  if (probe.status !== 'virtualbox') return undefined;
  const cpus = probe.cpus === undefined ? '? CPUs' : `${probe.cpus} CPU${probe.cpus === 1 ? '' : 's'}`;
  return `${cpus} · RAM ${memoryGauge(probe.memoryMb, probe.memoryAvailableMb).text} · ${vmSummary(probe.vmCount, probe.proxyPresent)}`;
}
