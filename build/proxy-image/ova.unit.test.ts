import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseManifest, parseOvf } from '../../e2e/lab/vboxsim/ovf';
import { readTar } from '../../e2e/lab/vboxsim/tar';
import { uuidFrom } from './descriptor';
import { packOva, sha256, type PackInput } from './ova';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcod-ova-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function rawDisk(): string {
  const file = path.join(dir, 'disk.raw');
  const b = Buffer.alloc(4 * 1024 * 1024);
  b.write('a tiny disk', 1024 * 1024);
  fs.writeFileSync(file, b);
  return file;
}

const input = (ova: string): PackInput => ({
  rawDisk: rawDisk(),
  ova,
  mtime: 1_700_000_000,
  level: 1,
  descriptor: {
    name: 'dcod-proxy',
    description: 'test',
    ostype: 'Debian_64',
    cpus: 1,
    memoryMB: 64,
    nics: 36,
    nicType: 'virtio',
    macPrefix: '080027DC00',
    machineUuid: uuidFrom('vm'),
    disk: { uuid: uuidFrom('disk') },
    extradata: {},
    product: { name: 'dcod-proxy', version: '9.9.9', vendor: 'DCoD' },
  },
});

describe('packOva', () => {
  it('writes the descriptor, the disk and a manifest that matches them, in that order, and a checksum file', () => {
    const ova = path.join(dir, 'a', 'dcod-proxy-9.9.9.ova');
    const packed = packOva(input(ova));
    const entries = readTar(fs.readFileSync(ova));
    expect(entries.map((e) => e.name)).toEqual(['dcod-proxy-9.9.9.ovf', 'dcod-proxy-9.9.9-disk001.vmdk', 'dcod-proxy-9.9.9.mf']);
    expect(entries.every((e) => e.mtime === 1_700_000_000)).toBe(true);
    const mf = parseManifest(entries[2]!.data.toString('utf8'));
    for (const e of entries.slice(0, 2)) expect(mf.get(e.name)).toEqual({ algorithm: 'sha256', digest: sha256(e.data) });
    const sys = parseOvf(entries[0]!.data.toString('utf8')).systems[0]!;
    expect(sys.disks[0]).toMatchObject({ href: 'dcod-proxy-9.9.9-disk001.vmdk', capacity: 4 * 1024 * 1024 });
    expect(fs.readFileSync(`${ova}.sha256`, 'utf8')).toBe(`${packed.sha256}  dcod-proxy-9.9.9.ova\n`);
    expect(sha256(fs.readFileSync(ova))).toBe(packed.sha256);
  });

  it('gives the same bytes from the same inputs, wherever and whenever it runs', () => {
    const a = packOva(input(path.join(dir, 'x', 'dcod-proxy-9.9.9.ova')));
    const b = packOva(input(path.join(dir, 'y', 'dcod-proxy-9.9.9.ova')));
    expect(a.sha256).toBe(b.sha256);
    const c = packOva({ ...input(path.join(dir, 'z', 'dcod-proxy-9.9.9.ova')), mtime: 1_700_000_001 });
    expect(c.sha256).not.toBe(a.sha256);
  });
});
