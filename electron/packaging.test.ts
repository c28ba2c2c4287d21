import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import config from '../build/electron-builder.config.mjs';

const root = path.resolve(import.meta.dirname, '..');

describe('electron-builder config', () => {
  it('builds AppImage + deb, nsis and dmg from the bundled main process', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.mac?.target).toEqual(['dmg']);
    expect(config.extraMetadata?.main).toBe('dist/electron/main.cjs');
  });

  it('names icons that exist', () => {
    for (const icon of [config.linux?.icon, config.win?.icon, config.mac?.icon]) {
      expect(icon).toBeTypeOf('string');
      expect(existsSync(path.join(root, icon as string)), String(icon)).toBe(true);
    }
  });
});
