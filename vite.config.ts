import fs from 'node:fs';
import path from 'node:path';
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

/**
 * pdf.js's CMaps (needed by Chinese PDFs whose fonts are not embedded) and standard fonts, copied into
 * the build under pdfjs/ so the viewer fetches them from its own origin and never from elsewhere.
 */
const pdfjsAssets = (): Plugin => ({
  name: 'onewindow-pdfjs-assets',
  apply: 'build',
  generateBundle() {
    for (const dir of ['cmaps', 'standard_fonts']) {
      const from = here(`./node_modules/pdfjs-dist/${dir}`);
      for (const name of fs.readdirSync(from)) {
        this.emitFile({
          type: 'asset',
          fileName: `pdfjs/${dir}/${name}`,
          source: fs.readFileSync(path.join(from, name)),
        });
      }
    }
  },
});

/** The renderer: one bundle for every role, served on app:// in Electron and by the browser host. */
export default defineConfig({
  root: here('./renderer'),
  base: './',
  plugins: [vue(), cspMeta(), pdfjsAssets()],
  resolve: { alias: { '@shared': here('./shared') } },
  build: {
    outDir: here('./out/renderer'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    // bench/ reads it to report each route's download size.
    manifest: true,
    // CSP forbids inline scripts; Vite's module preload polyfill would be one.
    modulePreload: { polyfill: false },
  },
});
