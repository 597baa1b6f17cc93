// The kitchen display in a lunch rush, on the demo café's kitchen screen (one of every station):
// thirty tickets placed through the kiosk's own TerminalApi, on a 1080p screen either way up, every
// ticket on a page or counted, none overlapping or cut off; the bump bar's keys; bumping a line and
// a whole ticket; the recall drawer with its times; timers coloured at the store's thresholds; the
// sounds; a reload that keeps its place; the screen in Arabic. Stations and expo, with real station
// assignment, are kitchenStations.spec.ts's.
import AxeBuilder from '@axe-core/playwright';
import { copyFile } from 'node:fs/promises';
import type { Browser, Page, TestInfo } from '@playwright/test';
import type { MenuView, PlacedOrder } from '#terminal-api/contract';
import { indexMenu } from '#protocol/menu';
import { priceOrder, type LineDraft } from '#protocol/pricing';
import type { Service } from '#protocol/orders';
import { expect, test } from './fixtures';
import { terminalApi } from './terminalApi';

/** What the lunch crowd orders: dishes with choices and allergens, drinks, quantities. */
const BASKETS: LineDraft[][] = [
  [
    { itemId: 'latte', quantity: 1, optionIds: ['size-large', 'milk-oat'] },
    { itemId: 'avocado-toast', quantity: 2, optionIds: ['bread-rye', 'add-feta'] },
  ],
  [
    { itemId: 'pancakes', quantity: 1, optionIds: ['topping-berries'] },
    { itemId: 'croissant', quantity: 1, optionIds: ['serve-warm'] },
    { itemId: 'orange-juice', quantity: 1, optionIds: ['ice-none'] },
  ],
  [
    { itemId: 'club-sandwich', quantity: 1, optionIds: ['bread-sourdough', 'side-crisps'] },
    { itemId: 'lemonade', quantity: 2, optionIds: ['ice-regular'] },
  ],
  [
    { itemId: 'margherita-flatbread', quantity: 1, optionIds: [] },
    { itemId: 'caesar-salad', quantity: 1, optionIds: ['protein-chicken', 'dressing-caesar'] },
    { itemId: 'sparkling-water', quantity: 2, optionIds: [] },
  ],
  [
    { itemId: 'cappuccino', quantity: 2, optionIds: ['size-regular', 'milk-whole'] },
    { itemId: 'brownie', quantity: 1, optionIds: ['serve-warm', 'sweet-cream'] },
  ],
  [
    { itemId: 'eggs-on-toast', quantity: 1, optionIds: ['eggs-scrambled', 'bread-gluten-free', 'add-bacon'] },
    { itemId: 'flat-white', quantity: 1, optionIds: ['size-regular', 'milk-almond'] },
  ],
  [
    { itemId: 'tomato-soup', quantity: 1, optionIds: ['soup-sourdough'] },
    { itemId: 'grilled-cheese', quantity: 1, optionIds: ['bread-sourdough', 'side-salad'] },
  ],
  [{ itemId: 'espresso', quantity: 1, optionIds: ['extra-shot'] }],
];

/** Places `count` orders at the kiosk, paid at the counter (to the kitchen unpaid); returns their numbers. */
async function placeOrders(kioskUrl: string, count: number): Promise<string[]> {
  const kiosk = await terminalApi(kioskUrl);
  try {
    // A kiosk just started shows its menu once it has fetched it (and its pictures).
    let menu: MenuView | null = null;
    await expect.poll(async () => (menu = await kiosk.call<MenuView | null>('getMenu')), { timeout: 60_000 }).not.toBeNull();
    menu = menu!;
    const index = indexMenu(menu.versionId, menu);
    const numbers: string[] = [];
    for (let i = 0; i < count; i++) {
      const lines = BASKETS[i % BASKETS.length]!;
      const service: Service = i % 3 === 0 ? { mode: 'eat-in', table: String(i + 1) } : i % 3 === 1 ? { mode: 'takeaway' } : { mode: 'eat-in' };
      const placed = await kiosk.call<PlacedOrder>('placeOrder', { menuVersionId: menu.versionId, lines, expectedTotalCents: priceOrder(index, lines, menu.tax).totalCents, service });
      numbers.push(placed.number);
    }
    return numbers;
  } finally {
    kiosk.close();
  }
}

