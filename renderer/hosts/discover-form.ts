/**
 * The Discover dialog's form as data. DCoD never sweeps a network the user didn't name, so no input is
 * made without at least one range typed by them.
 */
import type { CallParams } from '../../src/api/contract';
import { authInputOf, type Credentials } from './host-form';

export type DiscoverInput = CallParams<'discovery.run'>;

/** Splits what the user typed into ranges: commas, semicolons, spaces and line breaks all separate. */
export function parseRanges(text: string): string[] {
  return text.split(/[\s,;]+/).filter(Boolean);
}

/**
 * The call to make, or why not. Listening for mDNS announcements sweeps nothing, so it may go alone.
 * Credentials go along only when a user is named.
 */
export function discoverInputOf(rangesText: string, mdns: boolean, credentials: Credentials, password: string): { readonly input: DiscoverInput } | { readonly error: string } {
  const cidrs = parseRanges(rangesText);
  if (!cidrs.length && !mdns) return { error: 'Type at least one range to sweep, such as 192.168.1.0/24, or listen for mDNS announcements.' };
  const user = credentials.user.trim();
  return { input: { cidrs, ...(mdns ? { mdns: true } : {}), ...(user ? { user, auth: authInputOf(credentials.method, { password, keyFile: credentials.keyFile }) } : {}) } };
}
