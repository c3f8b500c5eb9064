import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { byTest, callApi, screenPath, unique, watchPage } from './helpers';

// ---------------------------------------------------------------- what an authenticator app computes (RFC 6238)

function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of text) {
    value = (value << 5) | alphabet.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}
function totp(secret: Buffer, timeMs = Date.now()): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(Math.floor(timeMs / 30_000)));
  const mac = crypto.createHmac('sha1', secret).update(msg).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

// ---------------------------------------------------------------- a page-like PNG without red, so the watermark is measurable

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function documentPng(width = 600, height = 380): Buffer {
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      // White paper with grey "text lines" and a blue header band.
      const header = y < 50;
      const line = !header && y % 24 > 16 && x > 40 && x < width - 40;
      const [r, g, b] = header ? [30, 70, 150] : line ? [150, 150, 160] : [250, 250, 252];
      row.set([r, g, b], 1 + x * 3);
    }
    rows.push(row);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------- a leader with today's content

const PASSWORD = 'e2e leader 口令 long';
const NAME = '王局长';

async function enrolLeader(request: APIRequestContext) {
  const login = `e2e.${unique()}`;
  const enrol = await callApi<{ totpSecret: string; otpauthUri: string }>(request, 'admin', 'leader.admin.enrol', {
    login,
    name: NAME,
    password: PASSWORD,
  });
  expect(enrol.status, JSON.stringify(enrol.body)).toBe(200);
  expect(enrol.body.value!.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
  const at = (h: number, m = 0) => {
    const d = new Date();
    d.setHours(h, m, 0, 0);
    return d.toISOString();
  };
  const imported = await callApi(request, 'admin', 'leader.admin.import', {
    leader: login,
    schedules: [
      {
        id: crypto.randomUUID(),
        title: '全区营商环境推进会',
        kind: 'meeting',
        start: at(9),
        end: at(10, 30),
        location: '三楼第一会议室',
        attendees: ['李明', '王芳'],
        notes: '',
      },
      {
        id: crypto.randomUUID(),
        title: '调研政务服务中心',
        kind: 'visit',
        start: at(10),
        end: at(11),
        location: '朝阳区政务服务中心',
        attendees: [],
        notes: '',
      },
      {
        id: crypto.randomUUID(),
        title: '听取信访工作汇报',
        kind: 'meeting',
        start: at(15),
        end: at(16),
        location: '',
        attendees: [],
        notes: '',
      },
    ],
    briefings: [
      {
        id: crypto.randomUUID(),
        kind: 'briefing',
        title: '一季度营商环境简报',
        body: '一季度全区新设市场主体同比增长。',
        priority: 'important',
        publishedAt: at(8),
      },
    ],
    files: [
      {
        id: crypto.randomUUID(),
        name: '专项督查通报.png',
        mime: 'image/png',
        classification: 'secret',
        publishedAt: at(8),
        dataBase64: documentPng().toString('base64'),
      },
    ],
  });
  expect(imported.status, JSON.stringify(imported.body)).toBe(200);
  return { login, secret: base32Decode(enrol.body.value!.totpSecret) };
}

async function signIn(page: Page, login: string, code: string) {
  await byTest(page, 'leader-login').fill(login);
  await byTest(page, 'leader-password').fill(PASSWORD);
  await byTest(page, 'leader-code').fill(code);
  await byTest(page, 'leader-submit').click();
}

test('a wrong code is refused; the right one shows today with the overlapping items marked', async ({
  page,
  request,
}) => {
  const watch = watchPage(page);
  const { login, secret } = await enrolLeader(request);
  await page.goto('/#/leader');
  const right = totp(secret);
  await signIn(page, login, right === '000000' ? '111111' : '000000');
  await expect(byTest(page, 'leader-notice')).toContainText('账号、口令或动态码不正确，还可尝试 4 次');
  await expect(byTest(page, 'leader-schedule')).toHaveCount(0);

  await signIn(page, login, totp(secret));
  await expect(byTest(page, 'leader-name')).toContainText(NAME);
  const items = byTest(page, 'schedule-item');
  await expect(items).toHaveCount(3);
  await expect(byTest(page, 'schedule-conflict')).toHaveCount(2);
  await expect(items.filter({ hasText: '全区营商环境推进会' }).locator('[data-test="schedule-conflict"]')).toHaveText(
    '时间冲突',
  );
  await expect(items.filter({ hasText: '听取信访工作汇报' }).locator('[data-test="schedule-conflict"]')).toHaveCount(0);
  await page.screenshot({ path: screenPath('leader-schedule-day') });

  await byTest(page, 'schedule-week').click();
  await expect(items).toHaveCount(3);
  await page.screenshot({ path: screenPath('leader-schedule-week') });
  expect(watch.errors.filter((e) => !e.includes('403'))).toEqual([]);
});

test('a secret file opens on a canvas with the viewer and time burned in; copying is blocked', async ({
  page,
  request,
}) => {
  const { login, secret } = await enrolLeader(request);
  await page.goto('/#/leader');
  await signIn(page, login, totp(secret));
  await page.getByRole('tab', { name: '机要文件' }).click();
  await expect(byTest(page, 'classification').first()).toHaveText('秘密');
  await byTest(page, 'file-view').first().click();

  const canvas = byTest(page, 'file-canvas');
  await expect(canvas).toHaveAttribute('data-rendered', 'true');
  await expect(byTest(page, 'file-watermark')).toContainText(NAME);
  await expect(byTest(page, 'file-no-print')).toContainText('不得打印、保存或复制');
  // The picture has no red at all; the watermark is red: count the pixels it turned red.
  const redPixels = await canvas.evaluate((c: HTMLCanvasElement) => {
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i]! > data[i + 1]! + 40 && data[i]! > data[i + 2]! + 40) n++;
    return n;
  });
  expect(redPixels).toBeGreaterThan(2000);
  await page.screenshot({ path: screenPath('leader-file-watermark') });

  const copyBlocked = await byTest(page, 'leader-pane').evaluate((pane) => {
    const e = new Event('copy', { bubbles: true, cancelable: true });
    pane.dispatchEvent(e);
    return e.defaultPrevented;
  });
  expect(copyBlocked).toBe(true);

  await byTest(page, 'action-read').click();
  await expect(byTest(page, 'action-history')).toContainText('已读');
  await byTest(page, 'action-comment-text').fill('请督查组跟进整改');
  await byTest(page, 'action-comment').click();
  await expect(byTest(page, 'action-history').filter({ hasText: '请督查组跟进整改' })).toHaveCount(1);
});

