import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompress } from './precompress.mts';

const root = import.meta.dirname;
const apiTarget = process.env.PARLEY_API_URL ?? 'http://localhost:3000';

export default defineConfig({
  root,
  // Relative asset URLs would break on deep links; the API serves the dashboard at '/'.
  base: '/',
  plugins: [react(), precompress()],
  resolve: {
    alias: {
      '@parley/contracts': resolve(root, '../../libs/contracts/src/index.ts'),
      '@parley/domain': resolve(root, '../../libs/domain/src/index.ts'),
      '@parley/live-client': resolve(root, '../../libs/live-client/src/index.ts'),
    },
  },
  build: {
    outDir: resolve(root, '../../dist/dashboard'),
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    port: 4200,
    proxy: {
      '/api/socket.io': { target: apiTarget, ws: true, changeOrigin: true },
      '/api': { target: apiTarget, changeOrigin: true },
    },
  },
  preview: { port: 4300 },
});
