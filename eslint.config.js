import { builtinModules } from 'node:module';
import js from '@eslint/js';
import vue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// `node:`-prefixed names are caught by the `node:*` pattern of each zone that forbids Node.
const nodeBuiltins = builtinModules.filter((m) => !m.startsWith('node:'));

/**
 * A layer rule: files under `files` may not import what `forbidden` names — module names (`paths`),
 * gitignore-style `patterns` or `regexes` over the import string (see shared/ARCHITECTURE.md).
 */
const zone = (files, forbidden, why) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        // A path is a module name (refused with `why`) or a no-restricted-imports entry of its own.
        paths: (forbidden.paths ?? []).map((p) => (typeof p === 'string' ? { name: p, message: why } : p)),
        patterns: [
          ...(forbidden.patterns ?? []).map((group) => ({ group: [group], message: why })),
          ...(forbidden.regexes ?? []).map((regex) => ({ regex, message: why })),
        ],
      },
    ],
  },
});

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
      // Prettier owns formatting.
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
    },
  },
  {
    files: ['renderer/**', 'central/console/src/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  // Layer zones: a violation is a lint error, not a review comment.
  zone(
    ['shared/**'],
    {
      paths: [...nodeBuiltins, 'electron', 'vue', 'pinia', 'better-sqlite3', 'fastify', 'pg'],
      patterns: ['**/electron/**', '**/renderer/**', '**/central/**', 'node:*'],
    },
    'shared/ is pure TypeScript: no Node, no DOM framework, no other layer.',
  ),
  zone(
    ['electron/core/**'],
    {
      paths: ['electron'],
      patterns: ['**/electron/main/**', '**/electron/preload/**', '**/renderer/**', '**/main/**', '**/preload/**'],
    },
    'electron/core is plain Node: never Electron, the shell or the renderer.',
  ),
  zone(
    ['electron/preload/**'],
    { patterns: ['**/core/**', '**/main/**', '**/renderer/**'] },
    'A preload exposes the contract only; it may use shared/ and electron.',
  ),
  zone(
    ['electron/main/**'],
    { patterns: ['**/renderer/**', '**/preload/**'] },
    'The Electron shell talks to the renderer only over IPC.',
  ),
  zone(
    ['renderer/**'],
    {
      paths: [
        ...nodeBuiltins,
        'electron',
        'better-sqlite3',
        'fastify',
        {
          name: 'element-plus',
          message:
            'Element Plus components come from templates (vite.config.ts imports each with its CSS); ' +
            'ElMessage and ElMessageBox from renderer/src/components/element-feedback.ts, which brings theirs.',
        },
      ],
      patterns: ['**/electron/**', '**/central/**', 'node:*'],
    },
    'The renderer reaches the core only through window.onewindow or the HTTP client of the contract.',
  ),
  zone(
    ['central/**'],
    { paths: ['electron'], patterns: ['**/electron/**', '**/renderer/**', '**/console/src/**'] },
    'central/ shares only shared/ with the app; the server never imports the console it serves.',
  ),
  // The TLS that central and the hall hub both serve (their CA, the pin): a folder of its own because the two
  // may not import each other, and shared/ has no Node. It takes Node and npm libraries, never a layer.
  zone(
    ['tls/**'],
    { paths: ['electron'], patterns: ['**/electron/**', '**/renderer/**', '**/central/**'] },
    'tls/ is imported by central and the core alike: it imports neither, nor anything of the app.',
  ),
  // After the central/ zone, so these replace it for the console's files: one per folder depth, each also
  // refusing a relative import that climbs out of central/console/ (the console has @shared and nothing else).
  ...[1, 2, 3, 4].map((depth) =>
    zone(
      [`central/console/src/${'*/'.repeat(depth - 1)}*`],
      {
        paths: [...nodeBuiltins, 'electron', 'better-sqlite3', 'fastify', 'pg'],
        patterns: ['**/electron/**', '**/renderer/**', '**/central/src/**', 'node:*'],
        regexes: [`^(\\.\\./){${depth + 1},}`],
      },
      'The console shares only shared/ (as @shared) with the rest and reaches central through its HTTP API.',
    ),
  ),
  // The console's build config runs in Node (vite), but still takes nothing from the server or the app.
  zone(
    ['central/console/vite.config.ts'],
    { paths: ['electron'], patterns: ['**/electron/**', '**/renderer/**'], regexes: ['^\\.\\./src(/|$)'] },
    'The console shares only shared/ with the rest.',
  ),
);
