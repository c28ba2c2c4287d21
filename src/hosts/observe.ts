import { DcodError, toDcodError } from '../errors';
import { quoteArgv } from '../shell/argv';
import { quotePosixArg } from '../shell/quote';
import { parseVBoxManageStderr } from '../vbox/error';
import { parseExtraDataEnumerate } from '../vbox/extradata';
import { parseGuestProperties } from '../vbox/guestproperty';
import { parseHostInfo, parseHostInterfaces, parseIntNets, parseMedia, parseSystemProperties } from '../vbox/list';
import { parseShowVmInfo } from '../vbox/showvminfo';
import { parseVersion } from '../vbox/version';
import type { ObservedHost, ObservedVm } from './observed';
import type { HostRunner, HostShell } from './runner';

/**
 * Reading a host's whole state in ONE exec: a script runs every VBoxManage call on the host and prints
 * each answer in a section of its own, so a refresh costs one SSH round trip however many VMs there are.
 * Sections start with `\x1eDCOD <name>` and end with `\x1eDCOD-RC <exit status>`.
 */
const MARK = '\x1eDCOD';

/**
 * Every VM DCoD creates is put in this VirtualBox group (and tagged with extradata). showvminfo prints
 * groups, so the script reads the extradata of DCoD's own VMs only: one VBoxManage call per foreign VM.
 */
export const DCOD_GROUP = '/dcod';

/** Where VBoxManage is when the inventory doesn't say. */
export function defaultVBoxManage(shell: HostShell): string {
  return shell === 'cmd' ? 'C:\\Program Files\\Oracle\\VirtualBox\\VBoxManage.exe' : 'VBoxManage';
}

export function posixObserveScript(vboxmanage: string): string {
  return [
    'export LANG=C LC_ALL=C',
    `V=${quotePosixArg(vboxmanage)}`,
    `command -v "$V" >/dev/null 2>&1 || { printf '\\036DCOD novbox\\n'; exit 0; }`,
    `sec() { printf '\\036DCOD %s\\n' "$1"; shift; "$@" 2>&1; printf '\\n\\036DCOD-RC %s\\n' "$?"; }`,
    'sec version "$V" --version',
    'sec hostinfo "$V" list hostinfo',
    'sec bridgedifs "$V" list bridgedifs',
    'sec intnets "$V" list intnets',
    'sec systemproperties "$V" list systemproperties',
    'sec hdds "$V" list hdds',
    'vms=$("$V" list vms 2>&1); rc=$?',
    `printf '\\036DCOD vms\\n%s\\n\\036DCOD-RC %s\\n' "$vms" "$rc"`,
    'running=$("$V" list runningvms 2>/dev/null)',
    // UUIDs, not names: a name may hold quotes or line breaks; the UUID ends its line whatever the name.
    `for u in $(printf '%s\\n' "$vms" | sed -n 's/.*{\\([0-9a-fA-F-]\\{36\\}\\)}$/\\1/p'); do`,
    '  out=$("$V" showvminfo "$u" --machinereadable 2>&1); rc=$?',
    `  printf '\\036DCOD vm %s\\n%s\\n\\036DCOD-RC %s\\n' "$u" "$out" "$rc"`,
    `  case "$out" in *'groups="'*${DCOD_GROUP}*) sec "extradata $u" "$V" getextradata "$u" enumerate;; esac`,
    '  case "$running" in *"{$u}"*) sec "guestprops $u" "$V" guestproperty enumerate "$u";; esac',
    'done',
    '',
  ].join('\n');
}

