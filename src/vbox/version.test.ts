import { describe, expect, it } from 'vitest';
import { parseFixture } from './fixtures.testkit';
import { compareVersions, parseBannerVersion, parseVersion } from './version';

describe('parseVersion', () => {
  it.each([
    ['version-4.3.28-plain-vagrant-tramp-16.txt', '4.3.28r100309', [4, 3, 28], '', 100309],
    ['version-5.2.4-macos-plain-kitematic-2499.txt', '5.2.4r119785', [5, 2, 4], '', 119785],
  ])('plain: %s', (name, raw, [major, minor, patch], suffix, revision) => {
    expect(parseFixture(name, parseVersion)).toEqual({ raw, major, minor, patch, suffix, revision, warnings: [] });
  });

  it('after a vboxdrv warning, with the distribution suffix (4.1.2_Ubuntu)', () => {
    const v = parseFixture('version-4.1.2-ubuntu-ose-dev-vboxdrv-missing-warning-vagrant-pr-846.txt', parseVersion);
    expect(v).toMatchObject({ raw: '4.1.2_Ubuntur38459', major: 4, minor: 1, patch: 2, suffix: '_Ubuntu', revision: 38459 });
    expect(v.warnings).toEqual([
      'WARNING: The character device /dev/vboxdrv does not exist. Please install the virtualbox-ose-dkms package and the appropriate headers, most likely linux-headers-generic. You will not be able to start VMs until this problem is fixed.',
    ]);
  });

  it.each([
    ['version-5.2.6-arch-vboxdrv-not-loaded-warning-minikube-2522.txt', '5.2.6r120293', [5, 2, 6], 120293, '4.15.1-2-ARCH'],
    ['version-6.0.12-linux-vboxdrv-not-loaded-warning-minikube-5291.txt', '6.0.12r133076', [6, 0, 12], 133076, '5.0.0-27-generic'],
  ])('after a "module not loaded" warning with no final newline: %s', (name, raw, [major, minor, patch], revision, kernel) => {
    const v = parseFixture(name, parseVersion);
    expect(v).toMatchObject({ raw, major, minor, patch, suffix: '', revision });
    expect(v.warnings).toHaveLength(1);
    expect(v.warnings[0]).toContain(`(${kernel})`);
    expect(v.warnings[0]).toContain('sudo /sbin/vboxconfig');
  });

  it('after a warning indented with tabs (6.1.26_Ubuntu on WSL)', () => {
    const v = parseFixture('version-6.1.26-wsl-dev-vboxdrv-missing-warning-with-TABS-FRAGMENT.txt', parseVersion);
    expect(v).toMatchObject({ raw: '6.1.26_Ubuntur145957', major: 6, minor: 1, patch: 26, suffix: '_Ubuntu', revision: 145957 });
    expect(v.warnings[0]).toContain('Please install the virtualbox-dkms package');
    expect(v.warnings[0]).not.toContain('\t');
  });

  it('other suffixes, and none at all', () => {
    expect(parseVersion('6.1.26_OSEr145957\n')).toMatchObject({ suffix: '_OSE', revision: 145957 });
    expect(parseVersion('7.0.6_Fedorar155176\n')).toMatchObject({ suffix: '_Fedora', revision: 155176 });
    expect(parseVersion('7.1.0_BETA1r163590\n')).toMatchObject({ suffix: '_BETA1', revision: 163590 });
    expect(parseVersion('7.0.6\n')).toEqual({ raw: '7.0.6', major: 7, minor: 0, patch: 6, suffix: '', warnings: [] });
  });

  it('throws when there is no version', () => {
    expect(() => parseVersion('bash: VBoxManage: command not found\n')).toThrow(/no version line/);
  });

  it('compares versions', () => {
    expect(compareVersions(parseVersion('7.0.6r1'), parseVersion('6.1.50r1'))).toBeGreaterThan(0);
    expect(compareVersions(parseVersion('7.0.6r1'), { major: 7, minor: 0, patch: 6 })).toBe(0);
  });
});

describe('parseBannerVersion', () => {
  it('reads the banner of a bare VBoxManage', () => {
    expect(parseFixture('banner-usage-header-7.0.6-linux.txt', parseBannerVersion)).toEqual({ major: 7, minor: 0, patch: 6, suffix: '' });
    expect(parseBannerVersion('Usage: nothing here')).toBeUndefined();
  });
});
