import { describe, expect, it } from 'vitest';
import { fixture, parseFixture } from './fixtures.testkit';
import { parseMachineReadable } from './machinereadable';

describe('parseMachineReadable', () => {
  it('reads bare, quoted and quoted-key lines in order', () => {
    const mr = parseMachineReadable('name="web 1"\nmemory=1024\n"SATA-0-0"="/vms/a.vdi"\n"SATA-ImageUUID-0-0"="ebb6dca0-879f-480b-a50e-9efe330bd021"\n');
    expect(mr.entries.map((e) => [e.key, e.value, e.form])).toEqual([
      ['name', 'web 1', 'quoted'],
      ['memory', '1024', 'bare'],
      ['SATA-0-0', '/vms/a.vdi', 'quoted'],
      ['SATA-ImageUUID-0-0', 'ebb6dca0-879f-480b-a50e-9efe330bd021', 'quoted'],
    ]);
    expect(mr.values.get('memory')).toBe('1024');
    expect(mr.stray).toEqual([]);
  });

  it('undoes escaped quotes and backslashes, keeps other backslashes, and reads escaped keys', () => {
    const mr = parseMachineReadable('name="say \\"hi\\" \\\\o/"\nuartmode1="file,G:\\Lab\\console.log"\n"a\\"b=c"="x"\n');
    expect(mr.values.get('name')).toBe('say "hi" \\o/');
    expect(mr.values.get('uartmode1')).toBe('file,G:\\Lab\\console.log');
    expect(mr.values.get('a"b=c')).toBe('x');
  });

  it('ends an unescaped value (older versions) at the last quote of its line', () => {
    expect(parseMachineReadable('name="my "vm""\n').values.get('name')).toBe('my "vm"');
  });

  it('continues a value over lines until its closing quote', () => {
    const mr = parseMachineReadable('description="first line\n\n  third \\"quoted\\" line"\nmemory=512\n');
    expect(mr.values.get('description')).toBe('first line\n\n  third "quoted" line');
    expect(mr.entries[1]).toMatchObject({ key: 'memory', line: 4 });
  });

  it('keeps an unterminated value at the end of a truncated capture', () => {
    expect(parseMachineReadable('name="cut off').values.get('name')).toBe('cut off');
  });

  it('reads the quirky lines of the 7.2.20 Windows capture: trailer, "==", header line, raw backslashes', () => {
    const mr = parseFixture('win-7.2.20-showvminfo-machinereadable-running-nat.txt', parseMachineReadable);
    expect(mr.entries.find((e) => e.key === 'VideoMode')).toMatchObject({ value: '720,400,0', trailer: '@0,0 1' });
    expect(mr.values.get('VRDEClients')).toBe('=0');
    expect(mr.stray).toEqual([{ line: 109, text: ' rec_screen0' }]);
    expect(mr.values.get('CfgFile')).toBe('G:\\PleiadesLab\\pleiades-probe\\pleiades-probe.vbox');
    const clone = parseMachineReadable(fixture('win-7.2.20-showvminfo-machinereadable-running-linked-clone-nat-hostonly-ide-scsi-floppy-uart.txt'));
    expect(clone.values.get('uartmode1')).toBe('file,G:\\PleiadesLab\\ubuntu-lab\\console.log');
  });

  it('splits the 4.2-era "Time offset=0" line that lost its newline', () => {
    const mr = parseFixture('showvminfo-machinereadable-macos-2013-running-time-offset-missing-newline-vagrant-1351-FRAGMENT.txt', parseMachineReadable);
    expect(mr.values.get('Time offset')).toBe('0');
    expect(mr.values.get('rtcuseutc')).toBe('on');
    expect(mr.entries.filter((e) => e.line === 26).map((e) => e.key)).toEqual(['Time offset', 'rtcuseutc']);
    expect(mr.stray).toEqual([{ line: 39, text: 'telepo' }]); // where the excerpt was cut
  });

  it('keeps the human "Encryption:" line 7.0.0 leaked into machine-readable output', () => {
    const mr = parseFixture('showvminfo-machinereadable-7.0.0-encryption-human-line-bug-vagrant-test-FRAGMENT.txt', parseMachineReadable);
    expect(mr.entries[1]).toEqual({ key: 'Encryption', value: 'disabled', form: 'colon', line: 2 });
    expect(mr.values.get('memory')).toBe('1024');
  });
});
