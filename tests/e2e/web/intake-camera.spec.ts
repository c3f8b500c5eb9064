import { expect, test, type Page as PlaywrightPage } from '@playwright/test';
import type { Page } from '@shared/attachments/attachments';
import { FRAME, SAMPLE_PAGE, useDocumentCamera } from './document-camera';
import { byTest, screenPath, unique } from './helpers';
import { HallApi, chooseMatter, lookUp, newResidentId, setMaterial, signIn } from './intake-helpers';

/** Chromium's fake camera stands in for the 高拍仪, showing a sample document (see document-camera.ts). */
useDocumentCamera();

const shotOf = (r: { postDataJSON(): unknown }) => r.postDataJSON() as { draftId: string; dataBase64: string };

/** Points along the sample page's margins, in its own pixels: paper there, wherever the print and marker are. */
const MARGIN = [
  [10, 10],
  [150, 10],
  [290, 10],
  [10, 200],
  [290, 200],
  [10, 390],
  [150, 393],
  [290, 390],
] as const;

/**
 * The photo as the page's browser decodes it: its size, and its grey at each point (given as a share of its
 * width and height).
 */
function decoded(page: PlaywrightPage, dataBase64: string, at: readonly (readonly [number, number])[]) {
  return page.evaluate(
    async ({ dataBase64, at }) => {
      const bytes = Uint8Array.from(atob(dataBase64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/jpeg' }));
      const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      const greys = at.map(
        ({ x, y }) => ctx.getImageData(Math.floor(x * bitmap.width), Math.floor(y * bitmap.height), 1, 1).data[0]!,
      );
      return { size: { width: bitmap.width, height: bitmap.height }, greys };
    },
    { dataBase64, at: at.map(([x, y]) => ({ x, y })) },
  );
}

let hall: HallApi;
test.beforeAll(async ({ playwright }, testInfo) => {
  hall = new HallApi(await playwright.request.newContext({ baseURL: testInfo.project.use.baseURL }));
});

test('the clerk takes two pages with the document camera, sees two thumbnails and accepts the case with them', async ({
  page,
}) => {
  const idNumber = newResidentId('310104');
  const applicant = await hall.registerPerson(`周拍${unique()}`, idNumber);
  await signIn(page);
  await lookUp(page, idNumber);
  await expect(byTest(page, 'applicant-name')).toHaveText(applicant.name);
  await hall.calendarsFor('PSB-003');
  await chooseMatter(page, '身份证换领', 'PSB-003');

  const row = page.locator('[data-test="material-row"][data-id="old-card"]');
  const added = page.waitForRequest((r) => r.url().includes('attachment.page.add'));
  await row.locator('[data-test="material-page-camera"]').click();
  const camera = row.locator('[data-test="document-camera"]');
  await expect(camera.locator('[data-test="camera-preview"]')).toBeVisible();
  await camera.locator('[data-test="camera-shoot"]').click();
  await expect(row.locator('[data-test="material-page"]')).toHaveCount(1);
  // Cropped to the paper and turned upright: the page's own size, not the frame or the turned page's box.
  const { draftId, dataBase64 } = shotOf(await added);
  const video = await camera.locator('video').evaluate((v: HTMLVideoElement) => [v.videoWidth, v.videoHeight]);
  const k = video[0]! / FRAME.width;
  // Upright and in place: its margins all paper (235), no desk (110) nor black from a turn the wrong way.
  const margins = MARGIN.map(([x, y]) => [x / SAMPLE_PAGE.width, y / SAMPLE_PAGE.height] as const);
  const first = await decoded(page, dataBase64, margins);
  expect(Math.abs(first.size.width - SAMPLE_PAGE.width * k)).toBeLessThan(6 * k);
  expect(Math.abs(first.size.height - SAMPLE_PAGE.height * k)).toBeLessThan(6 * k);
  for (const grey of first.greys) expect(grey).toBeGreaterThan(200);

  // Switched off (an object, or the whole view): the frame as it is.
  await camera.locator('[data-test="camera-straighten"]').click();
  await expect(camera.locator('[data-test="camera-straighten"] input')).not.toBeChecked();
  const addedWhole = page.waitForRequest((r) => r.url().includes('attachment.page.add'));
  await camera.locator('[data-test="camera-shoot"]').click();
  await expect(row.locator('[data-test="material-page"]')).toHaveCount(2);
  const whole = await decoded(page, shotOf(await addedWhole).dataBase64, [[0.02, 0.02]]);
  expect(whole.size).toEqual({ width: video[0], height: video[1] });
  expect(whole.greys[0]).toBeLessThan(150);
  await expect(row.locator('[data-test="material-page"] img')).toHaveCount(2);
  await expect(camera.locator('[data-test="camera-taken"]')).toHaveText('已拍 2 页');
  await page.screenshot({ path: screenPath('intake-camera'), fullPage: true });
  await camera.locator('[data-test="camera-done"]').click();
  await expect(camera).toHaveCount(0);

  await setMaterial(page, 'old-card', 'received');
  await setMaterial(page, 'hukou', 'received');
  await byTest(page, 'outcome-accept').click();
  await expect(byTest(page, 'result-state')).toHaveText(/^(已受理|已分办)$/);
  const pages = await hall.call<Page[]>('counter', 'attachment.page.list', { draftId });
  expect(pages.map((p) => [p.materialId, p.position, p.mime])).toEqual([
    ['old-card', 0, 'image/jpeg'],
    ['old-card', 1, 'image/jpeg'],
  ]);
});

test('a camera pulled out mid-capture, or refused, says so and keeps the pages already taken', async ({ page }) => {
  const idNumber = newResidentId('310104');
  await hall.registerPerson(`吴拍${unique()}`, idNumber);
  await signIn(page);
  await lookUp(page, idNumber);
  await chooseMatter(page, '户口迁入', 'PSB-002');
  const row = page.locator('[data-test="material-row"][data-id="id-card"]');
  const camera = row.locator('[data-test="document-camera"]');

  await row.locator('[data-test="material-page-camera"]').click();
  await camera.locator('[data-test="camera-shoot"]').click();
  await expect(row.locator('[data-test="material-page"]')).toHaveCount(1);
  // The browser fires `ended` on the track when the USB device goes away.
  await camera
    .locator('[data-test="camera-preview"]')
    .evaluate((v: HTMLVideoElement) =>
      (v.srcObject as MediaStream).getVideoTracks()[0]!.dispatchEvent(new Event('ended')),
    );
  await expect(camera.locator('[data-test="camera-error"]')).toContainText('高拍仪已断开');
  await expect(camera.locator('[data-test="camera-shoot"]')).toBeDisabled();
  await expect(row.locator('[data-test="material-page"]')).toHaveCount(1);
  await camera.locator('[data-test="camera-done"]').click();

  // Refused (as the Electron shell refuses every window but the counter's): words, no page, case acceptable.
  await page.evaluate(() => {
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
  });
  await row.locator('[data-test="material-page-camera"]').click();
  await expect(camera.locator('[data-test="camera-error"]')).toContainText('摄像头使用被拒绝');
  await expect(camera.locator('[data-test="camera-shoot"]')).toBeDisabled();
  await camera.locator('[data-test="camera-done"]').click();
  await expect(row.locator('[data-test="material-page"]')).toHaveCount(1);
  await setMaterial(page, 'id-card', 'received');
  await byTest(page, 'outcome-notice').click();
  await expect(byTest(page, 'result-state')).toHaveText('已一次性告知');
});
