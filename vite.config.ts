import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';
import components from 'unplugin-vue-components/vite';
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

/** write-excel-file's zipping takes fflate's `zip` from shared/export/page-thread-zip.ts (see there why). */
const pageThreadXlsxZip = (): Plugin => ({
  name: 'onewindow-xlsx-page-thread-zip',
  enforce: 'pre',
  resolveId: (source, importer) =>
    source === 'fflate' &&
    importer &&
    /[\\/]write-excel-file[\\/]modules[\\/]zip[\\/]zipToArrayBuffer\.js$/.test(importer)
      ? here('./shared/export/page-thread-zip.ts')
      : null,
});

/**
 * Element Plus per component: each `<el-…>` (and `v-loading`) in a template is imported where it is used,
 * with its CSS, so a page carries only what it shows (issue 18: the kiosk downloaded all of Element Plus).
 * The renderer's own components stay imported by hand, and the templates' types stay as they were (no dts).
 */
const elementPlusPerComponent = () => components({ resolvers: [ElementPlusResolver()], dirs: [], dts: false });

/**
 * shared/ is pure TypeScript (docs/ARCHITECTURE.md): loading one of its modules only defines its exports.
 * Saying so lets the bundler leave out the modules a page uses nothing from, above all the contract's method
 * schemas the '@shared/api' index re-exports, which the public pages never parse (issue 18). Elsewhere the
 * bundler's own judgement (undefined) stands.
 */
const sharedDir = here('./shared') + path.sep;
const sharedIsPure = (id: string) => (path.resolve(id).startsWith(sharedDir) ? false : undefined);

/** The renderer: one bundle for every role, served on app:// in Electron and by the browser host. */
export default defineConfig({
  root: here('./renderer'),
  base: './',
  plugins: [vue(), elementPlusPerComponent(), cspMeta(), pdfjsAssets(), pageThreadXlsxZip()],
  resolve: { alias: { '@shared': here('./shared') } },
  build: {
    outDir: here('./out/renderer'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    // scripts/route-sizes.mjs (the build check of each route's size) and bench/ read it.
    manifest: true,
    // CSP forbids inline scripts; Vite's module preload polyfill would be one.
    modulePreload: { polyfill: false },
    rolldownOptions: { treeshake: { moduleSideEffects: sharedIsPure } },
  },
});
