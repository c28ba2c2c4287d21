// VirtualBox's own error shapes, as VBoxManage prints them on Linux (XPCOM build).
// Every failure the simulator reports is one of these, so callers see the same lines and exit codes
// a real 7.0 host would give them.

/** COM/XPCOM result codes VBoxManage names in `Details: code NAME (0x…)`. Closed list. */
export const RESULT_CODES = {
  VBOX_E_OBJECT_NOT_FOUND: 0x80bb0001,
  VBOX_E_INVALID_VM_STATE: 0x80bb0002,
  VBOX_E_VM_ERROR: 0x80bb0003,
  VBOX_E_FILE_ERROR: 0x80bb0004,
  VBOX_E_IPRT_ERROR: 0x80bb0005,
  VBOX_E_INVALID_OBJECT_STATE: 0x80bb0007,
  VBOX_E_HOST_ERROR: 0x80bb0008,
  VBOX_E_NOT_SUPPORTED: 0x80bb0009,
  VBOX_E_XML_ERROR: 0x80bb000a,
  VBOX_E_OBJECT_IN_USE: 0x80bb000c,
  // XPCOM spells E_FAIL and E_INVALIDARG with their NS_ names (see the bsdploy capture).
  NS_ERROR_FAILURE: 0x80004005,
  NS_ERROR_INVALID_ARG: 0x80070057,
} as const;
export type ResultCode = keyof typeof RESULT_CODES;

export const PROGRAM = 'VBoxManage';

/** One `ErrorInfo` as GluePrintErrorInfo prints it. */
export interface ComErrorInfo {
  readonly text: string;
  readonly code: ResultCode;
  readonly component: string;
  readonly iface: string;
  /** Empty for errors that come from a progress object (they carry no callee). */
  readonly callee?: string;
}

/** Where CHECK_ERROR was when the call failed: the stringised call, its line and file (7.0.14 source). */
export interface ErrorContext {
  readonly call: string;
  readonly line: number;
  readonly file: string;
}

/** Prefixes every line of a message the way RTMsgError does. */
export function msgError(text: string): string {
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  return body.split('\n').map((l) => `${PROGRAM}: error: ${l}\n`).join('');
}

export function msgWarning(text: string): string {
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  return body.split('\n').map((l) => `${PROGRAM}: warning: ${l}\n`).join('');
}

export function hex32(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

export function formatErrorInfo(info: ComErrorInfo): string {
  const parts = [
    `code ${info.code} (${hex32(RESULT_CODES[info.code])})`,
    `component ${info.component}`,
    `interface ${info.iface}`,
  ];
  if (info.callee) parts.push(`callee ${info.callee}`);
  return msgError(`${info.text}\nDetails: ${parts.join(', ')}`);
}

export function formatContext(ctx: ErrorContext): string {
  return msgError(`Context: "${ctx.call}" at line ${ctx.line} of file ${ctx.file}`);
}

/**
 * A failure that ends the command: `stderr` is printed as is, then the process exits with `exitCode`.
 * Text already written to stdout before the failure stays (VBoxManage prints as it goes).
 */
export class VBoxError extends Error {
  constructor(
    readonly stderr: string,
    readonly exitCode: 1 | 2,
  ) {
    super(stderr.trimEnd());
  }
}

/** A COM call failed inside CHECK_ERROR: error info, then the context line. Exit code 1. */
export function comFailure(info: ComErrorInfo, ctx: ErrorContext): VBoxError {
  return new VBoxError(formatErrorInfo(info) + formatContext(ctx), 1);
}

/** RTMsgErrorExit(RTEXITCODE_FAILURE, …). */
export function plainFailure(text: string): VBoxError {
  return new VBoxError(msgError(text), 1);
}

/** errorArgument(): message only, RTEXITCODE_SYNTAX. */
export function argumentError(text: string): VBoxError {
  return new VBoxError(msgError(text), 2);
}

/** showLogo(): printed once before syntax errors. */
export function logo(version: string): string {
  return `Oracle VM VirtualBox Command Line Management Interface Version ${version}\nCopyright (C) 2005-2023 Oracle and/or its affiliates\n\n`;
}

/**
 * errorSyntax()/errorGetOpt(): logo, the message, a blank line. VirtualBox then prints the command's
 * brief usage (generated from its manual pages); the simulator does not reproduce that block.
 * Exit code 2 (RTEXITCODE_SYNTAX) unless the handler maps the failure to 1, as several do.
 */
export function syntaxError(version: string, text: string, exitCode: 1 | 2 = 2): VBoxError {
  return new VBoxError(`${logo(version)}${msgError(text)}\n`, exitCode);
}
