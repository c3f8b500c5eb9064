import zlib from 'node:zlib';
import { expect, test } from '@playwright/test';
import { byTest, screenPath, unique } from './helpers';
import { HallApi, chooseMatter, lookUp, newResidentId, setMaterial, signIn } from './intake-helpers';

/** A small real PNG of one colour (w×h), so the thumbnail has something to show. */
function png(w: number, h: number, rgb: [number, number, number]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(w * 3, Buffer.from(rgb))]);
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

let hall: HallApi;
test.beforeAll(async ({ playwright }, testInfo) => {
  hall = new HallApi(await playwright.request.newContext({ baseURL: testInfo.project.use.baseURL }));
});

test('the clerk imports scans per material, sees thumbnails, reorders and deletes, and a fake JPEG is refused', async ({
  page,
}) => {
  const idNumber = newResidentId('310104');
  const applicant = await hall.registerPerson(`孙页${unique()}`, idNumber);
  await signIn(page);
  await lookUp(page, idNumber);
  await expect(byTest(page, 'applicant-name')).toHaveText(applicant.name);
  await chooseMatter(page, '户口迁入', 'PSB-002');

  const row = page.locator('[data-test="material-row"][data-id="id-card"]');
  const file = row.locator('[data-test="material-page-file"]');
  await file.setInputFiles({ name: 'front.png', mimeType: 'image/png', buffer: png(60, 40, [200, 30, 30]) });
  await expect(row.locator('[data-test="material-page"]')).toHaveCount(1);
  await expect(row.locator('[data-test="material-page"] img')).toBeVisible();
  await file.setInputFiles({ name: 'back.png', mimeType: 'image/png', buffer: png(60, 40, [30, 30, 200]) });
  await expect(row.locator('[data-test="material-page"]')).toHaveCount(2);

  // An executable renamed .jpg: refused by its bytes, with words, and nothing added.
  const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(2000)]);
  await file.setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: exe });
  await expect(byTest(page, 'pages-error')).toContainText('不是 PDF、JPEG 或 PNG');
  await expect(row.locator('[data-test="material-page"]')).toHaveCount(2);

  // The back before the front, then the front goes.
  const first = row.locator('[data-test="material-page"]').first();
  const firstSrc = await first.locator('img').getAttribute('src');
  await row.locator('[data-test="material-page"]').nth(1).getByRole('button', { name: '上移' }).click();
  await expect(row.locator('[data-test="material-page"]').nth(1).locator('img')).toHaveAttribute('src', firstSrc!);
  await page.screenshot({ path: screenPath('intake-attachments'), fullPage: true });
  await row.locator('[data-test="material-page"]').nth(1).locator('[data-test="material-page-delete"]').click();
  await expect(row.locator('[data-test="material-page"]')).toHaveCount(1);

  // The case takes its page with it; the next intake form starts with none.
  await setMaterial(page, 'id-card', 'received');
  await byTest(page, 'outcome-notice').click();
  await expect(byTest(page, 'result-state')).toHaveText('已一次性告知');
});