/** The same script for Windows hosts, in PowerShell (cmd.exe has no usable loops over command output). */
export function powershellObserveScript(vboxmanage: string): string {
  const v = `'${vboxmanage.replaceAll("'", "''")}'`;
  return [
    '[Console]::OutputEncoding = [Text.Encoding]::UTF8',
    '$env:LANG = "C"',
    `$V = ${v}`,
    '$M = [char]30 + "DCOD"',
    'if (-not (Test-Path -LiteralPath $V)) { Write-Output "$M novbox"; exit 0 }',
    'function Sec($name) { Write-Output "$M $name"; $out = (& $V @args 2>&1 | Out-String); Write-Output $out; Write-Output "$M-RC $LASTEXITCODE" }',
    'Sec version --version',
    'Sec hostinfo list hostinfo',
    'Sec bridgedifs list bridgedifs',
    'Sec intnets list intnets',
    'Sec systemproperties list systemproperties',
    'Sec hdds list hdds',
    '$vms = (& $V list vms 2>&1 | Out-String); $rc = $LASTEXITCODE',
    'Write-Output "$M vms"; Write-Output $vms; Write-Output "$M-RC $rc"',
    '$running = (& $V list runningvms 2>$null | Out-String)',
    'foreach ($u in [regex]::Matches($vms, "\\{([0-9a-fA-F-]{36})\\}\\r?$", "Multiline") | ForEach-Object { $_.Groups[1].Value }) {',
    '  $out = (& $V showvminfo $u --machinereadable 2>&1 | Out-String); $rc = $LASTEXITCODE',
    '  Write-Output "$M vm $u"; Write-Output $out; Write-Output "$M-RC $rc"',
    `  if ($out -match 'groups="[^"]*${DCOD_GROUP}') { Sec "extradata $u" getextradata $u enumerate }`,
    '  if ($running.Contains("{$u}")) { Sec "guestprops $u" guestproperty enumerate $u }',
    '}',
  ].join('\n');
}

/** The one command line that runs the observation script on a host of the given shell. */
export function observeCommand(shell: HostShell, vboxmanage: string): { commandLine: string; stdin?: string } {
  if (shell === 'posix') return { commandLine: 'sh -s', stdin: posixObserveScript(vboxmanage) };
  // -EncodedCommand: base64 of UTF-16LE, so no quoting of the script itself ever reaches cmd.exe.
  const encoded = Buffer.from(powershellObserveScript(vboxmanage), 'utf16le').toString('base64');
  return { commandLine: quoteArgv('cmd', ['powershell', '-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-EncodedCommand', encoded]) };
}

interface Section {
  readonly name: string;
  readonly body: string;
  readonly rc: number;
}

export function splitSections(output: string): Section[] {
  const sections: Section[] = [];
  const text = output.replace(/\r\n/g, '\n');
  const re = new RegExp(`${MARK} ([^\\n]*)\\n([\\s\\S]*?)\\n?${MARK}-RC (-?\\d+)\\n?`, 'g');
  for (const m of text.matchAll(re)) sections.push({ name: m[1]!, body: m[2]!, rc: Number(m[3]) });
  return sections;
}

