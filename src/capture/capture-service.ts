/**
 * Captures behind the service API: on a switch, tcpdump on the bridge of every running proxy that
 * carries it, merged into one file on the core's machine; then open it in Wireshark, or save it.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { access, copyFile, constants } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DcodError } from '../errors';
import type { ObservedHost } from '../hosts/observed';
import { loadDocumentFile } from '../model/document-file';
import { ownership } from '../model/tags';
import { bridgeName } from '../overlay/names';
import type { DatacenterAccess } from '../traffic/traffic-service';
import { vniOfIntnet } from '../vbox/commands';
import { Capture, type CaptureStats } from './capture';
import { formatForPath } from './pcap-writer';

export interface CaptureServiceDeps extends DatacenterAccess {
  onProgress?(progress: CaptureProgress): void;
  /** Where captures go when no file is named (the OS temp folder). */
  readonly dir?: string;
}

export interface CaptureRequest {
  readonly file: string;
  readonly vni: number;
  readonly filter?: string;
  readonly seconds?: number;
  /** The capture file; `.pcapng` gets pcapng. Default: a new .pcapng in the temp folder. */
  readonly out?: string;
}

export interface CaptureProgress extends CaptureStats {
  readonly id: string;
  readonly vni: number;
  readonly switch: string;
}

/** The hosts whose running proxy of this datacenter has a NIC on the VNI's internal network (pure). */
export function proxiesCarrying(datacenter: string, observed: readonly ObservedHost[], vni: number): string[] {
  return observed
    .filter((h) => h.vms.some((vm) => vm.state === 'running' && ownership(vm, datacenter) === 'proxy' && vm.nics.some((n) => n.attachment === 'intnet' && n.network !== undefined && vniOfIntnet(n.network) === vni)))
    .map((h) => h.host)
    .sort();
}

const stamp = (d: Date): string => d.toISOString().replace(/[:.]/g, '-');

/** Wireshark where it usually is, if it is there. */
async function findWireshark(): Promise<string | undefined> {
  const candidates =
    process.platform === 'darwin'
      ? ['/Applications/Wireshark.app/Contents/MacOS/Wireshark']
      : process.platform === 'win32'
        ? [path.join(process.env.ProgramFiles ?? 'C:\\Program Files', 'Wireshark', 'Wireshark.exe')]
        : (process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((d) => path.join(d, 'wireshark'));
  for (const c of candidates) if (await access(c, constants.X_OK).then(() => true, () => false)) return c;
  return undefined;
}

export class CaptureService {
  private readonly captures = new Map<string, { capture: Capture; vni: number; switch: string }>();

  constructor(private readonly deps: CaptureServiceDeps) {}

  async start(req: CaptureRequest): Promise<CaptureProgress> {
    const { document } = await loadDocumentFile(req.file, { inventory: await this.deps.inventory() });
    const dc = document.metadata.name;
    const sw = document.switches.find((s) => s.vni === req.vni);
    if (!sw) throw new DcodError('NOT_FOUND', `datacenter ${dc} has no switch with VNI ${req.vni}`);
    const runnerForProxy = this.deps.runnerForProxy;
    if (!runnerForProxy) throw new DcodError('INVALID_STATE', 'captures run in the proxies, and this core has no way into proxies');
    const hosts = proxiesCarrying(dc, await this.deps.refresh(), req.vni);
    if (hosts.length === 0) throw new DcodError('NOT_FOUND', `no running proxy carries switch ${sw.name} (VNI ${req.vni}): apply the datacenter, and start a VM on it`);
    const device = bridgeName(req.vni);
    const sources = await Promise.all(hosts.map(async (h) => ({ name: `${h}:${device}`, runner: await runnerForProxy(h), device })));
    const out = path.resolve(req.out ?? path.join(this.deps.dir ?? os.tmpdir(), `dcod-${dc}-${sw.name}-${stamp(new Date())}.pcapng`));
    const id = randomUUID();
    const progress = (stats: CaptureStats): CaptureProgress => ({ ...stats, id, vni: req.vni, switch: sw.name });
    const capture = await Capture.start({
      sources,
      out,
      format: formatForPath(out),
      ...(req.filter?.trim() ? { filter: req.filter } : {}),
      ...(req.seconds === undefined ? {} : { seconds: req.seconds }),
      onProgress: (stats) => this.deps.onProgress?.(progress(stats)),
    });
    this.captures.set(id, { capture, vni: req.vni, switch: sw.name });
    return progress(capture.stats());
  }

  private get(id: string) {
    const c = this.captures.get(id);
    if (!c) throw new DcodError('NOT_FOUND', `no capture ${id} in this session`);
    return c;
  }

  async stop(id: string): Promise<CaptureProgress> {
    const c = this.get(id);
    return { ...(await c.capture.stop()), id, vni: c.vni, switch: c.switch };
  }

  status(id: string): CaptureProgress {
    const c = this.get(id);
    return { ...c.capture.stats(), id, vni: c.vni, switch: c.switch };
  }

  /** Opens a capture in Wireshark; says so when Wireshark isn't installed (save it instead). */
  async open(id: string): Promise<{ readonly opened: boolean; readonly file: string }> {
    const file = this.get(id).capture.stats().file;
    const wireshark = await findWireshark();
    if (!wireshark) return { opened: false, file };
    const child = spawn(wireshark, [file], { detached: true, stdio: 'ignore' });
    child.on('error', () => {}); // found and executable: a failure to start is Wireshark's to report
    child.unref();
    return { opened: true, file };
  }

  /** Copies a finished (or running: what is written so far) capture to `to`. */
  async save(id: string, to: string): Promise<{ readonly file: string }> {
    const from = this.get(id).capture.stats().file;
    const target = path.resolve(to);
    await copyFile(from, target).catch((err: NodeJS.ErrnoException) => {
      throw new DcodError('FILE_ERROR', `can't save the capture to ${target}: ${err.code ?? err.message}`);
    });
    return { file: target };
  }

  async close(): Promise<void> {
    await Promise.all([...this.captures.values()].map((c) => c.capture.stop()));
  }
}
