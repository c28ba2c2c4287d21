import { defineConfig } from 'vitest/config';

// `npm run test:proxy-image`: the appliance's own tests. `unit` is pure (the packer's parts, the
// descriptor); `image` builds the real image (root, network to the Debian archive the first time) and
// boots it under QEMU — minutes, so it isn't part of `npm test`.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', root: import.meta.dirname, include: ['**/*.unit.test.ts'], exclude: ['out/**'], environment: 'node' } },
      {
        test: {
          name: 'image',
          root: import.meta.dirname,
          include: ['**/*.image.test.ts'],
          exclude: ['out/**'],
          fileParallelism: false,
          testTimeout: 30 * 60_000,
          hookTimeout: 30 * 60_000,
        },
      },
    ],
  },
});
