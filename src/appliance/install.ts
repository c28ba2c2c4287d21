/**
 * Putting the proxy appliance on a VirtualBox host that lacks it: upload the OVA over SFTP on the host's
 * SSH connection (with progress), `VBoxManage import` it, and check that what VirtualBox registered is the
 * appliance — an ICH9 VM with 36 NICs and the `dcod-proxy` DMI product — before anyone relies on it.
 *
 * The OVA stays on the host (in `~/.dcod/appliance/`) unless told otherwise: the overlay imports one
 * proxy per datacenter from it (OverlayOptions.proxyImage), and a second install skips the upload when
 * the file there has the right size. VirtualBox checks the OVA's SHA-256 manifest on import, so a
 * damaged upload fails there rather than producing a broken VM.
 */
import path from 'node:path';
import type { SFTPWrapper } from 'ssh2';
import { DcodError, withContext } from '../errors';
import { defaultVBoxManage } from '../hosts/observe';
import type { HostRunner } from '../hosts/runner';
import { hostPath, sftpMakeFolder } from '../bundle/remote-files';
import { DMI_SYSTEM_PRODUCT } from '../overlay/appliance';
import { PROXY_CHIPSET, PROXY_PRODUCT } from '../overlay/names';
import * as vbox from '../vbox/commands';
import { dcodErrorOf, parseVBoxManageStderr } from '../vbox/error';
import { parseGetValue } from '../vbox/getvalue';
import { createProgressReader } from '../vbox/progress';
import { parseShowVmInfo, type VmInfo } from '../vbox/showvminfo';
import type { ApplianceFile } from './locate';

/** A host the app can run commands on and move files to (SshRunner is one). */
export interface FileHost extends HostRunner {
  sftp<T>(work: (session: SFTPWrapper) => Promise<T>): Promise<T>;
}

export type InstallPhase = 'check' | 'upload' | 'import' | 'verify';

export interface InstallProgress {
  readonly phase: InstallPhase;
  /** 0–100 within the phase. */
  readonly percent: number;
  /** Upload only. */
  readonly bytes?: number;
  readonly totalBytes?: number;
}

export interface InstallOptions {
  /** The VM to create; default `dcod-proxy-<version>`. */
  readonly vmName?: string;
  /** Where the OVA goes, relative to the login's home (or absolute); default `.dcod/appliance`. */
  readonly remoteDir?: string;
  /** Delete the uploaded OVA after the import instead of keeping it for later imports. */
  readonly removeUpload?: boolean;
  readonly vboxmanage?: string;
  readonly onProgress?: (p: InstallProgress) => void;
}

export interface InstalledAppliance {
  readonly vmName: string;
  readonly uuid: string;
  /** Absolute path of the OVA on the host (absent when it was removed). */
  readonly remoteOva?: string;
  readonly uploaded: boolean;
  /** False when the VM was already there and already the appliance. */
  readonly imported: boolean;
}

const DEFAULT_REMOTE_DIR = '.dcod/appliance';
const NIC_COUNT = 36;
const IMPORT_TIMEOUT_MS = 30 * 60_000;

/** What makes an imported VM not the appliance; empty when it is. Pure, for the verify step. */
export function proxyVmProblems(info: VmInfo, product: string | undefined): string[] {
  const problems: string[] = [];
  if (info.chipset !== PROXY_CHIPSET) problems.push(`its chipset is ${info.chipset ?? 'unknown'}, not ${PROXY_CHIPSET}`);
  const nics = info.nics.filter((n) => n.attachment !== 'none').length;
  if (nics !== NIC_COUNT) problems.push(`it has ${nics} network adapter${nics === 1 ? '' : 's'} enabled, not ${NIC_COUNT}`);
  if (product !== PROXY_PRODUCT) problems.push(`its DMI system product is ${product === undefined ? 'unset' : JSON.stringify(product)}, not ${PROXY_PRODUCT}`);
  return problems;
}

