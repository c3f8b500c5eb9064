import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** No serious or critical WCAG 2.1 AA violation (axe) on the page as it is now, once its animations have settled. */
export async function expectAccessible(page: Page, state: string): Promise<void> {
  // A toast (ElMessage) fades out on its own timer, which may fall while axe reads the page's colours (on a
  // loaded machine it takes seconds): the page is judged once the toasts it showed have gone.
  await expect(page.locator('.el-message')).toHaveCount(0, { timeout: 10_000 });
  // Colours are measured at rest: a tag still zooming in (Element Plus) is judged by a transitional colour.
  // Vue starts a transition on the frame after it mounts the element, and data arriving late mounts more:
  // wait until two checks, frames apart, find nothing running (at most 3 s).
  await page.evaluate(async () => {
    const frames = async () => {
      for (let i = 0; i < 2; i++) await new Promise((r) => requestAnimationFrame(r));
    };
    const deadline = performance.now() + 3000;
    for (let quiet = 0; quiet < 2 && performance.now() < deadline;) {
      await frames();
      const running = document.getAnimations().filter((a) => a.effect?.getTiming().iterations !== Infinity);
      quiet = running.length === 0 ? quiet + 1 : 0;
      await Promise.all(running.map((a) => a.finished.catch(() => undefined)));
    }
  });
  const result = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const grave = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      rule: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} — ${n.failureSummary ?? ''}`),
    }));
  expect(grave, `${state}: ${JSON.stringify(grave, null, 2)}`).toEqual([]);
}
