import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applianceVersion, checksumFor, compareVersions, defaultApplianceDir, locateAppliance } from './locate';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcod-locate-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function put(name: string, content: string, sum?: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  if (sum !== undefined) fs.writeFileSync(`${file}.sha256`, `${sum}  ${name}\n`);
  return file;
}
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('applianceVersion', () => {
  it('reads the version of dcod-proxy-<version>.ova names only', () => {
    expect(applianceVersion('dcod-proxy-0.1.0.ova')).toBe('0.1.0');
    expect(applianceVersion('dcod-proxy-1.2.3-rc.1.ova')).toBe('1.2.3-rc.1');
    expect(applianceVersion('dcod-proxy-1.2.ova')).toBeUndefined();
    expect(applianceVersion('other-1.2.3.ova')).toBeUndefined();
    expect(applianceVersion('dcod-proxy-1.2.3.ova.sha256')).toBeUndefined();
  });
});

describe('compareVersions', () => {
  it('orders by number, not text, and a pre-release before its release', () => {
    const sorted = ['0.10.0', '0.9.1', '1.0.0-rc.1', '1.0.0', '0.9.0'].sort(compareVersions);
    expect(sorted).toEqual(['0.9.0', '0.9.1', '0.10.0', '1.0.0-rc.1', '1.0.0']);
  });
});

describe('checksumFor', () => {
  it("finds the file's line in sha256sum's text and binary forms", () => {
    const d = 'A'.repeat(64);
    expect(checksumFor(`${'b'.repeat(64)}  other.ova\n${d} *dir/x.ova\n`, 'x.ova')).toBe(d.toLowerCase());
    expect(checksumFor('garbage', 'x.ova')).toBeUndefined();
  });
});

describe('locateAppliance', () => {
  it('picks the newest appliance in the folder and checks its checksum file', async () => {
    put('dcod-proxy-0.9.0.ova', 'old', sha('old'));
    put('dcod-proxy-0.10.0.ova', 'new', sha('new'));
    put('unrelated.ova', 'x');
    const f = await locateAppliance({ dir });
    expect(f).toMatchObject({ name: 'dcod-proxy-0.10.0.ova', version: '0.10.0', bytes: 3, sha256: sha('new') });
  });

  it('takes a file the user names, whatever its name, and without a checksum file', async () => {
    const f = await locateAppliance({ file: put('my-proxy.ova', 'mine') });
    expect(f).toMatchObject({ name: 'my-proxy.ova', version: 'my-proxy.ova', sha256: sha('mine') });
  });

  it('refuses a file that does not match its checksum, and says where it looked when there is none', async () => {
    await expect(locateAppliance({ file: put('dcod-proxy-2.0.0.ova', 'cut short', sha('complete')) })).rejects.toMatchObject({ code: 'FILE_ERROR' });
    await expect(locateAppliance({ dir: path.join(dir, 'nowhere') })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('nowhere') });
    await expect(locateAppliance({ file: path.join(dir, 'missing.ova') })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('looks in <config dir>/appliance by default', () => {
    expect(defaultApplianceDir({ XDG_CONFIG_HOME: '/cfg' })).toBe(path.join('/cfg', 'dcod', 'appliance'));
  });
});
