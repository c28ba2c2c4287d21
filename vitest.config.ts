import { defineConfig } from 'vitest/config';

// Two projects: `unit` is pure and parallel; `e2e` runs against the lab (real namespaces, sshd,
// Chromium) one file at a time, and must be started by `npm test`, which puts it in the lab's laptop.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}', 'e2e/lab/**/*.unit.test.ts', 'scripts/**/*.test.ts', 'build/**/*.unit.test.ts'],
          exclude: ['build/proxy-image/out/**'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
          globalSetup: ['e2e/support/global-setup.ts'],
        },
      },
    ],
  },
});
