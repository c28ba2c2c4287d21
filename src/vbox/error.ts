/**
 * VBoxManage's error output and what it means for DCoD.
 *
 * VBoxManage reports a failure as lines on stderr, each prefixed `VBoxManage: error: ` (`VBoxManage.exe: `
 * on Windows):
 *
 *     VBoxManage: error: The machine 'DC01' is already locked by a session (or being locked or unlocked)
 *     VBoxManage: error: Details: code VBOX_E_INVALID_OBJECT_STATE (0x80bb0007), component MachineWrap, interface IMachine, callee nsISupports
 *     VBoxManage: error: Context: "LaunchVMProcess(…)" at line 726 of file VBoxManageMisc.cpp
 *
 * Older builds without extended error info print `Code E_FAIL (0x80004005) - Unspecified error (…)` instead
 * of `Details:`. Some failures have only the message (7.2: "Machine 'x' is not currently running."), and a
 * cancelled progress leaves `0%...CANCELED` before the block. A Windows console hard-wraps the text at its
 * width (80 columns by default), which splits words; such continuation lines carry no prefix.
 *
 * Each failure maps to a code of the core's closed list (../errors) through DCOD_CODE_RULES, plain data.
 */
import { DcodError, ERROR_CODES, type ErrorCode } from '../errors';

export interface VBoxManageError {
  /** The error's own sentences, without the Details/Context/Code lines. */
  readonly message: string;
  /** The COM/XPCOM status name, e.g. `VBOX_E_INVALID_OBJECT_STATE`, `E_FAIL`, `NS_ERROR_FAILURE`. */
  readonly resultCode?: string;
  /** The status as a number, e.g. 0x80bb0007. */
  readonly hresult?: number;
  readonly component?: string;
  readonly interface?: string;
  readonly callee?: string;
  /** The failing API call from the `Context:` line, e.g. `LockMachine(a->session, LockType_Write)`. */
  readonly context?: string;
  readonly sourceFile?: string;
  readonly sourceLine?: number;
  /** A progress bar on the same stream ended in CANCELED. */
  readonly canceled: boolean;
  /** The DCoD code this failure maps to, and whether trying again can help. */
  readonly code: ErrorCode;
  readonly retryable: boolean;
}

export interface VBoxManageStderr {
  readonly error: VBoxManageError | undefined;
  /** `VBoxManage: warning: …` lines, e.g. `Interface "eth0" doesn't seem to exist`. */
  readonly warnings: readonly string[];
}

interface CodeRule {
  readonly code: ErrorCode;
  readonly resultCode?: string;
  readonly message?: RegExp;
  /** Why this rule exists, for whoever edits the table. */
  readonly why: string;
}

