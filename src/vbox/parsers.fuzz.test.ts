/**
 * Every VBoxManage output parser against text it was never meant to see: random Unicode, the real captures
 * cut, spliced and salted with junk, and lines built from VBoxManage's own `key=value` / `Key: value`
 * grammar with hostile values. A parser may return anything or throw a DcodError with a code from the
 * closed list and a message; it must never throw anything else (a TypeError is a crash in the core).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DcodError, ERROR_CODES } from '../errors';
import { parseDebugVmStatistics } from './debugvm';
import { classifyVBoxError, parseVBoxManageStderr } from './error';
import { parseExtraDataEnumerate } from './extradata';
import { fixture, fixtureNames } from './fixtures.testkit';
import { parseGetValue } from './getvalue';
import { parseGuestProperties } from './guestproperty';
import { parseImportDryRun } from './importdryrun';
import * as list from './list';
import { parseMachineReadable } from './machinereadable';
import { parseMetricsQuery } from './metrics';
import { createProgressReader, parseProgress } from './progress';
import { mergedValues, parseRecords } from './records';
import * as results from './results';
import { parseShowVmInfo, parsePortForward } from './showvminfo';
import { parseSnapshotList, parseSnapshotListHuman } from './snapshot';
import { parseBannerVersion, parseVersion } from './version';

const PARSERS: Record<string, (text: string) => unknown> = {
  parseDebugVmStatistics,
  parseVBoxManageStderr: (t) => parseVBoxManageStderr(t),
  parseVBoxManageStderrNarrow: (t) => parseVBoxManageStderr(t, { wrapWidth: 7 }),
  classifyVBoxError: (t) => classifyVBoxError(t.split('\n')[0], t),
  parseExtraDataEnumerate,
  parseGetValue,
  parseGuestProperties,
  parseImportDryRun,
  parseVmList: list.parseVmList,
  parseHostInterfaces: list.parseHostInterfaces,
  parseHostOnlyNetworks: list.parseHostOnlyNetworks,
  parseNatNetworks: list.parseNatNetworks,
  parseDhcpServers: list.parseDhcpServers,
  parseMedia: list.parseMedia,
  parseHostDrives: list.parseHostDrives,
  parseSystemProperties: list.parseSystemProperties,
  parseHostInfo: list.parseHostInfo,
  parseIntNets: list.parseIntNets,
  parseOsTypes: list.parseOsTypes,
  parseMachineReadable,
  parseMetricsQuery,
  parseProgress,
  progressReaderChunks: (t) => {
    const r = createProgressReader();
    // Fed in uneven chunks, as a pipe delivers them.
    for (let i = 0; i < t.length; i += 1 + (i % 5)) r.push(t.slice(i, i + 1 + (i % 5)));
    return r.push('');
  },
  parseRecords,
  mergedValues,
  parseCreateVm: results.parseCreateVm,
  parseCreateMedium: results.parseCreateMedium,
  parseCloneVm: results.parseCloneVm,
  parseSnapshotTaken: results.parseSnapshotTaken,
  parseSnapshotAction: results.parseSnapshotAction,
  parseHostOnlyIfCreated: results.parseHostOnlyIfCreated,
  parseStartVm: results.parseStartVm,
  parseShowVmInfo,
  parsePortForward,
  parseSnapshotList,
  parseSnapshotListHuman,
  parseVersion,
  parseBannerVersion,
};

const NUM_RUNS = 1000;

/** Passes when the parser returns, or throws a DcodError that says what and why; anything else is a bug. */
function survives(name: string, parse: (text: string) => unknown, text: string): void {
  try {
    parse(text);
  } catch (err) {
    if (!(err instanceof DcodError)) {
      throw new Error(`${name} crashed on ${JSON.stringify(text.slice(0, 400))}: ${String(err)}`, { cause: err });
    }
    expect(Object.hasOwn(ERROR_CODES, err.code)).toBe(true);
    expect(err.message.length).toBeGreaterThan(0);
  }
}

const captures = fixtureNames().map((n) => fixture(n));

/** A capture cut, spliced with another, salted with junk: close enough to real output to reach deep code. */
const mutatedCapture = fc
  .record({
    a: fc.constantFrom(...captures),
    b: fc.constantFrom(...captures),
    cut: fc.nat(),
    cut2: fc.nat(),
    junk: fc.string({ unit: 'binary', maxLength: 40 }),
    dropLine: fc.nat(),
    crlf: fc.boolean(),
  })
  .map(({ a, b, cut, cut2, junk, dropLine, crlf }) => {
    const left = a.slice(0, cut % (a.length + 1));
    const right = b.slice(cut2 % (b.length + 1));
    const lines = `${left}${junk}${right}`.split('\n');
    lines.splice(dropLine % (lines.length + 1), 1);
    const text = lines.join('\n');
    return crlf ? text.replaceAll('\n', '\r\n') : text;
  });

const KEYS = ['name', 'UUID', 'VMState', 'nic1', 'bridgeadapter1', 'intnet1', 'macaddress1', 'cableconnected1', 'Forwarding(0)', 'SnapshotName', 'SnapshotUUID-1', 'CurrentSnapshotNode', 'memory', 'cpus', 'chipset', 'GuestAdditionsFacility_VirtualBox Base Driver', '"SATA-0-0"', 'Name', 'GUID', 'IPAddress', 'Status', 'Value', 'Timestamp', 'Flags', 'Key', 'ResultCode', 'VBoxManage: error', 'Progress state', 'Machine', 'Network', 'Dhcpd IP', 'LowerIPAddress', 'Enabled', 'Maximum ICH9 Network Adapter count', 'Processor count', 'Memory size', 'Virtual system 0'];
const VALUES = ['', '"', '""', '"a\\"b"', '=', '==', '"x=y"', '-1', '99999999999999999999', 'NaN', '0x', 'on', 'off', '{}', '(', ')', '<>', '\u0000', '\u202e', '🙂', 'none', 'running', '1,2,3', 'TCP,,', 'a:b:c:d', '    ', '\t', '8%...', 'CANCELED'];

/** Lines in VBoxManage's own shapes with hostile keys and values. */
const grammarText = fc
  .array(
    fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom('=', ': ', ':', ' = ', ':    '), fc.oneof(fc.constantFrom(...VALUES), fc.string({ maxLength: 12 })), fc.constantFrom('\n', '\r\n', '', '\n\n')),
    { maxLength: 40 },
  )
  .map((lines) => lines.map(([k, sep, v, end]) => `${k}${sep}${v}${end}`).join(''));

const anyText = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }), mutatedCapture, grammarText);

describe('every VBoxManage parser on hostile text', () => {
  for (const [name, parse] of Object.entries(PARSERS)) {
    it(`${name}: returns or throws a coded DcodError, never crashes`, () => {
      fc.assert(fc.property(anyText, (text) => survives(name, parse, text)), { numRuns: NUM_RUNS, seed: 11 });
    });
  }

  it('every parser survives every real capture whole (each parser on each capture)', () => {
    let cases = 0;
    for (const text of captures) {
      for (const [name, parse] of Object.entries(PARSERS)) {
        survives(name, parse, text);
        cases++;
      }
    }
    console.log(`[fuzz] vbox parsers: ${Object.keys(PARSERS).length} parsers × ${NUM_RUNS} random texts + ${cases} capture cross-checks, 0 crashes`);
  });
});
