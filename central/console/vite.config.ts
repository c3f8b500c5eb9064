import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig, type Plugin } from 'vite';
import { consoleMetaContentSecurityPolicy } from '../../shared/console/csp.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** index.html carries the console's CSP too, from the one definition central sends as a header. */
const cspMeta = (): Plugin => ({
  name: 'onewindow-console-csp-meta',
  transformIndexHtml: () => [
    {
      tag: 'meta',
      attrs: { 'http-equiv': 'Content-Security-Policy', content: consoleMetaContentSecurityPolicy() },
      injectTo: 'head-prepend',
    },
  ],
});

/**
 * write-excel-file's zipping takes fflate's `zip` from shared/export/page-thread-zip.ts: the console's CSP
 * blocks the blob: worker fflate would start for a large part (see there).
 */
const pageThreadXlsxZip = (): Plugin => ({
  name: 'onewindow-xlsx-page-thread-zip',
  enforce: 'pre',
  resolveId: (source, importer) =>
    source === 'fflate' &&
    importer &&
    /[\\/]write-excel-file[\\/]modules[\\/]zip[\\/]zipToArrayBuffer\.js$/.test(importer)
      ? here('../../shared/export/page-thread-zip.ts')
      : null,
});

/** The central web console: its own app, sharing only shared/ with the rest; central serves it at /console/. */
export default defineConfig({
  root: here('.'),
  base: '/console/',
  plugins: [vue(), cspMeta(), pageThreadXlsxZip()],
  resolve: { alias: { '@shared': here('../../shared') } },
  build: {
    outDir: here('../../out/console'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    // CSP forbids inline scripts; Vite's module preload polyfill would be one.
    modulePreload: { polyfill: false },
  },
});
