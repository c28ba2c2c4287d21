import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is built once and served two ways: by Electron's app:// protocol and by `dcod serve`.
// Relative asset URLs (base './') work under both.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
});
