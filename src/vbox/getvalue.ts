/**
 * The answer of `getextradata <vm> <key>` and `guestproperty get <vm> <name>`: `Value: <text>` or, when
 * the key is unset, `No value set!`. The text runs to the end of the output (values may hold line
 * breaks); only the one newline VBoxManage adds is removed.
 */
import { DcodError } from '../errors';

export function parseGetValue(text: string): string | undefined {
  const body = text.replace(/\r?\n$/, '');
  if (body.trim() === 'No value set!') return undefined;
  if (!body.startsWith('Value: ')) {
    throw new DcodError('VBOX_ERROR', `expected "Value: …" or "No value set!", got ${JSON.stringify(body.slice(0, 200))}`);
  }
  return body.slice('Value: '.length).replaceAll('\r\n', '\n');
}
