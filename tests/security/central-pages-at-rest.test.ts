import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_API } from '@shared/console/session';
import type { CryptoProfileName } from '@shared/crypto/profile';
import { mutationDefs } from '@shared/sync/mutations';
import { DEMO_DEPARTMENTS } from '../../electron/core/intake/demo-catalog';
import { caseWith, enrolledToken, pageRef, pageSealing, sha, uploadPage } from '../fixtures/central-case-pages';
import { hallDevice, mutation, type HallDevice } from '../fixtures/central-console';
import { consoleSession } from '../fixtures/central-identity';
import { startCentral, type TestCentral } from '../fixtures/central-server';
import { jpeg } from '../fixtures/pages';
import { tempDir } from '../fixtures/temp-dir';

/** Every file under `dir`, however deep (the page files, uploads in progress, what sealing left). */
const filesUnder = (dir: string): string[] =>
  fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));

/** Polls a state (never a fixed wait) until it holds; the test's timeout is the bound. */
async function until(holds: () => boolean) {
  while (!holds()) await new Promise((r) => setTimeout(r, 5));
}

/**
 * Whoever reads central's attachments folder (a copied disk, a backup of the folder, another service on the
 * machine) must not read the applicants' scanned pages; whoever alters a file must not get an altered page
 * shown to a department. Under each CENTRAL_CRYPTO profile.
 */
describe.each([
  { profile: 'default', alg: 1 },
  { profile: 'sm', alg: 2 },
] as { profile: CryptoProfileName; alg: number }[])('central pages at rest ($profile)', ({ profile, alg }) => {
  const dir = tempDir(`ow-pages-at-rest-${profile}-`);
  const atRest = pageSealing(profile);
  const opts = () => ({
    mutations: [...mutationDefs],
    casework: { escalation: false },
    attachments: { dir: dir.dir, atRest },
  });
  let central: TestCentral;
  let device: HallDevice;
  let token: string;
  let handler: string;
  let caseNo = 0;

  beforeAll(async () => {
    central = await startCentral(opts());
    for (const d of DEMO_DEPARTMENTS) await central.admin.putRef('catalog.department', d.id, { hallId: null, data: d });
    const hallId = (await central.admin.createHall(`REST${profile.toUpperCase()}`)).id;
    device = await hallDevice(central, hallId);
    token = await enrolledToken(central.url, await central.admin.code(hallId, 'counter'));
    handler = (
      await consoleSession(central.url, central.adminSession.token, {
        login: `rest-${profile}`,
        roles: ['department_handler'],
        departmentIds: ['psb'],
      })
    ).token;
  });
  afterAll(async () => {
    await central?.stop();
    dir.remove();
  });

  /** A page carrying `marker` (a JPEG by its first bytes), uploaded and named on a new case. */
  async function storedPage(marker: string) {
    const page = Buffer.concat([jpeg(3000, caseNo), Buffer.from(marker), jpeg(3000, caseNo + 1000)]);
    const caseId = await caseWith(
      device,
      `REST${profile.toUpperCase()}-20260302-C01-${String(++caseNo).padStart(4, '0')}`,
    );
    expect((await uploadPage(central.url, token, page)).status).toBe(200);
    const [named] = await device.push(mutation('case.pages.attach@1', { caseId, pages: [pageRef(page)] }));
    expect(named!.status).toBe('applied');
    return { page, caseId, file: path.join(dir.dir, sha(page).slice(0, 2), sha(page)) };
  }
  const read = (caseId: string, page: Buffer) =>
    fetch(`${central.url}${CONSOLE_API}/cases/${caseId}/pages/${sha(page)}`, {
      headers: { authorization: `Bearer ${handler}` },
    });
  const plainAnywhere = (marker: string) => filesUnder(dir.dir).some((f) => fs.readFileSync(f).includes(marker));

  it('keeps no page in clear, and the console still gets it byte for byte', async () => {
    const marker = `PLAINTEXT-MARKER-${profile}-张三-110101199003070011`;
    const { page, caseId, file } = await storedPage(marker);
    expect(plainAnywhere(marker)).toBe(false);
    expect(fs.readFileSync(file)[0]).toBe(alg);
    const got = await read(caseId, page);
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(page)).toBe(true);
  });

  it('answers an altered file with an error, never with an altered page', async () => {
    const { page, caseId, file } = await storedPage(`TAMPER-${profile}`);
    const sealed = fs.readFileSync(file);
    for (const at of [0, 5, 20, sealed.length - 1]) {
      const altered = Buffer.from(sealed);
      altered[at]! ^= 0x01;
      fs.writeFileSync(file, altered);
      const got = await read(caseId, page);
      expect([got.status, ((await got.json()) as { error: string }).error]).toEqual([500, 'PAGE_UNREADABLE']);
    }
    // Another page's sealed file under this page's name does not open either (the AAD names the page).
    const other = await storedPage(`OTHER-${profile}`);
    fs.writeFileSync(file, fs.readFileSync(other.file));
    expect((await read(caseId, page)).status).toBe(500);
  });

  it('still serves a page stored in clear before, and seals it at the next start', async () => {
    const marker = `OLD-CLEAR-${profile}`;
    const { page, caseId, file } = await storedPage(marker);
    fs.writeFileSync(file, page);
    // A file in clear that is not the page its name says is refused too.
    const damaged = await storedPage(`OLD-DAMAGED-${profile}`);
    const altered = Buffer.from(damaged.page);
    altered[100]! ^= 0x01;
    fs.writeFileSync(damaged.file, altered);
    expect(plainAnywhere(marker)).toBe(true);
    const before = await read(caseId, page);
    expect(Buffer.from(await before.arrayBuffer()).equals(page)).toBe(true);
    expect((await read(damaged.caseId, damaged.page)).status).toBe(500);

    await central.restart(opts());
    await until(() => !plainAnywhere(marker));
    expect(fs.readFileSync(file)[0]).toBe(alg);
    const after = await read(caseId, page);
    expect(Buffer.from(await after.arrayBuffer()).equals(page)).toBe(true);
    // The damaged one is left as it was, for an administrator to look at.
    expect(fs.readFileSync(damaged.file).equals(altered)).toBe(true);
  });
});
