import { describe, expect, it } from 'vitest';
import type { ErrorInfo } from '../../src/api/contract';
import { draftFromCandidate, EMPTY_DRAFT, fieldErrorsOf, hostInputOf, suggestName } from './host-form';

const badRequest = (message: string): ErrorInfo => ({ code: 'BAD_REQUEST', message, retryable: false, context: [] });

describe('hostInputOf', () => {
  const draft = { ...EMPTY_DRAFT, name: ' h1 ', address: '10.0.0.11 ', user: 'dcod' };

  it('sends a typed password as is, for the core to seal in the keychain', () => {
    expect(hostInputOf(draft, 's3cret')).toEqual({ input: { name: 'h1', address: '10.0.0.11', port: 22, os: 'linux', user: 'dcod', auth: { method: 'password', password: 's3cret' } } });
  });

  it('leaves an empty password out, so the core says what is missing', () => {
    expect(hostInputOf(draft, '')).toMatchObject({ input: { auth: { method: 'password' } } });
  });

  it('sends a key file or the agent', () => {
    expect(hostInputOf({ ...draft, method: 'key', keyFile: ' ~/.ssh/id_ed25519 ' }, 'ignored')).toMatchObject({ input: { auth: { method: 'key', keyFile: '~/.ssh/id_ed25519' } } });
    expect(hostInputOf({ ...draft, method: 'agent' }, 'ignored')).toMatchObject({ input: { auth: { method: 'agent' } } });
  });

  it('refuses a port that is not a port, and leaves an empty one to the default', () => {
    expect(hostInputOf({ ...draft, port: '22a' }, '')).toEqual({ errors: { port: 'a port is a whole number from 1 to 65535' } });
    expect(hostInputOf({ ...draft, port: '70000' }, '')).toHaveProperty('errors.port');
    expect(hostInputOf({ ...draft, port: '' }, 'x')).not.toHaveProperty('input.port');
  });
});

describe('fieldErrorsOf', () => {
  it('puts each issue of a schema refusal next to its field', () => {
    const e = badRequest('bad parameters for hosts.add: name: use letters, digits; auth.keyFile: Too small: expected string to have >=1 characters; user: Required');
    expect(fieldErrorsOf(e)).toEqual({ name: 'use letters, digits', keyFile: 'Too small: expected string to have >=1 characters', user: 'Required' });
  });

  it('keeps issues about no single field, and other refusals, for the whole form', () => {
    expect(fieldErrorsOf(badRequest('bad parameters for hosts.add: (params): Unrecognized key: "x"'))).toEqual({ form: '(params): Unrecognized key: "x"' });
    expect(fieldErrorsOf(badRequest('host h1: give a password or a reference to one'))).toEqual({ form: 'host h1: give a password or a reference to one' });
    expect(fieldErrorsOf({ code: 'DISCONNECTED', message: 'lost the connection', retryable: true, context: [] })).toEqual({ form: 'lost the connection' });
  });
});

describe('drafts from discovery', () => {
  it('suggests a unique name from the address', () => {
    expect(suggestName('10.0.0.11', new Set())).toBe('host-10-0-0-11');
    expect(suggestName('10.0.0.11', new Set(['host-10-0-0-11', 'host-10-0-0-11-2']))).toBe('host-10-0-0-11-3');
  });

  it('fills the form from the row and the sweep credentials, never a password', () => {
    const draft = draftFromCandidate({ address: '10.0.0.12', port: 2222, os: 'bsd', source: 'sweep' }, { user: 'dcod', method: 'password', keyFile: '' }, new Set());
    expect(draft).toEqual({ name: 'host-10-0-0-12', address: '10.0.0.12', port: '2222', os: 'linux', user: 'dcod', method: 'password', keyFile: '' });
  });
});
