import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));
const workspaceRoot = fileURLToPath(new URL('../..', import.meta.url));
const apiTarget = process.env.NATTER_API_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  resolve: {
    // Only the runtime-free entry: the full barrel (DTO classes, class-validator) is for the API.
    alias: {
      '@natter/contracts/client': `${workspaceRoot}libs/contracts/src/client.ts`,
    },
  },
  build: {
    outDir: `${workspaceRoot}dist/apps/web`,
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    port: 4200,
    host: '127.0.0.1',
    // No changeOrigin: the API accepts same-origin requests, and Host and Origin both stay
    // the dev server's address.
    proxy: {
      '/api': { target: apiTarget },
      '/socket.io': { target: apiTarget, ws: true },
    },
  },
  preview: { port: 4300, host: '127.0.0.1' },
});
