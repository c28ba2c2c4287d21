import { describe, expect, it } from 'vitest';
import { discoverInputOf, parseRanges } from './discover-form';

const creds = { user: '', method: 'password', keyFile: '' } as const;

describe('the Discover form', () => {
  it('splits ranges on commas, spaces and line breaks', () => {
    expect(parseRanges(' 10.0.0.0/24, 10.0.1.0/24\n10.0.2.5 ,,')).toEqual(['10.0.0.0/24', '10.0.1.0/24', '10.0.2.5']);
  });

  it('never makes a sweep without a range the user typed', () => {
    expect(discoverInputOf('  , ', false, creds, '')).toHaveProperty('error');
  });

  it('sends credentials only when a user is named', () => {
    expect(discoverInputOf('10.0.0.0/24', false, creds, 'pw')).toEqual({ input: { cidrs: ['10.0.0.0/24'] } });
    expect(discoverInputOf('', true, creds, 'pw')).toEqual({ input: { cidrs: [], mdns: true } });
    expect(discoverInputOf('10.0.0.0/24', false, { ...creds, user: ' dcod ' }, 'pw')).toEqual({ input: { cidrs: ['10.0.0.0/24'], user: 'dcod', auth: { method: 'password', password: 'pw' } } });
  });
});
