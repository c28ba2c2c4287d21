/**
 * Reading a sampler's output (see ./sampler-script) back into frames, incrementally: chunks arrive
 * split anywhere, and a frame is only handed on once its end marker has come.
 */
import { StringDecoder } from 'node:string_decoder';
import { netTrafficBySlot, parseDebugVmStatistics } from '../vbox/debugvm';
import { parseNetDevLine, type Counters } from './counters';

export interface Frame {
  /** Seconds since the far side booted; absent where it has no /proc/uptime. */
  readonly uptime?: number;
  readonly devices: ReadonlyMap<string, Counters>;
  /** Bridge → its ports. */
  readonly ports: ReadonlyMap<string, readonly string[]>;
  /** VM UUID → NIC slot (1-based) → bytes; a VM that gave no counters (stopped meanwhile) is absent. */
  readonly vms: ReadonlyMap<string, ReadonlyMap<number, Counters>>;
}

export class FrameReader {
  private readonly decoder = new StringDecoder('utf8');
  private rest = '';
  private uptime: number | undefined;
  private devices = new Map<string, Counters>();
  private ports = new Map<string, string[]>();
  private vms = new Map<string, Map<number, Counters>>();
  private vm: { uuid: string; xml: string[] } | undefined;

  /** Feeds output; returns the frames it completed. */
  push(chunk: Buffer | string): Frame[] {
    const text = this.rest + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk));
    const lines = text.split('\n');
    this.rest = lines.pop()!;
    const frames: Frame[] = [];
    for (const line of lines) {
      const frame = this.line(line);
      if (frame) frames.push(frame);
    }
    return frames;
  }

  private line(line: string): Frame | undefined {
    if (line.startsWith('<')) {
      this.vm?.xml.push(line);
      return undefined;
    }
    this.endVm();
    const tag = line.slice(0, 2);
    const value = line.slice(2);
    if (tag === 'T ') {
      const up = Number(value.trim());
      this.uptime = value.trim() !== '' && Number.isFinite(up) ? up : undefined;
    } else if (tag === 'D ') {
      const dev = parseNetDevLine(value);
      if (dev) this.devices.set(dev.device, dev.counters);
    } else if (tag === 'P ') {
      // `7: nic2@if8: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 … master dcod-br5001 state UP …`
      const m = /^\d+:\s+([^:@\s]+)(?:@\S+)?:\s.*\smaster\s(\S+)/.exec(value);
      if (m) (this.ports.get(m[2]!) ?? this.ports.set(m[2]!, []).get(m[2]!)!).push(m[1]!);
    } else if (tag === 'V ') {
      this.vm = { uuid: value.trim(), xml: [] };
    } else if (line.trim() === '.') {
      const frame: Frame = { ...(this.uptime === undefined ? {} : { uptime: this.uptime }), devices: this.devices, ports: this.ports, vms: this.vms };
      this.uptime = undefined;
      this.devices = new Map();
      this.ports = new Map();
      this.vms = new Map();
      return frame;
    }
    return undefined;
  }

  private endVm(): void {
    if (!this.vm) return;
    const bySlot = new Map<number, Counters>();
    for (const [slot, t] of netTrafficBySlot(parseDebugVmStatistics(this.vm.xml.join('\n')))) {
      bySlot.set(slot, { ...(t.bytesReceived === undefined ? {} : { rxBytes: t.bytesReceived }), ...(t.bytesTransmitted === undefined ? {} : { txBytes: t.bytesTransmitted }) });
    }
    if (bySlot.size > 0) this.vms.set(this.vm.uuid, bySlot);
    this.vm = undefined;
  }
}
