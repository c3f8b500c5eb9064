import { expect, test, type Locator, type Page } from '@playwright/test';
import type { IssuedTicket, Queue, QueueSettings } from '@shared/api';
import { byTest, screenPath, unique, watchPage } from './helpers';
import { HallApi, chooseMatter, lookUp, newResidentId, setMaterial, signIn } from './intake-helpers';

/**
 * The counter page while the clerk takes a case in for the called ticket (一窗受理), at the desk's
 * 1280×800: when service starts, what stays on screen after 完成办理, how the page fits, how disabled commands
 * look, and the English call counts.
 */
test.describe.configure({ timeout: 90_000 });

let hall: HallApi;
let originalQueues: Queue[] = [];
let originalSettings: QueueSettings;

/** Page errors, leaving out the browser's own log line for each refused call (a 4xx answer is expected). */
const unexpected = (errors: string[]) => errors.filter((e) => !/Failed to load resource: .* status of 4\d\d/.test(e));

test.beforeAll(async ({ playwright }, testInfo) => {
  hall = new HallApi(await playwright.request.newContext({ baseURL: testInfo.project.use.baseURL }));
  originalQueues = await hall.openQueuesAllDay();
  // A no-show needs two calls here, whatever another spec left behind.
  originalSettings = await hall.call<QueueSettings>('admin', 'queue.settings.get', {});
  await hall.call('admin', 'queue.settings.update', { ...originalSettings, noShowAfterCalls: 2 });
});

test.afterAll(async () => {
  await hall.resetHall();
  await hall.restoreQueues(originalQueues);
  await hall.call('admin', 'queue.settings.update', originalSettings);
});

test.beforeEach(async () => {
  await hall.resetHall();
});

async function ticketState(ticketId: string): Promise<string> {
  return (await hall.call<IssuedTicket>('kiosk', 'queue.ticket.get', { ticketId })).ticket.state;
}

/** Signs in at counter 1 and calls the one ticket issued for the test. */
async function callOne(page: Page): Promise<IssuedTicket> {
  const issued = await hall.issue('general');
  await signIn(page);
  await byTest(page, 'action-callNext').click();
  await expect(byTest(page, 'current-number')).toHaveText(issued.ticket.number);
  await expect(byTest(page, 'current-state')).toHaveText('已呼叫');
  return issued;
}