/** Turns the script's output into the observed state; single-item failures become warnings. */
export function parseObservation(host: string, output: string, observedAt: Date): ObservedHost {
  const base = { host, reachable: true, bridgedInterfaces: [], internalNetworks: [], vms: [], warnings: [], observedAt: observedAt.toISOString() };
  if (output.replace(/\r\n/g, '\n').startsWith(`${MARK} novbox`)) return { ...base, vbox: null };
  const sections = new Map(splitSections(output).map((s) => [s.name, s]));
  const warnings: string[] = [];
  const ok = (name: string): string | undefined => {
    const s = sections.get(name);
    if (!s) return undefined;
    if (s.rc === 0) return s.body;
    const parsed = parseVBoxManageStderr(s.body).error;
    warnings.push(`${name}: ${parsed?.message ?? s.body.trim()}`);
    return undefined;
  };

  const versionText = ok('version');
  if (versionText === undefined) throw new DcodError('VBOX_ERROR', `VBoxManage --version failed on ${host}: ${warnings.join('; ') || 'no output'}`);
  const v = parseVersion(versionText);
  const info = ok('hostinfo');
  const hostInfo = info === undefined ? undefined : parseHostInfo(info);
  const properties = ok('systemproperties');
  const machineFolder = properties === undefined ? undefined : parseSystemProperties(properties).defaultMachineFolder;
  const hdds = ok('hdds');
  const vms: ObservedVm[] = [];
  for (const [name, section] of sections) {
    if (!name.startsWith('vm ')) continue;
    const uuid = name.slice(3);
    const body = ok(name);
    if (body === undefined) continue; // deleted between `list vms` and showvminfo: a warning already says so
    try {
      const vm = parseShowVmInfo(body);
      const extra = ok(`extradata ${uuid}`);
      const props = ok(`guestprops ${uuid}`);
      vms.push({
        ...vm,
        raw: Object.fromEntries(vm.raw),
        extraData: Object.fromEntries((extra === undefined ? [] : parseExtraDataEnumerate(extra)).map((e) => [e.key, e.value])),
        guestProperties: Object.fromEntries((props === undefined ? [] : parseGuestProperties(props)).map((p) => [p.name, p.value])),
      });
    } catch (err) {
      warnings.push(`VM ${uuid}: ${toDcodError(err).message} (section of ${section.body.length} bytes)`);
    }
  }
  return {
    ...base,
    vbox: { version: v.raw, major: v.major, minor: v.minor, patch: v.patch },
    ...(hostInfo
      ? {
          hostInfo: {
            processorCount: hostInfo.processorCount,
            processorCoreCount: hostInfo.processorCoreCount,
            memorySizeMb: hostInfo.memorySizeMb,
            memoryAvailableMb: hostInfo.memoryAvailableMb,
            operatingSystem: hostInfo.operatingSystem,
            operatingSystemVersion: hostInfo.operatingSystemVersion,
          },
        }
      : {}),
    bridgedInterfaces: parseHostInterfaces(ok('bridgedifs') ?? '').map((i) => ({ name: i.name, ...(i.up === undefined ? {} : { status: i.up ? 'Up' : 'Down' }), ...(i.ipAddress ? { ipv4: i.ipAddress } : {}) })),
    internalNetworks: parseIntNets(ok('intnets') ?? ''),
    ...(machineFolder ? { machineFolder } : {}),
    ...(hdds === undefined
      ? {}
      : {
          disks: parseMedia(hdds)
            .filter((m) => m.uuid !== '' && m.location !== undefined)
            .map((m) => ({ uuid: m.uuid, location: m.location!, ...(m.capacityMb === undefined ? {} : { capacityMb: m.capacityMb }), ...(m.format ? { format: m.format } : {}), ...(m.parentUuid ? { parentUuid: m.parentUuid } : {}) })),
        }),
    vms: vms.sort((a, b) => a.name.localeCompare(b.name)),
    warnings,
  };
}

/** Failures that mean DCoD could not get in at all (any other failure happened on the host). */
const CONNECTION_CODES = new Set(['HOST_UNREACHABLE', 'TIMEOUT', 'AUTH_FAILED', 'HOST_KEY_CHANGED', 'HOST_KEY_UNKNOWN']);

/** Reads one host in one exec. An unreachable host is reported in the result, not thrown. */
export async function observeHost(host: string, runner: HostRunner, opts: { vboxmanage?: string; now?: () => Date; timeoutMs?: number } = {}): Promise<ObservedHost> {
  const now = opts.now ?? (() => new Date());
  const { commandLine, stdin } = observeCommand(runner.shell, opts.vboxmanage ?? defaultVBoxManage(runner.shell));
  try {
    const res = await runner.exec(commandLine, { ...(stdin === undefined ? {} : { stdin }), timeoutMs: opts.timeoutMs ?? 120_000 });
    if (res.code !== 0) throw new DcodError('COMMAND_FAILED', `the inventory script failed on ${host} (exit ${res.code}): ${res.stderr.trim() || res.stdout.slice(-500)}`);
    return parseObservation(host, res.stdout, now());
  } catch (err) {
    return failedObservation(host, err, now());
  }
}

/** The observation of a host that could not be read: `reachable` says whether DCoD got in at all. */
export function failedObservation(host: string, err: unknown, now: Date): ObservedHost {
  const e = toDcodError(err);
  return { host, reachable: !CONNECTION_CODES.has(e.code), error: e.toInfo(), vbox: null, bridgedInterfaces: [], internalNetworks: [], vms: [], warnings: [], observedAt: now.toISOString() };
}
