import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const UI_AND_SHELL = [
  { name: 'electron', message: 'The core (src/) never imports Electron: bind it in electron/ instead.' },
  { name: 'react', message: 'The core (src/) never imports React: UI lives in renderer/.' },
  { name: '@xyflow/react', message: 'The core (src/) never imports React Flow: UI lives in renderer/.' },
  { name: 'zustand', message: 'The core (src/) never imports UI state: it lives in renderer/.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'e2e/artifacts/**', 'reports/**', 'bench/out/**', 'build/proxy-image/out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: UI_AND_SHELL }] },
  },
  {
    // Only one file on each side of IPC touches ipcMain/ipcRenderer; only main and preload load Electron.
    files: ['electron/**/*.ts'],
    ignores: ['electron/main.ts', 'electron/preload.ts', 'electron/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', allowTypeImports: true, message: 'Only electron/main.ts and electron/preload.ts load Electron at run time.' }] }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+src/(?!api/(contract|client)$|errors$)',
              message: 'The renderer reaches the core only through the service API (src/api/contract, src/api/client).',
            },
            { group: ['electron', 'node:*'], message: 'The renderer runs sandboxed: no Electron, no Node.' },
          ],
        },
      ],
    },
  },
);
