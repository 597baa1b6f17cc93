// What every admin page is checked for: accessible to WCAG 2.1 AA (axe), and looked at in
// landscape and portrait, where nothing may run off the side.
import AxeBuilder from '@axe-core/playwright';
import type { Page, TestInfo } from '@playwright/test';
import { expect } from './fixtures';

/** The page as axe judges it against WCAG 2.1 AA: nothing serious or critical. */
export async function expectAccessible(page: Page) {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** Landscape (1280 × 800) and portrait (800 × 1280) screenshots, attached to the test's report; returns their paths. */
export async function inBothOrientations(page: Page, testInfo: TestInfo, name: string): Promise<{ landscape: string; portrait: string }> {
  const paths = { landscape: '', portrait: '' };
  for (const [orientation, size] of [
    ['landscape', { width: 1280, height: 800 }],
    ['portrait', { width: 800, height: 1280 }],
  ] as const) {
    await page.setViewportSize(size);
    // A string, run in the page: the tests' own TypeScript has no DOM.
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), `${name} fits ${orientation}`).toBe(true);
    paths[orientation] = testInfo.outputPath(`${name}-${orientation}.png`);
    await page.screenshot({ path: paths[orientation], fullPage: true });
    await testInfo.attach(`${name}-${orientation}`, { path: paths[orientation], contentType: 'image/png' });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  return paths;
}
