import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalRunner } from '../hosts/local-runner';
import { FrameReader, type Frame } from './frames';
import { samplerCommand, samplerScript } from './sampler-script';

const dir = await mkdtemp(path.join(os.tmpdir(), 'dcod-sampler-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A VBoxManage that answers `debugvm <uuid> statistics` for one running VM, and records its pid. */
async function fakeVBoxManage(): Promise<string> {
  const file = path.join(dir, 'VBoxManage');
  const xml = '<Statistics>\n<Counter c="42" unit="bytes" name="/Public/NetAdapter/1/BytesTransmitted"/>\n</Statistics>';
  await writeFile(file, `#!/bin/sh\necho $$ >> ${dir}/pids\n[ "$2" = running ] || { echo "Machine '$2' is not currently running." >&2; exit 1; }\nprintf '%s\\n' '${xml}'\n`);
  await chmod(file, 0o755);
  return file;
}

describe('samplerScript', () => {
  it('streams a frame per interval over one command, until its stdin closes', async () => {
    const reader = new FrameReader();
    const frames: Frame[] = [];
    let two!: () => void;
    const gotTwo = new Promise<void>((r) => (two = r));
    const cmd = samplerCommand({ devicePrefixes: ['lo'], masterPrefix: 'dcod-nothing', vms: ['running', "stopped'; touch /tmp/x"], vboxmanage: await fakeVBoxManage(), intervalS: 1 });
    const stream = new LocalRunner().execStream(cmd, {
      onStdout: (c) => {
        frames.push(...reader.push(c));
        if (frames.length >= 2) two();
      },
    });
    await gotTwo;
    await stream.stop();
    expect(await stream.done).toEqual({ code: 0 });
    const [a, b] = frames;
    expect(a!.devices.has('lo')).toBe(true);
    expect(a!.ports.size).toBe(0);
    expect(a!.vms).toEqual(new Map([['running', new Map([[2, { txBytes: 42 }]])]]));
    expect(b!.uptime! - a!.uptime!).toBeGreaterThanOrEqual(0.9);
  });

  it('refuses names that could become shell syntax, and intervals that are not whole seconds', () => {
    expect(() => samplerScript({ devicePrefixes: ['dcod-;reboot'], vms: [], vboxmanage: 'VBoxManage', intervalS: 1 })).toThrow(/device prefix/);
    expect(() => samplerScript({ devicePrefixes: [], masterPrefix: 'dcod-*', vms: [], vboxmanage: 'VBoxManage', intervalS: 1 })).toThrow(/bridge prefix/);
    expect(() => samplerScript({ devicePrefixes: [], vms: [], vboxmanage: 'VBoxManage', intervalS: 0.5 })).toThrow(/whole number/);
  });
});
