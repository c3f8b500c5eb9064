import { builtinModules } from 'node:module';
import js from '@eslint/js';
import vue from 'eslint-plugin-vue';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// `node:`-prefixed names are caught by the `node:*` pattern of each zone that forbids Node.
const nodeBuiltins = builtinModules.filter((m) => !m.startsWith('node:'));

/** A layer rule: files under `files` may not import what `forbidden` names (see shared/ARCHITECTURE.md). */
const zone = (files, forbidden, why) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: (forbidden.paths ?? []).map((name) => ({ name, message: why })),
        patterns: (forbidden.patterns ?? []).map((group) => ({ group: [group], message: why })),
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
    files: ['renderer/**'],
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
      paths: [...nodeBuiltins, 'electron', 'better-sqlite3', 'fastify'],
      patterns: ['**/electron/**', '**/central/**', 'node:*'],
    },
    'The renderer reaches the core only through window.onewindow or the HTTP client of the contract.',
  ),
  zone(
    ['central/**'],
    { paths: ['electron'], patterns: ['**/electron/**', '**/renderer/**'] },
    'central/ shares only shared/ with the app.',
  ),
);
