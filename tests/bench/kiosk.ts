// The kiosk as a customer feels it, on a chain's 1,000-item menu in three languages, in Chromium at
// a portrait kiosk's 1080×1920, served by a real terminal core and web host:
// - tapToMenu: "Eat in" tapped until the menu's items are painted;
// - categorySwitch: a category tapped until its items are painted;
// - search: a letter typed on the search panel until the results are painted, and the matcher
//   alone in Node for every prefix of a few dishes.
// Each is timed inside the page, from the tap (the click event) to the frame that paints the result.
// Baseline: a frame that changes nothing, in the same page: no tap can be painted sooner.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from '@playwright/test';
import { createMenuVersion, publishMenuVersion } from '#menus/menuCatalog';
import { startWebHost } from '../../electron/host/webHost';
import { indexMenuForSearch } from '../../renderer/src/views/kiosk/browse/menuSearch';
import { CHROMIUM_ARGS, findChromium } from '../e2e/browser';
import { bigMenu } from '../support/bigMenu';
import { eventually } from '../support/testStack';
import { startWorld, type BenchCluster } from './benchStack';
import { ms, percentile, report } from './stats';

const ITEMS = 1000;
const ROUNDS = 30;
const rendererDir = fileURLToPath(new URL('../../dist/renderer', import.meta.url));

// What runs in the page is written as page script (this file is compiled for Node, without the DOM's types).
const FRAME = 'const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));';
const FIRST_ITEM = `const firstItem = () => document.querySelector('[data-item]')?.dataset.item ?? '';`;

/**
 * Clicks `selector` and waits, frame by frame, until the first item card on screen is another than
 * `before` (or there is one at all); answers the milliseconds to the frame that paints it.
 */
const timeTap = (page: Page, selector: string, before: string) =>
  page.evaluate<number>(`(async () => {
    ${FRAME} ${FIRST_ITEM}
    const target = document.querySelector(${JSON.stringify(selector)});
    const started = performance.now();
    target.click();
    while (firstItem() === ${JSON.stringify(before)}) await frame();
    await frame();
    return performance.now() - started;
  })()`);

const firstItem = (page: Page) => page.evaluate<string>(`(() => { ${FIRST_ITEM} return firstItem(); })()`);

/** A letter typed into the search field, until the frame that paints its results. */
const timeTyping = (page: Page, text: string) =>
  page.evaluate<number>(`(async () => {
    ${FRAME}
    const input = document.querySelector('[data-testid="search-field"]');
    const started = performance.now();
    input.value = ${JSON.stringify(text)};
    input.dispatchEvent(new Event('input', { bubbles: true }));
    await frame();
    await frame();
    return performance.now() - started;
  })()`);

/** A frame with nothing to do: the floor under every figure. */
const idleFrame = (page: Page) =>
  page.evaluate<number>(`(async () => {
    ${FRAME}
    await frame();
    const started = performance.now();
    await frame();
    await frame();
    return performance.now() - started;
  })()`);

export async function kioskBrowse(cluster: BenchCluster): Promise<void> {
  if (!existsSync(`${rendererDir}/index.html`)) execFileSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
  const world = await startWorld(cluster, 1);
  const browser = await chromium.launch({ executablePath: findChromium() ?? undefined, args: CHROMIUM_ARGS });
  try {
    const { menu } = bigMenu(ITEMS);
    for (const item of menu.items) delete item.image;
    const { db } = world.database;
    const version = await createMenuVersion(db, menu);
    await db.$transaction((tx) => publishMenuVersion(tx, version.id, [world.stores[0]!]));
    const core = await world.core(world.stores[0]!, 'kiosk');
    await eventually(async () => (await core.api.getMenu())?.versionId === version.id, 30_000);
    const host = await startWebHost({ core, rendererDir });
    const page = await browser.newPage({ viewport: { width: 1080, height: 1920 } });
    await page.goto(`${host.url}/kiosk`);
    await page.locator('[data-testid="start"]:not([disabled])').waitFor();

    const floor: number[] = [];
    const toMenu: number[] = [];
    for (let i = 0; i <= ROUNDS; i++) {
      await page.getByTestId('start').click();
      await page.locator('[data-service="eat-in"]').waitFor();
      floor.push(await idleFrame(page));
      const took = await timeTap(page, '[data-service="eat-in"]', '');
      if (i > 0) toMenu.push(took); // the first warms the page, as the day's first customer does
      await page.getByTestId('start-over').click();
      await page.getByTestId('start').waitFor();
    }

    await page.getByTestId('start').click();
    await page.locator('[data-service="eat-in"]').click();
    const categories = await page.locator('[data-category]').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-category')!));
    const switches: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (const category of [...categories.slice(1), categories[0]!]) {
        const before = await firstItem(page);
        switches.push(await timeTap(page, `[data-category="${category}"]`, before));
      }
    }

    // Typed on the on-screen keyboard's field as a customer would: a letter at a time.
    await page.getByTestId('open-search').click();
    const field = page.getByTestId('search-field');
    await field.waitFor();
    const typed: number[] = [];
    for (const word of ['burger', 'latte', 'crispy', 'frites', 'sundae']) {
      for (let n = 1; n <= word.length; n++) {
        typed.push(await timeTyping(page, word.slice(0, n)));
      }
    }

    // The matcher alone, as the screen calls it: an index per menu version and language, then a query per keystroke.
    const matcher: number[] = [];
    const view = { versionId: version.id, defaultLocale: menu.defaultLocale, items: menu.items };
    for (const locale of ['en', 'ar', 'fr']) {
      const index = indexMenuForSearch(view, locale);
      for (const word of ['burger', 'crispy', 'برغر', 'مقرمش', 'croustillant', 'creme']) {
        for (let n = 1; n <= word.length; n++) {
          const started = performance.now();
          index.find(word.slice(0, n));
          matcher.push(performance.now() - started);
        }
      }
    }

    const baseline = `a frame with nothing to do in the same page: p95 ${ms(percentile(floor, 95))}`;
    const verdict = (value: number, target: number) => (value <= target ? ('met' as const) : ('missed' as const));
    report([
      {
        name: `"Eat in" tapped until the first category of a ${ITEMS.toLocaleString('en')}-item menu is painted (1080×1920, ${ROUNDS} visits)`,
        value: `p50 ${ms(percentile(toMenu, 50))}, p95 ${ms(percentile(toMenu, 95))}`,
        baseline,
        target: 'p95 ≤ 100 ms',
        verdict: verdict(percentile(toMenu, 95), 100),
      },
      {
        name: `a category tapped until its items are painted (${switches.length} switches over ${categories.length} categories)`,
        value: `p50 ${ms(percentile(switches, 50))}, p95 ${ms(percentile(switches, 95))}`,
        baseline,
        target: 'p95 ≤ 100 ms',
        verdict: verdict(percentile(switches, 95), 100),
      },
      {
        name: `a letter typed in search until the results are painted (${typed.length} keystrokes)`,
        value: `p50 ${ms(percentile(typed, 50))}, p95 ${ms(percentile(typed, 95))}`,
        baseline,
        target: 'p95 ≤ 50 ms',
        verdict: verdict(percentile(typed, 95), 50),
      },
      {
        name: `the search matcher alone over ${ITEMS.toLocaleString('en')} items, English, Arabic and French (${matcher.length} queries)`,
        value: `p50 ${ms(percentile(matcher, 50))}, p95 ${ms(percentile(matcher, 95))}`,
        baseline: 'the frame budget at 60 Hz: 16.7 ms',
      },
    ]);
    await host.close();
  } finally {
    await browser.close();
    await world.close();
  }
}