/** Relative luminance contrast of two CSS rgb() colours (WCAG 2). */
function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = (c.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((x) => {
      const v = Number(x) / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

const colours = (button: Locator) =>
  button.evaluate((el) => {
    const s = getComputedStyle(el);
    return { color: s.color, background: s.backgroundColor };
  });

test('looking the citizen up starts the service of the called ticket, once', async ({ page }) => {
  const watched = watchPage(page);
  const issued = await callOne(page);
  const idNumber = newResidentId();
  const applicant = await hall.registerPerson(`周洁${unique()}`, idNumber);

  // The citizen hands over the ID card: the clerk is working on this ticket from now on, without F3.
  await lookUp(page, idNumber);
  await expect(byTest(page, 'applicant-name')).toHaveText(applicant.name);
  await expect(byTest(page, 'current-state')).toHaveText('办理中');
  expect(await ticketState(issued.ticket.id)).toBe('serving');
  await expect(byTest(page, 'action-start')).toBeDisabled();
  await expect(byTest(page, 'action-finish')).toBeEnabled();

  // Another lookup for the same ticket sends nothing more (a second start would be refused and shown).
  await byTest(page, 'applicant-clear').click();
  await lookUp(page, idNumber);
  await expect(byTest(page, 'applicant-name')).toHaveText(applicant.name);
  await hall.calendarsFor('PSB-003');
  await chooseMatter(page, '身份证换领', 'PSB-003');
  await setMaterial(page, 'old-card', 'received');
  await setMaterial(page, 'hukou', 'received');
  await byTest(page, 'outcome-accept').click();
  await expect(byTest(page, 'result-state')).toHaveText(/^(已受理|已分办)$/);
  await expect(byTest(page, 'command-error')).toHaveCount(0);
  await expect(byTest(page, 'intake-error')).toHaveCount(0);
  await expect(byTest(page, 'current-state')).toHaveText('办理中');
  expect(unexpected(watched.errors)).toEqual([]);
});

test('完成办理 clears the intake of the citizen who has gone', async ({ page }) => {
  const issued = await callOne(page);
  const idNumber = newResidentId();
  const applicant = await hall.registerPerson(`郑芳${unique()}`, idNumber);
  // F3 first, as a clerk may still do; the lookup then has nothing to start.
  await byTest(page, 'action-start').click();
  await expect(byTest(page, 'current-state')).toHaveText('办理中');
  await lookUp(page, idNumber);
  await hall.calendarsFor('PSB-003');
  await chooseMatter(page, '身份证换领', 'PSB-003');
  await setMaterial(page, 'old-card', 'received');
  await setMaterial(page, 'hukou', 'received');
  await byTest(page, 'outcome-accept').click();
  await expect(byTest(page, 'intake-result')).toBeVisible();
  await expect(byTest(page, 'command-error')).toHaveCount(0);

  // 完成办理: the citizen has gone; nothing of theirs stays, and the next 受理 cannot land without a ticket.
  await byTest(page, 'action-finish').click();
  await expect(byTest(page, 'current-none')).toBeVisible();
  expect(await ticketState(issued.ticket.id)).toBe('done');
  await expect(byTest(page, 'intake-ticket')).toHaveText('未关联号票（无叫号受理）');
  await expect(byTest(page, 'applicant-card')).toHaveCount(0);
  await expect(byTest(page, 'intake-result')).toHaveCount(0);
  await expect(byTest(page, 'intake').getByText(applicant.name)).toHaveCount(0);
  await expect(byTest(page, 'lookup')).toBeVisible();
});

test('mid-intake the page fits 1280×800 and the chosen matter heads its materials and outcomes', async ({ page }) => {
  expect(page.viewportSize()).toEqual({ width: 1280, height: 800 });
  await callOne(page);
  const idNumber = newResidentId('310104');
  await hall.registerPerson(`吴敏${unique()}`, idNumber);
  await lookUp(page, idNumber);
  await chooseMatter(page, '居住证', 'PSB-001');
  await setMaterial(page, 'work-proof', 'tolerated');
  await expect(byTest(page, 'tolerance-date')).toBeVisible();
  await page.screenshot({ path: screenPath('counter-mid-intake') });

  // No page scrolling; the status bar and the 好差评 panel are whole on screen.
  expect(await page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight)).toBe(true);
  const bar = (await byTest(page, 'status-bar').boundingBox())!;
  expect(bar.y + bar.height).toBeLessThanOrEqual(800);
  const rating = (await byTest(page, 'rating-prompt').boundingBox())!;
  expect(rating.y + rating.height).toBeLessThanOrEqual(bar.y);

  // Department, matter and time limits first, then the checklist, then the outcome buttons.
  const chosen = byTest(page, 'chosen-matter');
  await expect(chosen).toHaveAttribute('data-code', 'PSB-001');
  await expect(byTest(page, 'chosen-department')).toHaveText('公安局');
  await expect(chosen).toContainText('居住证');
  await expect(chosen).toContainText('法定');
  await expect(chosen).toContainText('承诺');
  const top = async (l: Locator) => (await l.boundingBox())!.y;
  expect(await top(chosen)).toBeLessThan(await top(byTest(page, 'material-row').first()));
  expect(await top(byTest(page, 'material-row').last())).toBeLessThan(await top(byTest(page, 'outcome-accept')));
  // What the materials allow and the outcome buttons are in reach without scrolling anything.
  await expect(byTest(page, 'outcome-hint')).toBeInViewport({ ratio: 1 });
  await expect(byTest(page, 'outcome-accept')).toBeInViewport({ ratio: 1 });
  const accept = (await byTest(page, 'outcome-accept').boundingBox())!;
  expect(accept.y + accept.height).toBeLessThanOrEqual(bar.y);

  // Another matter: back to the list, and the chosen one replaces the card.
  await byTest(page, 'chosen-change').click();
  await expect(chosen).toHaveCount(0);
  await chooseMatter(page, '户口迁入', 'PSB-002');
  await expect(chosen).toHaveAttribute('data-code', 'PSB-002');
});

test('commands that cannot run now are grey with readable labels, not paler colours', async ({ page }) => {
  await callOne(page);
  // Called once: F1 (busy), F4 (not started) and F5 (too early) cannot run.
  for (const name of ['callNext', 'finish', 'noShow']) {
    const button = byTest(page, `action-${name}`);
    await expect(button).toBeDisabled();
    // Polled: the button's colours ease over a moment after the state changes.
    await expect
      .poll(async () => {
        const { color, background } = await colours(button);
        const [r, g, b] = background.match(/\d+/g)!.map(Number);
        const grey = Math.max(r!, g!, b!) - Math.min(r!, g!, b!) < 16;
        return { grey, readable: contrast(color, background) >= 4.5, color, background };
      })
      .toMatchObject({ grey: true, readable: true });
  }
  // An enabled command keeps its colour.
  const recall = await colours(byTest(page, 'action-recall'));
  const start = await colours(byTest(page, 'action-start'));
  expect(recall.background).toBe(start.background);
  await byTest(page, 'action-start').click();
  await expect(byTest(page, 'action-finish')).toBeEnabled();
  const finish = await colours(byTest(page, 'action-finish'));
  expect(finish.background).not.toBe(recall.background);
});

test('English call counts use the singular and the plural', async ({ page }) => {
  await callOne(page);
  await byTest(page, 'locale-switch').click();
  await expect(byTest(page, 'current-calls')).toHaveText('Called 1 time');
  await expect(byTest(page, 'action-noShow-hint')).toHaveText('Call 1 more time first');
  await page.keyboard.press('F5');
  await expect(byTest(page, 'command-error')).toHaveText('Call 1 more time first');
  await byTest(page, 'action-recall').click();
  await expect(byTest(page, 'current-calls')).toHaveText('Called 2 times');
  await byTest(page, 'locale-switch').click();
  await expect(byTest(page, 'current-calls')).toHaveText('已呼叫 2 次');
});