/** A kitchen screen of its own (its own sessionStorage), as a second display would be. */
async function openKitchen(browser: Browser, url: string, size = { width: 1920, height: 1080 }, setUp?: (page: Page) => Promise<void>): Promise<Page> {
  const page = await (await browser.newContext({ viewport: size })).newPage();
  await setUp?.(page);
  await page.goto(url);
  await expect(page.getByTestId('ticket').first()).toBeVisible();
  return page;
}

const openCount = async (page: Page) => Number((await page.getByTestId('open-count').textContent())!.match(/\d+/)![0]);

interface Layout {
  shown: string[];
  overlaps: string[];
  cutOff: string[];
  before: number;
  more: number;
  /** The pager's two buttons, as they read. */
  labels: [string, string];
  pageScrolls: boolean;
}

/** The tickets a cook sees, and what the layout does wrong: overlaps, tickets cut off, a page that scrolls. */
async function layoutOf(page: Page): Promise<Layout> {
  // Measured a frame after any change of size, once the grid has cut its pages again.
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  return page.evaluate(`(() => {
    const grid = document.querySelector('[data-testid="ticket-grid"]').getBoundingClientRect();
    const tickets = [...document.querySelectorAll('[data-testid="ticket"]')].filter((el) => el.checkVisibility({ visibilityProperty: true }));
    const boxes = tickets.map((el) => ({ order: el.dataset.order, box: el.getBoundingClientRect() }));
    const overlaps = [];
    for (const [i, a] of boxes.entries())
      for (const b of boxes.slice(i + 1))
        if (a.box.left < b.box.right && b.box.left < a.box.right && a.box.top < b.box.bottom && b.box.top < a.box.bottom) overlaps.push(a.order + '/' + b.order);
    const cutOff = boxes
      .filter(({ box }) => box.top < grid.top - 1 || box.bottom > grid.bottom + 1 || box.left < grid.left - 1 || box.right > grid.right + 1 || box.bottom > innerHeight)
      .map((b) => b.order);
    const count = (id, what) => Number(document.querySelector('[data-testid="' + id + '"]').getAttribute('data-' + what));
    return {
      shown: boxes.map((b) => b.order),
      overlaps,
      cutOff,
      before: count('page-back', 'before'),
      more: count('page-forward', 'more'),
      labels: [document.querySelector('[data-testid="page-back"]').textContent.trim(), document.querySelector('[data-testid="page-forward"]').textContent.trim()],
      pageScrolls: document.documentElement.scrollHeight > innerHeight || document.documentElement.scrollWidth > innerWidth,
    };
  })()`);
}

/**
 * axe against WCAG 2.1 AA finds nothing serious or critical (as adminPages.ts's expectAccessible),
 * and every text has the enhanced contrast of AAA, 7:1 (4.5:1 for large text), in the same pass.
 */
async function expectReadable(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag2aaa']).analyze();
  const serious = violations.filter((v) => v.id === 'color-contrast-enhanced' || (!v.tags.includes('wcag2aaa') && (v.impact === 'serious' || v.impact === 'critical')));
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** A screenshot, attached to the test's report; returns its path. */
async function lookAt(page: Page, testInfo: TestInfo, name: string): Promise<string> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
  return path;
}

/** Checks every page at this size, from the first: nothing overlaps or is cut off, and every open ticket is shown or counted. Returns the number of pages. */
async function checkEveryPage(page: Page, testInfo: TestInfo, name: string): Promise<number> {
  const total = await openCount(page);
  const seen = new Set<string>();
  while (!(await page.getByTestId('page-of').textContent())!.startsWith('Page 1 of')) await page.keyboard.press('PageUp');
  for (let p = 1; ; p++) {
    const layout = await layoutOf(page);
    expect(layout.overlaps, `${name} page ${p}: tickets overlap`).toEqual([]);
    expect(layout.cutOff, `${name} page ${p}: tickets cut off`).toEqual([]);
    expect(layout.pageScrolls, `${name}: the screen scrolls`).toBe(false);
    expect(layout.shown.length, `${name} page ${p} shows tickets`).toBeGreaterThan(0);
    // What is not shown is counted: "n before" and "+n more" add up to the open tickets.
    expect(layout.before + layout.shown.length + layout.more, `${name} page ${p}`).toBe(total);
    expect(layout.before, `${name} page ${p} comes after the tickets of the pages before`).toBe(seen.size);
    // The pager says how many, or where it leads when there are none ("0 before" helps no cook).
    expect(layout.labels[0]).toBe(layout.before > 0 ? `${layout.before} before` : 'Earlier');
    expect(layout.labels[1]).toMatch(layout.more > 0 ? new RegExp(`^\\+${layout.more} more`) : /^Later/);
    layout.shown.forEach((number) => seen.add(number));
    if (p === 1) await lookAt(page, testInfo, name);
    if (layout.more === 0) {
      // Paged through, every open ticket was on a page once.
      expect(seen.size, name).toBe(total);
      return p;
    }
    await page.getByTestId('page-forward').click();
    await expect(page.getByTestId('page-of')).toContainText(`Page ${p + 1} of`);
  }
}