function sftpCall<T>(what: string, call: (cb: (err: Error | null | undefined, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => call((err, value) => (err ? reject(new DcodError('FILE_ERROR', `${what}: ${err.message}`, { cause: err })) : resolve(value as T))));
}

/**
 * The OVA on the host: uploaded to `<dir>/<name>.part` and renamed when complete, or left alone when a
 * file of the same size is already there. Returns its absolute path as VBoxManage on the host takes it.
 */
export async function uploadAppliance(host: FileHost, file: ApplianceFile, o: Pick<InstallOptions, 'remoteDir' | 'onProgress'> = {}): Promise<{ remoteOva: string; uploaded: boolean }> {
  const dir = (o.remoteDir ?? DEFAULT_REMOTE_DIR).replace(/\/+$/, '');
  const target = `${dir}/${file.name}`;
  return host.sftp(async (s) => {
    await sftpMakeFolder(s, dir).catch((err: Error) => {
      throw new DcodError('FILE_ERROR', `creating ${dir}: ${err.message}`, { cause: err });
    });
    const absolute = hostPath(await sftpCall<string>(`resolving ${dir}`, (cb) => s.realpath(dir, cb)));
    const remoteOva = `${absolute.replace(/\/+$/, '')}/${file.name}`;
    const have = await sftpCall<{ size: number }>('', (cb) => s.stat(target, cb)).catch(() => undefined);
    if (have?.size === file.bytes) {
      o.onProgress?.({ phase: 'upload', percent: 100, bytes: file.bytes, totalBytes: file.bytes });
      return { remoteOva, uploaded: false };
    }
    const part = `${target}.part`;
    let lastPercent = -1;
    await sftpCall<void>(`uploading ${file.name}`, (cb) =>
      s.fastPut(file.path, part, {
        step: (sent, _chunk, total) => {
          const percent = Math.floor((sent / total) * 100);
          if (percent === lastPercent) return;
          lastPercent = percent;
          o.onProgress?.({ phase: 'upload', percent, bytes: sent, totalBytes: total });
        },
      }, cb),
    );
    const sent = await sftpCall<{ size: number }>(`checking ${part}`, (cb) => s.stat(part, cb));
    if (sent.size !== file.bytes) throw new DcodError('FILE_ERROR', `${part} has ${sent.size} bytes after the upload, expected ${file.bytes}`, { retryable: true });
    // SFTP's rename refuses to replace a file: a stale one of the wrong size goes first.
    if (have) await sftpCall<void>(`removing the old ${target}`, (cb) => s.unlink(target, cb));
    await sftpCall<void>(`renaming ${part}`, (cb) => s.rename(part, target, cb));
    return { remoteOva, uploaded: true };
  });
}

async function vboxManage(host: HostRunner, exe: string, argv: readonly string[], o: { timeoutMs?: number; onStderr?: (chunk: string) => void } = {}): Promise<string> {
  const res = await host.run([exe, ...argv], o);
  if (res.code === 0) return res.stdout;
  const parsed = parseVBoxManageStderr(res.stderr).error;
  if (parsed) throw dcodErrorOf(parsed, [`running VBoxManage ${argv[0]}`]);
  throw new DcodError('COMMAND_FAILED', `VBoxManage ${argv[0]} exited ${res.code}: ${(res.stderr || res.stdout).trim().split('\n').slice(-3).join('\n')}`);
}

/** The VM's details, or undefined when no VM has that name. */
async function vmInfo(host: HostRunner, exe: string, vmName: string): Promise<VmInfo | undefined> {
  try {
    return parseShowVmInfo(await vboxManage(host, exe, vbox.showVmInfo(vmName)));
  } catch (err) {
    if (err instanceof DcodError && err.code === 'VM_NOT_FOUND') return undefined;
    throw err;
  }
}

async function verify(host: HostRunner, exe: string, vmName: string, info: VmInfo): Promise<void> {
  const product = parseGetValue(await vboxManage(host, exe, vbox.getExtraData(info.uuid, DMI_SYSTEM_PRODUCT)));
  const problems = proxyVmProblems(info, product);
  if (problems.length) throw new DcodError('INVALID_STATE', `the VM "${vmName}" is not the proxy appliance: ${problems.join('; ')}`);
}

export async function installAppliance(host: FileHost, hostName: string, file: ApplianceFile, o: InstallOptions = {}): Promise<InstalledAppliance> {
  const exe = o.vboxmanage ?? defaultVBoxManage(host.shell);
  const vmName = o.vmName ?? path.basename(file.name, '.ova');
  try {
    o.onProgress?.({ phase: 'check', percent: 0 });
    const existing = await vmInfo(host, exe, vmName);
    if (existing) {
      await verify(host, exe, vmName, existing);
      o.onProgress?.({ phase: 'verify', percent: 100 });
      return { vmName, uuid: existing.uuid, uploaded: false, imported: false };
    }
    const { remoteOva, uploaded } = await uploadAppliance(host, file, o);
    const progress = createProgressReader();
    o.onProgress?.({ phase: 'import', percent: 0 });
    await vboxManage(host, exe, vbox.importAppliance(remoteOva, { vmName }), {
      timeoutMs: IMPORT_TIMEOUT_MS,
      onStderr: (chunk) => {
        for (const percent of progress.push(chunk).percents) o.onProgress?.({ phase: 'import', percent });
      },
    });
    const imported = await vmInfo(host, exe, vmName);
    if (!imported) throw new DcodError('VM_NOT_FOUND', `VBoxManage import reported success but no VM "${vmName}" is registered`);
    o.onProgress?.({ phase: 'verify', percent: 0 });
    await verify(host, exe, vmName, imported);
    o.onProgress?.({ phase: 'verify', percent: 100 });
    if (o.removeUpload) {
      await host.sftp((s) => sftpCall<void>(`removing ${remoteOva}`, (cb) => s.unlink(remoteOva, cb)));
      return { vmName, uuid: imported.uuid, uploaded, imported: true };
    }
    return { vmName, uuid: imported.uuid, remoteOva, uploaded, imported: true };
  } catch (err) {
    throw withContext(`installing the proxy appliance ${file.version} on ${hostName}`, err);
  }
}
