import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tcpdumpScript } from './tcpdump';

const dir = await mkdtemp(path.join(os.tmpdir(), 'dcod-tcpdump-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A tcpdump stand-in: prints its argv, then runs what $FAKE says (sleep, or fail). */
await writeFile(path.join(dir, 'tcpdump'), '#!/bin/sh\nprintf "%s|" "$@"; echo\nif [ "$FAKE" = fail ]; then echo "tcpdump: syntax error" >&2; exit 1; fi\nexec sleep 30\n');
await chmod(path.join(dir, 'tcpdump'), 0o755);

function runScript(script: string, fake: string) {
  const child = spawn('/bin/sh', ['-c', script], { env: { ...process.env, PATH: `${dir}:${process.env.PATH}`, FAKE: fake }, stdio: 'pipe' });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  const code = new Promise<number | null>((r) => child.on('close', (c) => r(c)));
  return { child, code, out: () => out };
}

describe('tcpdumpScript', () => {
  it('passes device and filter as single arguments and ends tcpdump when stdin closes', async () => {
    const r = runScript(tcpdumpScript({ device: 'dcod-br5001', filter: "icmp and host 10.0.0.1'; reboot" }), 'sleep');
    await new Promise((res) => setTimeout(res, 300));
    expect(r.out()).toBe("-U|--immediate-mode|-n|-Z|root|-s|0|-w|-|-i|dcod-br5001|icmp and host 10.0.0.1'; reboot|\n");
    r.child.stdin.end();
    expect(await r.code).toBe(143); // wait reports tcpdump killed by SIGTERM
  });

  it('ends with tcpdump when it fails by itself, though stdin stays open', async () => {
    const r = runScript(tcpdumpScript({ device: 'nope' }), 'fail');
    expect(await r.code).toBe(1);
    r.child.stdin.end();
  });
});
