import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The layer rules of shared/ARCHITECTURE.md are ESLint zones. Each planted import below must be
 * reported by the project's own config, and each legal one must pass.
 */
const eslint = new ESLint({ cwd: path.resolve(__dirname, '../..') });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.resolve(__dirname, '../..', filePath) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer zones', () => {
  it.each([
    [
      'renderer/src/planted.ts',
      "import { createCore } from '../../electron/core/app/create-core';\nexport { createCore };",
    ],
    ['renderer/src/planted.ts', "import { ipcRenderer } from 'electron';\nexport { ipcRenderer };"],
    ['renderer/src/planted.ts', "import fs from 'node:fs';\nexport { fs };"],
    ['shared/planted.ts', "import fs from 'node:fs';\nexport { fs };"],
    ['shared/planted.ts', "import path from 'path';\nexport { path };"],
    ['shared/planted.ts', "import { ref } from 'vue';\nexport { ref };"],
    [
      'shared/api/planted.ts',
      "import { createCore } from '../../electron/core/app/create-core';\nexport { createCore };",
    ],
    ['electron/core/planted.ts', "import { app } from 'electron';\nexport { app };"],
    ['electron/core/planted.ts', "import { registerContractIpc } from '../main/ipc';\nexport { registerContractIpc };"],
    ['electron/preload/planted.ts', "import { createCore } from '../core/app/create-core';\nexport { createCore };"],
    ['central/planted.ts', "import { createCore } from '../electron/core/app/create-core';\nexport { createCore };"],
    // The console shares only shared/ with the rest: not the server it talks to, not the hall app.
    ['central/console/src/planted.ts', "import { buildCentral } from '../../src/server';\nexport { buildCentral };"],
    [
      'central/console/src/stores/planted.ts',
      "import { staffStore } from '../../../src/identity/staff-store';\nexport { staffStore };",
    ],
    [
      'central/console/src/components/case/planted.vue',
      '<script setup lang="ts">\nimport { migrate } from \'../../../../src/db/migrate\';\nvoid migrate;\n</script>',
    ],
    ['central/console/src/planted.ts', "import fs from 'node:fs';\nexport { fs };"],
    ['central/console/src/planted.ts', "import pg from 'pg';\nexport { pg };"],
    ['central/console/vite.config.ts', "import { buildCentral } from '../src/server';\nexport { buildCentral };"],
    ['central/src/planted.ts', "import { router } from '../console/src/router';\nexport { router };"],
  ])('reports a layer violation in %s: %s', async (file, code) => {
    expect(await restrictedImports(file, code)).toHaveLength(1);
  });

  it.each([
    ['renderer/src/planted.ts', "import { ROLES } from '@shared/api';\nexport { ROLES };"],
    [
      'electron/core/planted.ts',
      "import fs from 'node:fs';\nimport { ROLES } from '@shared/api';\nexport { fs, ROLES };",
    ],
    [
      'electron/main/planted.ts',
      "import { app } from 'electron';\nimport { createCore } from '../core/app/create-core';\nexport { app, createCore };",
    ],
    ['shared/planted.ts', "import { z } from 'zod';\nexport { z };"],
    [
      'central/console/src/stores/planted.ts',
      "import { CONSOLE_API } from '@shared/console/session';\nimport { useSessionStore } from './session';\nimport { api } from '../api/client';\nexport { CONSOLE_API, useSessionStore, api };",
    ],
  ])('accepts a legal import in %s', async (file, code) => {
    expect(await restrictedImports(file, code)).toEqual([]);
  });
});
