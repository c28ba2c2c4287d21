/**
 * Where DCoD keeps files on a host, built from the host's default machine folder (`list systemproperties`),
 * so the paths are right on Linux, macOS and Windows hosts alike:
 * - volumes: `<machine folder>/dcod-<datacenter>/<volume>.<vdi|vmdk>` (tags.ts: the folder marks them ours);
 * - an OVA image uploaded from the laptop: `<machine folder>/dcod-images/<image>.ova`;
 * - a VM on its way to another host: `<machine folder>/dcod-<datacenter>-<vm>.ova`.
 */
import type { Volume } from '../model/document';

/** Whether a host path is a Windows one: it starts with a drive letter (`C:\…`, `C:/…`). */
export function isWindowsPath(file: string): boolean {
  return /^[A-Za-z]:[\\/]/.test(file);
}

/** The folder a host path is in ('' for a bare name), whichever separator the host uses. */
export function hostDirname(file: string): string {
  return file.slice(0, Math.max(0, file.lastIndexOf('/'), file.lastIndexOf('\\')));
}

/** Joins with the separator the folder already uses (`\` for a Windows path, `/` otherwise). */
export function joinHostPath(folder: string, ...parts: string[]): string {
  const sep = folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
  const base = folder.endsWith(sep) ? folder.slice(0, -1) : folder;
  return [base, ...parts].join(sep);
}

export function volumeFolderName(datacenter: string): string {
  return `dcod-${datacenter}`;
}

export function volumePath(machineFolder: string, datacenter: string, volume: Pick<Volume, 'name' | 'format'>): string {
  return joinHostPath(machineFolder, volumeFolderName(datacenter), `${volume.name}.${volume.format}`);
}

export function ovaImagePath(machineFolder: string, image: string): string {
  return joinHostPath(machineFolder, 'dcod-images', `${image}.ova`);
}

export function movingVmPath(machineFolder: string, datacenter: string, vm: string): string {
  return joinHostPath(machineFolder, `dcod-${datacenter}-${vm}.ova`);
}

/**
 * The command that removes a file on the host its path is from: `del` through cmd.exe for a Windows path
 * (a drive letter: the machine folder VirtualBox reports there), `rm` otherwise. A file already gone is
 * no error for either.
 */
export function removeFileCommand(file: string): string[] {
  return isWindowsPath(file) ? ['cmd', '/d', '/c', 'del', '/f', '/q', file] : ['rm', '-f', '--', file];
}

/** The volume a disk path holds, when it is one of this datacenter's (`…/dcod-<dc>/<name>.<vdi|vmdk>`). */
export function volumeAt(location: string, datacenter: string): { readonly name: string; readonly format: Volume['format'] } | undefined {
  const parts = location.split(/[\\/]/);
  const file = parts.at(-1) ?? '';
  if (parts.at(-2) !== volumeFolderName(datacenter)) return undefined;
  const m = /^([a-z][a-z0-9-]*)\.(vdi|vmdk)$/i.exec(file);
  return m ? { name: m[1]!, format: m[2]!.toLowerCase() as Volume['format'] } : undefined;
}
