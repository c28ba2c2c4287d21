import { describe, expect, it } from 'vitest';
import { parseFixture } from './fixtures.testkit';
import { parseGetValue } from './getvalue';

describe('parseGetValue', () => {
  it.each([
    ['guestproperty-get-value-4x-vagrant-test-literal.txt', 'Baz'],
    ['guestproperty-get-ip-vagrant-test-literal.txt', '127.1.2.3'],
    ['guestproperty-get-no-value-set-vagrant-test-literal.txt', undefined],
  ])('%s', (name, value) => {
    expect(parseFixture(name, parseGetValue)).toBe(value);
  });

  it('keeps spaces and inner line breaks, drops only the final newline', () => {
    expect(parseGetValue('Value:  a\r\nb \r\n')).toBe(' a\nb ');
    expect(parseGetValue('Value: \n')).toBe('');
  });

  it('throws on anything else', () => {
    expect(() => parseGetValue("VBoxManage: error: Could not find a registered machine named 'x'")).toThrow(/expected "Value: …"/);
  });
});