test('the pane locks itself after three idle minutes (fake clock) and locks the core session', async ({
  page,
  request,
}) => {
  const { login, secret } = await enrolLeader(request);
  await page.clock.install();
  await page.goto('/#/leader');
  await signIn(page, login, totp(secret));
  await expect(byTest(page, 'leader-countdown')).toContainText('3:00');

  await page.clock.fastForward('02:40');
  await expect(byTest(page, 'leader-countdown')).toContainText('0:2');
  await expect(byTest(page, 'leader-schedule')).toBeVisible();
  await page.screenshot({ path: screenPath('leader-idle-countdown') });

  const lockCall = page.waitForResponse((r) => r.url().endsWith('/api/v1/call/leader.session.lock'));
  await page.clock.fastForward('00:25');
  await expect(byTest(page, 'leader-login')).toBeVisible();
  await expect(byTest(page, 'leader-notice')).toContainText('长时间未操作，安全窗格已自动锁定');
  await expect(byTest(page, 'schedule-item')).toHaveCount(0);
  // The page told the core, which ended the page's session there too.
  expect(await (await lockCall).json()).toEqual({ ok: true, value: { state: 'locked', idleLockSeconds: 180 } });
});

test('five failed sign-ins lock the account with a countdown, even for the right code', async ({ page, request }) => {
  const { login, secret } = await enrolLeader(request);
  await page.goto('/#/leader');
  const wrong = totp(secret) === '000000' ? '111111' : '000000';
  for (let left = 4; left >= 1; left--) {
    await signIn(page, login, wrong);
    await expect(byTest(page, 'leader-notice')).toContainText(`还可尝试 ${left} 次`);
  }
  await signIn(page, login, wrong);
  await expect(byTest(page, 'leader-lockout')).toContainText(/请在 (30|29|28) 秒后重试/);
  await expect(byTest(page, 'leader-submit')).toBeDisabled();
  await page.screenshot({ path: screenPath('leader-lockout') });
  // The core refuses the right code too while the lock lasts.
  const direct = await callApi(request, 'leader', 'leader.session.login', {
    login,
    password: PASSWORD,
    code: totp(secret),
  });
  expect([direct.status, direct.body.error?.details]).toMatchObject([403, { reason: 'locked_out' }]);
});
