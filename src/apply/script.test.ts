import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyCommand, createBatchReader, posixApplyScript, powershellApplyScript, type BatchEvent, type BatchOperation } from './script';

/** Runs a batch script with this machine's /bin/sh, as `sh -s` on a host would (its temporary files in `tmp`). */
function runPosixIn(tmp: string | undefined, ops: readonly BatchOperation[]): { stdout: string; stderr: string } {
  const res = spawnSync('/bin/sh', ['-s'], { input: posixApplyScript(ops), encoding: 'utf8', ...(tmp ? { env: { ...process.env, TMPDIR: tmp } } : {}) });
  expect(res.status).toBe(0);
  return { stdout: res.stdout, stderr: res.stderr };
}
const runPosix = (ops: readonly BatchOperation[]) => runPosixIn(undefined, ops);

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

  it('reports the operations a cut stream left unfinished, with what the one being printed had printed', () => {
    const { stderr } = runPosix(ops);
    const reader = createBatchReader();
    const cut = stderr.indexOf('VBoxManage: error');
    const events = reader.push(stderr.slice(0, cut));
    expect(events.filter((e) => e.kind === 'finished').map((e) => e.id)).toEqual(['vm/a/create@h1']);
    expect(reader.unfinished).toContainEqual({ id: "vm/it's b/create@h1", output: 'one\n', command: 1 });
    expect(reader.unfinished.map((u) => u.id).sort()).toEqual(ops.slice(1).map((o) => o.id).sort());
  });

  it("runs lanes side by side, a lane's operations in order, and reports results in lane order", () => {
    const started = Date.now();
    const sleepy = (id: string, lane?: string): BatchOperation => ({ id, commands: [['sh', '-c', `sleep 0.4; echo ${id}; date +%s%N`]], ...(lane ? { lane } : {}) });
    const { stderr } = runPosix([sleepy('a'), sleepy('b'), sleepy('c1', 'c'), sleepy('c2', 'c')]);
    const finished = readAll(stderr).filter((e) => e.kind === 'finished');
    expect(finished.map((e) => e.id)).toEqual(['a', 'b', 'c1', 'c2']);
    const at = (id: string) => Number(finished.find((e) => e.id === id)!.output.split('\n')[1]) / 1e6;
    expect(at('c2') - at('c1')).toBeGreaterThanOrEqual(350); // one after the other
    expect(Math.abs(at('a') - at('b'))).toBeLessThan(350); // side by side
    expect(Date.now() - started).toBeLessThan(1600);
  });

  it('keeps at most maxLanes lanes running, and reports every operation whatever the limit', () => {
    const many = Array.from({ length: 7 }, (_, i): BatchOperation => ({ id: `op${i}`, commands: [['sh', '-c', `echo ${i}; exit ${i % 2}`]] }));
    const res = spawnSync('/bin/sh', ['-s'], { input: posixApplyScript(many, { maxLanes: 3 }), encoding: 'utf8' });
    const finished = readAll(res.stderr).filter((e) => e.kind === 'finished');
    expect(finished.map((e) => [e.id, e.rc, e.output])).toEqual(many.map((_, i) => [`op${i}`, i % 2, String(i)]));
    expect(readAll(res.stderr).filter((e) => e.kind === 'started')).toHaveLength(7);
  });

  it('says the batch is alive while a lane prints, and not while every lane is silent', () => {
    const alive = (command: string) => {
      const res = spawnSync('/bin/sh', ['-s'], { input: posixApplyScript([{ id: 'a', commands: [['sh', '-c', command]] }], { heartbeatS: 0.2 }), encoding: 'utf8' });
      return res.stderr.split('\x1eDCOD-ALIVE').length - 1;
    };
    expect(alive('for i in 1 2 3 4 5 6 7 8; do echo $i%; sleep 0.2; done')).toBeGreaterThanOrEqual(3);
    expect(alive('sleep 1.6')).toBeLessThanOrEqual(1); // its output file appearing, at most
  });

  it('leaves no temporary files on the host, also when the stream is cut early', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'dcod-script-test-'));
    try {
      runPosixIn(tmp, ops);
      const sh = spawn('/bin/sh', ['-s'], { env: { ...process.env, TMPDIR: tmp }, stdio: ['pipe', 'ignore', 'pipe'] });
      sh.stdin.end(posixApplyScript([{ id: 'a', commands: [['sh', '-c', 'sleep 0.3; echo late']] }, { id: 'b', commands: [['echo', 'b']] }]));
      await new Promise((resolve) => sh.stderr.once('data', resolve)); // the first start marker: then the reader goes away
      sh.stderr.destroy();
      await new Promise((resolve) => sh.once('exit', resolve));
      expect(readdirSync(tmp)).toEqual([]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("takes a start marker out of another operation's output wherever it lands", () => {
    const text = `\x1eDCOD-OP a\n\x1eDCOD-OUT a\n\x1eDCOD-CMD 0\nhalf a line \x1eDCOD-OP b\nand the rest\n\x1eDCOD-OP-RC 0\n`;
    expect(readAll(text)).toEqual([
      { kind: 'started', id: 'a' },
      { kind: 'started', id: 'b' },
      { kind: 'finished', id: 'a', rc: 0, output: 'half a line and the rest', command: 0 },
    ]);
  });
});

describe('the PowerShell batch script', () => {
  it('quotes every argument as a literal and stops an operation at its first failure', () => {
    const script = powershellApplyScript([{ id: "vm/o'neil/create@w1", commands: [['C:\\VB\\VBoxManage.exe', 'createvm', '--name', "o'neil $x"], ['x']] }]);
    expect(script).toContain(`$E.WriteLine("\${M}OP " + 'vm/o''neil/create@w1'); $E.WriteLine("\${M}OUT " + 'vm/o''neil/create@w1'); $rc = 0`);
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
