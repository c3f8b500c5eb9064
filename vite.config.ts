import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig, type Plugin } from 'vite';
import { metaContentSecurityPolicy } from './electron/core/security/csp.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** index.html carries the app's CSP too, from the one definition the servers send as a header. */
const cspMeta = (): Plugin => ({
  name: 'onewindow-csp-meta',
  transformIndexHtml: () => [
    {
      tag: 'meta',
      attrs: { 'http-equiv': 'Content-Security-Policy', content: metaContentSecurityPolicy() },
      injectTo: 'head-prepend',
    },
  ],
});

/** The renderer: one bundle for every role, served on app:// in Electron and by the browser host. */
export default defineConfig({
  root: here('./renderer'),
  base: './',
  plugins: [vue(), cspMeta()],
  resolve: { alias: { '@shared': here('./shared') } },
  build: {
    outDir: here('./out/renderer'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    // CSP forbids inline scripts; Vite's module preload polyfill would be one.
    modulePreload: { polyfill: false },
  },
});
