/**
 * Test-only access to the real VBoxManage captures in ../shared/fixtures/vboxmanage (see its SOURCES.md).
 * Parser tests name every capture they cover; fixtures.test.ts checks that none is left without a test.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';

const repoRoot = path.resolve(import.meta.dirname, '../..');
export const FIXTURE_DIR = path.resolve(repoRoot, '../shared/fixtures/vboxmanage');

export function fixture(name: string): string {
  return readFileSync(path.join(FIXTURE_DIR, name), 'utf8');
}

export function fixtureNames(): string[] {
  return readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.txt')).sort();
}

/** The same capture with the other line ending: CRLF captures as LF, LF captures as CRLF. */
export function otherLineEnding(text: string): string {
  return text.includes('\r\n') ? text.replaceAll('\r\n', '\n') : text.replaceAll('\n', '\r\n');
}

/** Parses a capture and its other-line-ending twin, asserts both give the same result, and returns it. */
export function parseFixture<T>(name: string, parse: (text: string) => T): T {
  const text = fixture(name);
  const result = parse(text);
  expect(parse(otherLineEnding(text))).toEqual(result);
  return result;
}
