/**
 * What mutating commands print when they succeed: mostly the UUID of what they made. Progress bars and
 * other lines may share the stream (as a terminal shows it), so each reader looks for its own line.
 */
import { DcodError } from '../errors';

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

function need(m: RegExpExecArray | null, what: string, text: string): RegExpExecArray {
  if (m) return m;
  throw new DcodError('VBOX_ERROR', `no ${what} in VBoxManage output: ${JSON.stringify(text.slice(0, 300))}`);
}

/** `createvm`: `Virtual machine 'x' is created and registered.` / `UUID: …` / `Settings file: '…'`. */
export function parseCreateVm(text: string): { name: string; uuid: string; settingsFile?: string; registered: boolean } {
  const head = need(/^Virtual machine '(.*)' is created( and registered)?\.\s*$/m.exec(text), 'createvm result', text);
  const uuid = need(new RegExp(`^UUID: (${UUID})\\s*$`, 'm').exec(text), 'createvm UUID', text);
  const settings = /^Settings file: '(.*)'\s*$/m.exec(text);
  return {
    name: head[1]!,
    uuid: uuid[1]!.toLowerCase(),
    ...(settings ? { settingsFile: settings[1]! } : {}),
    registered: head[2] !== undefined,
  };
}

/** `createmedium`: `Medium created. UUID: …` (older `createhd`: `Disk image created. UUID: …`). */
export function parseCreateMedium(text: string): { uuid: string } {
  const m = need(new RegExp(`created\\. UUID: (${UUID})`).exec(text), 'createmedium UUID', text);
  return { uuid: m[1]!.toLowerCase() };
}

/** `clonevm`: `Machine has been successfully cloned as "x"` (no UUID: read it with showvminfo). */
export function parseCloneVm(text: string): { name: string } {
  const m = need(/Machine has been successfully cloned as "(.*)"/.exec(text), 'clonevm result', text);
  return { name: m[1]! };
}

/** `snapshot take`: `Snapshot taken. UUID: …`. */
export function parseSnapshotTaken(text: string): { uuid: string } {
  const m = need(new RegExp(`Snapshot taken\\. UUID: (${UUID})`).exec(text), 'snapshot UUID', text);
  return { uuid: m[1]!.toLowerCase() };
}

/**
 * `snapshot delete` / `snapshot restore`: `Deleting snapshot 'x' (uuid)` / `Restoring snapshot 'x' (uuid)`,
 * which names the snapshot VirtualBox actually picked — with duplicate names, the first one it found.
 */
export function parseSnapshotAction(text: string): { action: 'delete' | 'restore'; name: string; uuid: string } {
  const m = need(new RegExp(`^(Deleting|Restoring) snapshot '(.*)' \\((${UUID})\\)\\s*$`, 'm').exec(text), 'snapshot delete/restore line', text);
  return { action: m[1] === 'Deleting' ? 'delete' : 'restore', name: m[2]!, uuid: m[3]!.toLowerCase() };
}

/** `hostonlyif create`: `Interface 'vboxnet0' was successfully created`. */
export function parseHostOnlyIfCreated(text: string): { name: string } {
  const m = need(/Interface '(.*)' was successfully created/.exec(text), 'host-only interface name', text);
  return { name: m[1]! };
}

/** `startvm`: `VM "x" has been successfully started.` (after `Waiting for VM "x" to power on...`). */
export function parseStartVm(text: string): { name: string } {
  const m = need(/^VM "(.*)" has been successfully started\.\s*$/m.exec(text), 'startvm result', text);
  return { name: m[1]! };
}
