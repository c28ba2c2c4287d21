import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyCommand, createBatchReader, posixApplyScript, powershellApplyScript, type BatchEvent, type BatchOperation } from './script';

/** Runs a batch script with this machine's /bin/sh, as `sh -s` on a host would. */
function runPosix(ops: readonly BatchOperation[]): { stdout: string; stderr: string } {
  const res = spawnSync('/bin/sh', ['-s'], { input: posixApplyScript(ops), encoding: 'utf8' });
  expect(res.status).toBe(0);
  return { stdout: res.stdout, stderr: res.stderr };
}

const readAll = (text: string, cuts: readonly number[] = []): BatchEvent[] => {
  const reader = createBatchReader();
  const events: BatchEvent[] = [];
  let from = 0;
  for (const at of [...cuts].sort((a, b) => a - b)) {
    events.push(...reader.push(text.slice(from, at)));
    from = at;
  }
  events.push(...reader.push(text.slice(from)));
  return events;
};

const ops: BatchOperation[] = [
  { id: 'vm/a/create@h1', commands: [['echo', 'made a'], ['sh', '-c', 'echo "set a" >&2']] },
  { id: "vm/it's b/create@h1", commands: [['echo', 'one'], ['sh', '-c', 'printf "VBoxManage: error: no\\n" >&2; exit 3'], ['echo', 'never']] },
  { id: 'vm/c/start@h1', commands: [['printf', 'no newline']] },
  { id: 'switch/empty@h1', commands: [] },
  { id: 'vm/d/stdin@h1', commands: [['cat'], ['echo', 'after cat']] },
];

describe('the POSIX batch script', () => {
  it('runs each operation to its first failing command, goes on with the next, and says which command failed', () => {
    const { stdout, stderr } = runPosix(ops);
    expect(stdout).toBe(''); // everything goes to stderr, which the runner streams
    const finished = readAll(stderr).filter((e) => e.kind === 'finished');
    expect(finished).toEqual([
      { kind: 'finished', id: 'vm/a/create@h1', rc: 0, output: 'made a\nset a', command: 1 },
      { kind: 'finished', id: "vm/it's b/create@h1", rc: 3, output: 'one\nVBoxManage: error: no', command: 1 },
      { kind: 'finished', id: 'vm/c/start@h1', rc: 0, output: 'no newline', command: 0 },
      { kind: 'finished', id: 'switch/empty@h1', rc: 0, output: '', command: undefined },
      // `cat` reads /dev/null, not the rest of the script.
      { kind: 'finished', id: 'vm/d/stdin@h1', rc: 0, output: 'after cat', command: 1 },
    ]);
  });

  it('passes shell syntax in arguments as plain text', () => {
    const { stderr } = runPosix([{ id: 'x', commands: [['echo', '$(touch /tmp/never); `id` "q" \'s\' \\ ;|&']] }]);
    expect(readAll(stderr).at(-1)).toMatchObject({ output: '$(touch /tmp/never); `id` "q" \'s\' \\ ;|&', rc: 0 });
  });

  it('gives the same events however the output is cut into chunks', () => {
    const { stderr } = runPosix(ops);
    const whole = readAll(stderr);
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: stderr.length }), { maxLength: 12 }), (cuts) => {
      expect(readAll(stderr, cuts)).toEqual(whole);
    }));
  });

  it('reports the started operation that a cut stream left open', () => {
    const { stderr } = runPosix(ops);
    const reader = createBatchReader();
    const cut = stderr.indexOf('VBoxManage: error');
    const events = reader.push(stderr.slice(0, cut));
    expect(events.map((e) => `${e.kind} ${e.id}`)).toEqual(['started vm/a/create@h1', 'finished vm/a/create@h1', "started vm/it's b/create@h1"]);
    expect(reader.open).toEqual({ id: "vm/it's b/create@h1", output: 'one\n', command: 1 });
  });
});

describe('the PowerShell batch script', () => {
  it('quotes every argument as a literal and stops an operation at its first failure', () => {
    const script = powershellApplyScript([{ id: "vm/o'neil/create@w1", commands: [['C:\\VB\\VBoxManage.exe', 'createvm', '--name', "o'neil $x"], ['x']] }]);
    expect(script).toContain(`$E.WriteLine("\${M}OP " + 'vm/o''neil/create@w1'); $rc = 0`);
    expect(script).toContain(`if ($rc -eq 0) { $rc = Cmd 0 'C:\\VB\\VBoxManage.exe' 'createvm' '--name' 'o''neil $x' }`);
    expect(script).toContain(`if ($rc -eq 0) { $rc = Cmd 1 'x' }`);
  });

  it('reaches cmd.exe only as base64, so no quoting of the script is involved', () => {
    const { commandLine, stdin } = applyCommand('cmd', [{ id: 'a', commands: [['x', '"&|<>^']] }]);
    expect(stdin).toBeUndefined();
    const encoded = commandLine.split(' ').at(-1)!;
    expect(Buffer.from(encoded, 'base64').toString('utf16le')).toContain(`'"&|<>^'`);
  });
});
