// @ts-check
/**
 * Packaging for Linux (AppImage, deb), Windows (nsis) and macOS (dmg). It can't run on our CI machines
 * (no Electron binary download), so tsc checks it against electron-builder's own types.
 * @type {import('electron-builder').Configuration}
 */
const config = {
  appId: 'dev.dcod.app',
  productName: 'DCoD',
  copyright: 'Copyright © DCoD contributors',
  directories: { output: 'release', buildResources: 'build/resources' },
  files: ['dist/**/*', 'src/**/*', 'bin/**/*', 'package.json', '!**/*.test.ts', '!**/*.map'],
  asar: true,
  extraMetadata: { main: 'dist/electron/main.cjs' },
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Network',
    icon: 'assets/icon.png',
    maintainer: 'DCoD contributors',
  },
  deb: { depends: ['openssh-client'] },
  win: { target: ['nsis'], icon: 'assets/icon.png' },
  nsis: { oneClick: false, allowToChangeInstallationDirectory: true },
  mac: { target: ['dmg'], category: 'public.app-category.developer-tools', icon: 'assets/icon.png', hardenedRuntime: true },
  dmg: { sign: false },
};

export default config;