/** First match wins. A rule matches when every field it sets matches. */
export const DCOD_CODE_RULES: readonly CodeRule[] = [
  { code: 'VM_LOCKED', resultCode: 'VBOX_E_INVALID_OBJECT_STATE', message: /already locked/i, why: 'another session (GUI, a previous command) holds the machine; it is released within seconds' },
  { code: 'VM_NOT_FOUND', message: /Could not find a registered machine/i, why: 'showvminfo/startvm/… on a name or UUID VirtualBox does not know' },
  { code: 'HOST_INTERFACE_MISSING', message: /Nonexistent host networking interface|doesn't seem to exist|host.?only (?:interface|network).*(?:not found|does not exist)/i, why: 'a bridged or host-only NIC points at an interface this host lacks' },
  { code: 'INVALID_STATE', message: /is not currently running|is (?:already )?running|state is \w+|must be (?:powered off|running|paused|saved)/i, why: 'the command does not apply to the VM in its present state' },
  { code: 'INVALID_STATE', resultCode: 'VBOX_E_INVALID_VM_STATE', why: 'the VM is in the wrong state for the call' },
  { code: 'INVALID_STATE', resultCode: 'VBOX_E_INVALID_OBJECT_STATE', why: 'an object (VM, medium, session) is in the wrong state, and it is not a lock' },
  { code: 'FILE_ERROR', resultCode: 'VBOX_E_FILE_ERROR', why: 'a disk image, OVA or settings file could not be read or written' },
  { code: 'NOT_FOUND', resultCode: 'VBOX_E_OBJECT_NOT_FOUND', why: 'a snapshot, medium, network or other named object does not exist' },
];

export function classifyVBoxError(resultCode: string | undefined, message: string): { code: ErrorCode; retryable: boolean } {
  for (const rule of DCOD_CODE_RULES) {
    if (rule.resultCode !== undefined && rule.resultCode !== resultCode) continue;
    if (rule.message !== undefined && !rule.message.test(message)) continue;
    return { code: rule.code, retryable: ERROR_CODES[rule.code].retryable };
  }
  return { code: 'VBOX_ERROR', retryable: false };
}

const MARKER = /VBoxManage(?:\.exe)?: (error|warning): ?/;
const DETAILS = /^Details: code (\S+) \((0x[0-9a-fA-F]+)\)(?:, component ([^,]+))?(?:, interface ([^,]+))?(?:, callee (\S+))?/;
const OLD_CODE = /^Code (\S+) \((0x[0-9a-fA-F]+)\)(?: - (.*))?$/;
const CONTEXT = /^Context: "(.*)" at line (\d+) of file (\S+)/;

export interface StderrOptions {
  /** Console width at which Windows hard-wrapped the captured text; 0 when it is known not to be wrapped. */
  readonly wrapWidth?: number;
}

/** Splits stderr into error and warning lines, undoing console hard wraps. */
function markedLines(text: string, wrapWidth: number): { kind: 'error' | 'warning'; text: string }[] {
  const out: { kind: 'error' | 'warning'; text: string; rawLength: number }[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const m = MARKER.exec(raw);
    if (m) {
      out.push({ kind: m[1] as 'error' | 'warning', text: raw.slice(m.index + m[0].length), rawLength: raw.length });
      continue;
    }
    const last = out.at(-1);
    if (last === undefined || raw === '') continue;
    // A line that filled the console exactly was cut there; its rest is this unprefixed line.
    const wrapped = wrapWidth > 0 && last.rawLength % wrapWidth === 0;
    last.text += wrapped ? raw : `\n${raw}`;
    last.rawLength = wrapped ? last.rawLength + raw.length : raw.length;
  }
  return out;
}

export function parseVBoxManageStderr(text: string, options: StderrOptions = {}): VBoxManageStderr {
  const lines = markedLines(text, options.wrapWidth ?? 80);
  const warnings = lines.filter((l) => l.kind === 'warning').map((l) => l.text);
  const errorLines = lines.filter((l) => l.kind === 'error').map((l) => l.text);
  if (errorLines.length === 0) return { error: undefined, warnings };

  const message: string[] = [];
  const fields: { -readonly [K in keyof VBoxManageError]?: VBoxManageError[K] } = {};
  for (const line of errorLines) {
    const details = DETAILS.exec(line);
    const old = details ? null : OLD_CODE.exec(line);
    const context = CONTEXT.exec(line);
    if (details) {
      Object.assign(fields, { resultCode: details[1], hresult: Number.parseInt(details[2]!, 16) });
      if (details[3]) fields.component = details[3];
      if (details[4]) fields.interface = details[4];
      if (details[5]) fields.callee = details[5];
    } else if (old) {
      Object.assign(fields, { resultCode: old[1], hresult: Number.parseInt(old[2]!, 16) });
      if (old[3]) message.push(old[3]);
    } else if (context) {
      Object.assign(fields, { context: context[1], sourceLine: Number(context[2]), sourceFile: context[3] });
    } else if (!/^Context\b/.test(line)) {
      message.push(line); // a bare "Context" with nothing after it is a truncated capture
    }
  }
  const fullMessage = message.join('\n');
  const classified = classifyVBoxError(fields.resultCode, `${fullMessage}\n${warnings.join('\n')}`);
  return {
    error: { ...fields, message: fullMessage, canceled: /\bCANCELED\b/.test(text), ...classified },
    warnings,
  };
}

/** The DcodError to throw for a failed VBoxManage run: its message, result code and DCoD code. */
export function dcodErrorOf(parsed: VBoxManageError, context: readonly string[] = []): DcodError {
  const suffix = parsed.resultCode ? ` (${parsed.resultCode})` : '';
  return new DcodError(parsed.code, `${parsed.message}${suffix}`, { context, retryable: parsed.retryable });
}