test.describe('the kitchen display at the lunch rush', () => {
  // Thirty tickets laid out at four sizes, page by page, and axe over them, on two cores shared with the demo's processes.
  test.describe.configure({ timeout: 180_000 });
  let placed: string[] = [];
  test.beforeAll(async ({ demo }) => {
    placed = await placeOrders(demo.screen('kiosk'), 30);
  });

  test('thirty tickets on a 1080p screen either way up: every one on a page or counted, none overlapping or cut off', async ({ browser, demo }, testInfo) => {
    const kitchen = await openKitchen(browser, demo.screen('kitchen'));
    await expect.poll(() => openCount(kitchen)).toBeGreaterThanOrEqual(30);
    // Every order placed is open on this screen, each with its number big and its lines.
    const numbers = await kitchen.getByTestId('ticket').evaluateAll((els) => els.map((el) => el.getAttribute('data-order')));
    expect(numbers).toEqual(expect.arrayContaining(placed));
    expect(numbers).toHaveLength(await openCount(kitchen));

    const pages: Record<string, number> = {};
    for (const [name, size] of [
      ['kitchen-1920x1080', { width: 1920, height: 1080 }],
      ['kitchen-1080x1920', { width: 1080, height: 1920 }],
      ['kitchen-1280x800', { width: 1280, height: 800 }],
      ['kitchen-800x1280', { width: 800, height: 1280 }],
    ] as const) {
      await kitchen.setViewportSize(size);
      pages[name] = await checkEveryPage(kitchen, testInfo, name);
    }
    // A rush of thirty does not fit one screen: the pager says so.
    expect(pages['kitchen-1920x1080']).toBeGreaterThan(1);

    // The badges say how each order is served and that it is not paid, in words beside the icons.
    const ticket = kitchen.locator(`[data-order="${placed[0]}"]`);
    await expect(ticket.getByTestId('ticket-service')).toHaveText('Table 1');
    await expect(ticket.getByTestId('ticket-unpaid')).toHaveText('Unpaid');
    await expect(kitchen.locator(`[data-order="${placed[1]}"]`).getByTestId('ticket-service')).toHaveText('Take away');
    await expect(ticket).toContainText('2×Avocado Toast');
    await expect(ticket).toContainText('Feta');
    await expect(ticket).toContainText('Gluten');
    // All day: what is still to make across the open tickets, most first.
    const allDay = await kitchen.getByTestId('all-day-item').allTextContents();
    const counts = allDay.map((text) => Number(text.match(/\d+/)![0]));
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    await kitchen.context().close();
  });

  test('the bump bar selects, pages, bumps an item and a whole ticket, and recalls from the drawer with times', async ({ browser, demo }) => {
    const kitchen = await openKitchen(browser, demo.screen('kitchen'));
    const selected = kitchen.locator('[data-testid="ticket"][aria-current="true"]');
    await expect(selected).toHaveCount(1);
    const first = await selected.getAttribute('data-order');

    await kitchen.keyboard.press('ArrowRight');
    await expect(selected).not.toHaveAttribute('data-order', first!);
    await kitchen.keyboard.press('ArrowLeft');
    await expect(selected).toHaveAttribute('data-order', first!);

    // Page Down: the next page, its first ticket selected; the screen itself never scrolls.
    await kitchen.keyboard.press('PageDown');
    await expect(kitchen.getByTestId('page-of')).toContainText('Page 2 of');
    await expect(selected).toBeVisible();
    const layout = await layoutOf(kitchen);
    expect(layout.shown[0]).toBe(await selected.getAttribute('data-order'));
    expect(await kitchen.evaluate('scrollY')).toBe(0);
    await kitchen.keyboard.press('PageUp');
    await expect(kitchen.getByTestId('page-of')).toContainText('Page 1 of');
    await expect(selected).toHaveAttribute('data-order', first!);

    // Space: the selected ticket's first line made. A tap on the line takes it back, another makes it again.
    const line = selected.getByTestId('line').first();
    await expect(line).toHaveAttribute('data-done', 'false');
    await kitchen.keyboard.press(' ');
    await expect(line).toHaveAttribute('data-done', 'true');
    await line.click();
    await expect(line).toHaveAttribute('data-done', 'false');
    await line.click();
    await expect(line).toHaveAttribute('data-done', 'true');

    // Enter: the whole ticket ready. It leaves the grid for the ready strip, and the next ticket is selected.
    const open = await openCount(kitchen);
    await kitchen.keyboard.press('Enter');
    await expect.poll(() => openCount(kitchen)).toBe(open - 1);
    await expect(kitchen.locator(`[data-testid="ticket"][data-order="${first}"]`)).toHaveCount(0);
    await expect(kitchen.getByTestId('ready-strip').locator(`[data-order="${first}"]`)).toBeVisible();
    await expect(selected).toHaveCount(1);

    // Backspace: the recall drawer, newest first, with the time each was finished on the store's 24-hour clock.
    await kitchen.keyboard.press('Backspace');
    const drawer = kitchen.getByTestId('recall-drawer');
    await expect(drawer).toBeVisible();
    const newest = drawer.getByTestId('recent').first();
    await expect(newest).toHaveAttribute('data-order', first!);
    await expect(newest).toHaveAttribute('aria-current', 'true');
    await expect(newest.getByTestId('finished-at')).toHaveText(/^Finished \d{2}:\d{2}$/);
    const clock = (await kitchen.getByTestId('clock').textContent())!;
    expect(clock).toMatch(/^\d{2}:\d{2}$/);
    // Backspace again: recalled. It is back on the screen, selected, to be made again.
    await kitchen.keyboard.press('Backspace');
    await expect(drawer).toBeHidden();
    await expect(selected).toHaveAttribute('data-order', first!);
    await expect.poll(() => openCount(kitchen)).toBe(open);

    // Ready again, then collected from the ready strip: the drawer says so, and can bring it back.
    await kitchen.keyboard.press('Enter');
    await kitchen.getByTestId('ready-strip').locator(`[data-order="${first}"]`).click();
    await expect(kitchen.getByTestId('ready-strip').locator(`[data-order="${first}"]`)).toHaveCount(0);
    await kitchen.getByTestId('open-recall').click();
    await expect(drawer.locator(`[data-order="${first}"]`).first()).toContainText('Collected');
    await expect(drawer.locator(`[data-order="${first}"]`).first().getByTestId('collect')).toHaveCount(0);
    await kitchen.keyboard.press('Escape');
    await expect(drawer).toBeHidden();
    await kitchen.context().close();
  });

  test('a reload keeps the page and the selected ticket', async ({ browser, demo }) => {
    const kitchen = await openKitchen(browser, demo.screen('kitchen'));
    await kitchen.keyboard.press('PageDown');
    await kitchen.keyboard.press('ArrowRight');
    const selected = kitchen.locator('[data-testid="ticket"][aria-current="true"]');
    const chosen = await selected.getAttribute('data-order');
    const where = await kitchen.getByTestId('page-of').textContent();
    expect(where).toContain('Page 2 of');
    await kitchen.reload();
    await expect(selected).toHaveAttribute('data-order', chosen!);
    await expect(selected).toBeVisible();
    await expect(kitchen.getByTestId('page-of')).toHaveText(where!);
    await kitchen.context().close();
  });

  test('timers turn amber and then red at the store’s thresholds, and a late ticket and a new one sound', async ({ browser, demo }) => {
    // The tones the screen plays, heard by their pitch (Web Audio oscillators).
    const listen = async (page: Page) => {
      await page.addInitScript(`(() => {
        window.tonesHeard = [];
        const start = OscillatorNode.prototype.start;
        OscillatorNode.prototype.start = function (...args) { window.tonesHeard.push(this.frequency.value); return start.apply(this, args); };
      })()`);
    };
    const heard = (page: Page) => page.evaluate('window.tonesHeard') as Promise<number[]>;
    const kitchen = await openKitchen(browser, demo.screen('kitchen'), undefined, listen);
    // Browsers keep sound off until someone touches the screen: it offers to turn it on.
    const enable = kitchen.getByTestId('enable-sound');
    if (await enable.isVisible()) {
      await enable.click();
      await expect(enable).toBeHidden();
    }
    expect(await heard(kitchen)).toEqual([]);

    // A new order sounds the rising pair. Its ticket is watched (the rush's older tickets, and
    // those of the walks before, reach the thresholds sooner); it may be on a later page.
    const [number] = await placeOrders(demo.screen('kiosk'), 1);
    const fresh = kitchen.locator(`[data-testid="ticket"][data-order="${number}"]`);
    await expect.poll(() => heard(kitchen)).toEqual([660, 990]);
    // Just placed: on time (the store's defaults: amber from 5 minutes, red from 10).
    await expect(fresh).toHaveAttribute('data-urgency', 'on-time');

    const startedAt = Date.now();
    await kitchen.clock.setFixedTime(startedAt + 6 * 60_000);
    await expect(fresh).toHaveAttribute('data-urgency', 'warn');
    await expect(fresh.locator('header')).toHaveCSS('background-color', 'rgb(242, 181, 58)');
    // Older tickets turning late meanwhile sound too; what the fresh one adds is counted from here.
    const before = (await heard(kitchen)).length;
    await kitchen.clock.setFixedTime(startedAt + 11 * 60_000);
    await expect(fresh).toHaveAttribute('data-urgency', 'late');
    await expect(fresh.locator('header')).toHaveCSS('background-color', 'rgb(155, 28, 28)');
    await expect.poll(async () => (await heard(kitchen)).slice(before)).toEqual([392, 392, 392]);
    await kitchen.context().close();
  });

  test('axe finds nothing serious, every text reads at 7:1, and the screen works in Arabic, right to left', async ({ browser, demo }, testInfo) => {
    const kitchen = await openKitchen(browser, demo.screen('kitchen'));
    // The rush under way: a line made on the first ticket, the next ticket sent out.
    await kitchen.getByTestId('ticket').first().getByTestId('line').last().click();
    await expect(kitchen.getByTestId('ticket').first().getByTestId('line').last()).toHaveAttribute('data-done', 'true');
    const sentOut = (await kitchen.getByTestId('ticket').nth(1).getAttribute('data-order'))!;
    await kitchen.getByTestId('ticket').nth(1).getByTestId('bump').click();
    await expect(kitchen.getByTestId('ready-strip').locator(`[data-order="${sentOut}"]`)).toBeVisible();

    const shots: Record<string, string> = { 'kitchen-landscape': await lookAt(kitchen, testInfo, 'kitchen-landscape') };
    await expectReadable(kitchen);
    await kitchen.setViewportSize({ width: 1080, height: 1920 });
    shots['kitchen-portrait'] = await lookAt(kitchen, testInfo, 'kitchen-portrait');
    await kitchen.setViewportSize({ width: 1920, height: 1080 });
    await kitchen.getByTestId('open-recall').click();
    await expect(kitchen.getByTestId('recall-drawer')).toBeVisible();
    await expectReadable(kitchen);
    shots['kitchen-recall'] = await lookAt(kitchen, testInfo, 'kitchen-recall');
    // TILLSYNC_README_SCREENSHOTS=1 refreshes the README's pictures of the kitchen display.
    if (process.env.TILLSYNC_README_SCREENSHOTS === '1') {
      for (const [name, path] of Object.entries(shots)) await copyFile(path, new URL(`../../renderer/screenshots/${name}.png`, import.meta.url));
    }
    await kitchen.keyboard.press('Escape');

    await kitchen.getByTestId('language').selectOption('ar');
    await expect(kitchen.locator('html')).toHaveAttribute('dir', 'rtl');
    await expect(kitchen.getByRole('heading', { name: 'المطبخ' })).toBeVisible();
    const layout = await layoutOf(kitchen);
    expect(layout.overlaps).toEqual([]);
    expect(layout.cutOff).toEqual([]);
    expect(layout.pageScrolls).toBe(false);
    // Right to left: the oldest ticket is at the right.
    const [oldest, next] = await kitchen.getByTestId('ticket').evaluateAll((els) =>
      els.filter((el) => el.checkVisibility({ visibilityProperty: true })).slice(0, 2).map((el) => el.getBoundingClientRect().left),
    );
    expect(oldest!).toBeGreaterThan(next!);
    await expectReadable(kitchen);
    await lookAt(kitchen, testInfo, 'kitchen-ar-landscape');
    await kitchen.context().close();
  });
});
