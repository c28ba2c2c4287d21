/**
 * The "Add host" form as data: what it holds (never a secret: the password stays in the form's own
 * state until it is sent), what it sends to `hosts.add`, and how the core's BAD_REQUEST answer is put
 * back next to the field it is about.
 */
import type { CallParams, Candidate, ErrorInfo, InventoryHost } from '../../src/api/contract';

export type HostInput = CallParams<'hosts.add'>;
export type AuthInput = HostInput['auth'];
export type HostOs = InventoryHost['os'];
export type AuthMethod = AuthInput['method'];

export const HOST_OSES: readonly HostOs[] = ['linux', 'windows', 'macos'];
export const AUTH_METHODS: readonly { readonly method: AuthMethod; readonly label: string }[] = [
  { method: 'password', label: 'Password' },
  { method: 'key', label: 'Key file' },
  { method: 'agent', label: 'SSH agent' },
];

/** Everything the form shows except the password. */
export interface HostDraft {
  readonly name: string;
  readonly address: string;
  /** As typed: the field is text so a half-typed value isn't lost. */
  readonly port: string;
  readonly os: HostOs;
  readonly user: string;
  readonly method: AuthMethod;
  readonly keyFile: string;
}

export const EMPTY_DRAFT: HostDraft = { name: '', address: '', port: '22', os: 'linux', user: '', method: 'password', keyFile: '' };

/** The credentials part the Discover dialog shares with the form (again, without the password). */
export interface Credentials {
  readonly user: string;
  readonly method: AuthMethod;
  readonly keyFile: string;
}

export type FormField = 'name' | 'address' | 'port' | 'os' | 'user' | 'method' | 'keyFile' | 'password' | 'socket';
/** Messages by field; `form` holds what belongs to no single field. */
export type FieldErrors = Partial<Record<FormField | 'form', string>>;

/** What the form sends for a method; an empty password is left out so the core says what is missing. */
export function authInputOf(method: AuthMethod, secrets: { readonly password: string; readonly keyFile: string }): AuthInput {
  switch (method) {
    case 'password':
      return secrets.password ? { method, password: secrets.password } : { method };
    case 'key':
      return { method, keyFile: secrets.keyFile.trim() };
    case 'agent':
      return { method };
  }
}

/**
 * The call to make, or what is wrong before making it. Only the port is checked here (a text field that
 * must become a number); every other rule is the core's, and its answer comes back through `fieldErrorsOf`.
 */
export function hostInputOf(draft: HostDraft, password: string): { readonly input: HostInput } | { readonly errors: FieldErrors } {
  const portText = draft.port.trim();
  const port = portText === '' ? undefined : Number(portText);
  if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535)) {
    return { errors: { port: 'a port is a whole number from 1 to 65535' } };
  }
  return {
    input: {
      name: draft.name.trim(),
      address: draft.address.trim(),
      ...(port === undefined ? {} : { port }),
      os: draft.os,
      user: draft.user.trim(),
      auth: authInputOf(draft.method, { password, keyFile: draft.keyFile }),
    },
  };
}

const FIELD_OF_PATH: Readonly<Record<string, FormField>> = {
  name: 'name',
  address: 'address',
  port: 'port',
  os: 'os',
  user: 'user',
  auth: 'method',
  'auth.method': 'method',
  'auth.keyFile': 'keyFile',
  'auth.password': 'password',
  'auth.passwordRef': 'password',
  'auth.passphrase': 'keyFile',
  'auth.socket': 'socket',
};

/**
 * Puts the core's answer next to the fields it names. The dispatcher words a schema failure as
 * `bad parameters for hosts.add: name: …; auth.keyFile: …`; anything else (a service-level BAD_REQUEST
 * such as "give a password…", an unreachable keychain) belongs to the whole form.
 */
export function fieldErrorsOf(error: ErrorInfo): FieldErrors {
  const m = /^bad parameters for [\w.]+: ([\s\S]*)$/.exec(error.message);
  if (error.code !== 'BAD_REQUEST' || !m) return { form: error.message };
  const errors: Partial<Record<FormField | 'form', string[]>> = {};
  for (const issue of m[1]!.split('; ')) {
    const sep = issue.indexOf(': ');
    const path = sep < 0 ? '' : issue.slice(0, sep);
    const field = FIELD_OF_PATH[path] ?? 'form';
    (errors[field] ??= []).push(field === 'form' ? issue : issue.slice(sep + 2));
  }
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, v.join('; ')])) as FieldErrors;
}

/** A name for a discovered host, like `dcod hosts import` gives (`host-192-168-1-20`), unique in the inventory. */
export function suggestName(address: string, taken: ReadonlySet<string>): string {
  const base = `host-${address.replace(/[^A-Za-z0-9]+/g, '-')}`.slice(0, 58);
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
  return name;
}

/** The form, filled from a discovered row and the credentials the sweep was given. */
export function draftFromCandidate(candidate: Candidate, credentials: Credentials, taken: ReadonlySet<string>): HostDraft {
  const os = candidate.os === 'windows' || candidate.os === 'macos' ? candidate.os : 'linux';
  return {
    name: suggestName(candidate.address, taken),
    address: candidate.address,
    port: String(candidate.port),
    os,
    user: credentials.user,
    method: credentials.method,
    keyFile: credentials.keyFile,
  };
}
