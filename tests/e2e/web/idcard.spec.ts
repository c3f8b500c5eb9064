import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { byTest, hallTodayAt, pick } from './helpers';
import { CLERK_LOGIN, COUNTER_LABEL, newResidentId, PIN } from './intake-helpers';

/**
 * 读卡 at the counter with the simulated reader. The spec runs a browser host of its own, whose device
 * config names the simulated reader with a file of turns: the test lays a card by rewriting that file.
 */
const TURNS = JSON.parse(fs.readFileSync(path.resolve('tests/fixtures/idcard/sim-turns.json'), 'utf8')) as {
  card?: { name: string; idNumber: string };
}[];
const ZHANG = TURNS[0]!;
const EXPIRED = TURNS[1]!;

let dataDir: string;
let child: ChildProcess;
let url: string;
const lay = (turn: unknown) => fs.writeFileSync(path.join(dataDir, 'card.json'), JSON.stringify([turn]));

test.beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ow-e2e-idcard-'));
  fs.writeFileSync(
    path.join(dataDir, 'onewindow.config.json'),
    JSON.stringify({
      hall: { code: 'DEMO01', name: '示范政务服务大厅' },
      deviceCode: 'D01',
      roles: ['counter'],
      demo: true,
      idCardReader: { kind: 'simulated', file: 'card.json' },
    }),
  );
  lay(ZHANG);
  child = spawn(
    process.execPath,
    [
      path.resolve('out/host/browser-host.mjs'),
      ...['--port', '0', '--data-dir', dataDir, '--clock-start', hallTodayAt(10)],
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stderr?.on('data', (d) => process.stderr.write(`[idcard host] ${d}`));
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /OneWindow browser host: (http:\/\/[^\s/]+)\//.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the browser host exited (${code}): ${out}`)));
  });
});

test.afterAll(async () => {
  if (child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('the clerk presses 读卡: the lookup is filled from the card, the photo shown; an expired card is refused with its dates', async ({
  page,
}) => {
  await page.goto(`${url}/#/counter`);
  await expect(byTest(page, 'connection')).toHaveText('已连接');
  await pick(page, 'signin-counter', COUNTER_LABEL);
  await byTest(page, 'signin-login').fill(CLERK_LOGIN);
  await byTest(page, 'signin-pin').fill(PIN);
  await byTest(page, 'signin-pin').press('Enter');
  await expect(byTest(page, 'counter-main')).toBeVisible();
  await byTest(page, 'tab-intake').click();

  await byTest(page, 'idcard-read').click();
  await expect(byTest(page, 'lookup-number')).toHaveValue(ZHANG.card!.idNumber);
  await expect(byTest(page, 'idcard-name')).toHaveText(ZHANG.card!.name);
  await expect(byTest(page, 'idcard-photo')).toBeVisible();
  await expect(byTest(page, 'idcard-validity')).toHaveText('2015-03-01 至 2035-03-01');
  // Not yet registered here: the registration form takes the name from the card.
  await expect(byTest(page, 'register-name')).toHaveValue(ZHANG.card!.name);

  // The next applicant's card is expired; F6 reads it. Refused with its dates, and the lookup keeps nothing of it.
  lay(EXPIRED);
  await byTest(page, 'lookup-number').fill('');
  await page.keyboard.press('F6');
  await expect(byTest(page, 'idcard-refusal')).toContainText('该身份证已过期（有效期限 2006-01-01 至 2016-01-01）');
  await expect(byTest(page, 'idcard-panel')).toHaveCount(0);
  await expect(byTest(page, 'lookup-number')).toHaveValue('');

  // No card on the reader: the clerk is told so.
  lay({ failure: 'NO_CARD' });
  await byTest(page, 'idcard-read').click();
  await expect(byTest(page, 'idcard-refusal')).toContainText('未检测到身份证');

  // F6 while a typed lookup is still on its way is kept, shown, and read as soon as the lookup ends.
  lay(ZHANG);
  let release = () => {};
  const held = new Promise<void>((r) => (release = r));
  await page.route(
    '**/api/v1/call/applicant.lookup',
    async (route) => {
      await held;
      await route.continue();
    },
    { times: 1 },
  );
  await byTest(page, 'lookup-number').fill(newResidentId());
  await byTest(page, 'lookup-submit').click();
  await expect(byTest(page, 'lookup-submit')).toBeDisabled();
  await page.keyboard.press('F6');
  await expect(byTest(page, 'idcard-read')).toHaveClass(/is-loading/);
  release();
  await expect(byTest(page, 'lookup-number')).toHaveValue(ZHANG.card!.idNumber);
  await expect(byTest(page, 'idcard-name')).toHaveText(ZHANG.card!.name);
});

test('a citizen takes a ticket at the kiosk with their ID card; an expired card is told so with its dates', async ({
  page,
}) => {
  lay(ZHANG);
  await page.goto(`${url}/#/kiosk`);
  await byTest(page, 'kiosk-person').click();
  await byTest(page, 'kiosk-queue-A').click();
  await byTest(page, 'kiosk-priority-idcard').click();
  await expect(byTest(page, 'kiosk-ticket-number')).toHaveText(/^A\d{3}$/);

  await byTest(page, 'kiosk-done').click();
  lay(EXPIRED);
  await byTest(page, 'kiosk-appointment').click();
  await byTest(page, 'kiosk-appointment-idcard').click();
  await expect(byTest(page, 'kiosk-error-text')).toHaveText(
    '您的身份证已过期（有效期限 2006-01-01 至 2016-01-01），请到咨询台求助',
  );
});
