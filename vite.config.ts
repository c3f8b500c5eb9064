import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** The renderer: one bundle for every role, served on app:// in Electron and by the browser host. */
export default defineConfig({
  root: here('./renderer'),
  base: './',
  plugins: [vue()],
  resolve: { alias: { '@shared': here('./shared') } },
  build: {
    outDir: here('./out/renderer'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    // CSP forbids inline scripts; Vite's module preload polyfill would be one.
    modulePreload: { polyfill: false },
  },
});
