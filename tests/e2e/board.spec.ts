// The order-ready board at a lunch rush: 40 orders placed on the demo kiosk, half of them made and
// ready, looked at on a 1080p wall screen held landscape and portrait. No two numbers overlap, each
// fits its cell and the screen, or the board says how many it left out. A number the kitchen marks
// ready comes in big and lit, and leaves once collected; at 80 orders the board still holds. Every
// text is checked against WCAG AAA's 7:1 contrast, read from across a dining room. The board
// chimes for a newly ready number once the store turns its chime on.
import AxeBuilder from '@axe-core/playwright';
import type { Page, TestInfo } from '@playwright/test';
import { copyFile } from 'node:fs/promises';
import { DEMO_OWNER } from '../../electron/demoStack';
import { DEMO_STORE } from '../../sync-server/seed/seedDemo';
import { call } from '../support/adminClient';
import { expect, test } from './fixtures';
import { terminalApi, type TerminalApiClient } from './terminalApi';

const LANDSCAPE = { width: 1920, height: 1080 };
const PORTRAIT = { width: 1080, height: 1920 };
/** How long a newly ready number stays lit (BoardView.vue), and a little more. */
const JUST_READY_MS = 21_000;

/** Places `count` espressos on the demo kiosk, paid at the counter; returns their ids and numbers. */
async function placeOrders(kiosk: TerminalApiClient, count: number): Promise<Array<{ id: string; number: string }>> {
  // A kiosk just started takes its menu once it has fetched it.
  let menu: { versionId: string } | null = null;
  await expect.poll(async () => (menu = await kiosk.call('getMenu')), { timeout: 60_000 }).not.toBeNull();
  const order = { menuVersionId: menu!.versionId, lines: [{ itemId: 'espresso', quantity: 1, optionIds: [] }], expectedTotalCents: 260, service: { mode: 'takeaway' } };
  const placed = [];
  for (let i = 0; i < count; i++) placed.push(await kiosk.call<{ id: string; number: string }>('placeOrder', order));
  return placed;
}

/** The kitchen display bumps each order on: ready, then collected. */
async function bump(kitchen: TerminalApiClient, orders: ReadonlyArray<{ id: string }>): Promise<void> {
  for (const { id } of orders) await kitchen.call('bumpTicket', { orderId: id });
}

/**
 * Until the board has laid itself out again (its columns are measured a frame after a resize) and
 * numbers have come in (their entry animation draws them smaller for a moment): only the endless
 * pulse runs.
 */
const settled = (page: Page) =>
  page.evaluate(`(async () => {
    for (let i = 0; i < 3; i++) await new Promise((r) => requestAnimationFrame(r));
    await Promise.all(document.getAnimations().filter((a) => a.effect.getTiming().iterations !== Infinity).map((a) => a.finished.catch(() => null)));
  })()`);

interface Placed {
  number: string;
  box: { x: number; y: number; width: number; height: number };
  fits: boolean;
}

/** Every number and "+N more" cell on the board, where it is drawn, and whether its text fits its cell. */
const placedOnBoard = (page: Page) =>
  page.evaluate(`[...document.querySelectorAll('[data-number], [data-testid="more"]')].map((el) => {
    const r = el.getBoundingClientRect();
    return { number: el.dataset.number ?? el.textContent, box: { x: r.x, y: r.y, width: r.width, height: r.height }, fits: el.scrollWidth <= el.clientWidth && el.scrollHeight <= el.clientHeight };
  })`) as Promise<Placed[]>;

/**
 * No two cells overlap, each lies inside the screen and its text inside it; every number `expected`
 * is drawn, or "+N more" says some are not. Returns how many are not.
 */
async function expectNoOverlap(page: Page, expected: readonly string[], size: { width: number; height: number }) {
  await settled(page);
  const placed = await placedOnBoard(page);
  for (const cell of placed) {
    expect(cell.fits, `${cell.number} fits its cell`).toBe(true);
    expect(cell.box.x >= 0 && cell.box.y >= 0 && cell.box.x + cell.box.width <= size.width && cell.box.y + cell.box.height <= size.height, `${cell.number} is inside the screen`).toBe(true);
  }
  for (const [i, a] of placed.entries()) {
    for (const b of placed.slice(i + 1)) {
      const apart = a.box.x + a.box.width <= b.box.x || b.box.x + b.box.width <= a.box.x || a.box.y + a.box.height <= b.box.y || b.box.y + b.box.height <= a.box.y;
      expect(apart, `${a.number} and ${b.number} do not overlap`).toBe(true);
    }
  }
  const drawn = new Set(placed.map((p) => p.number));
  const missing = expected.filter((n) => !drawn.has(n));
  if (missing.length > 0) await expect(page.getByTestId('more').first()).toBeVisible();
  return missing.length;
}

/** The board as a customer 5 m away reads it: WCAG 2.1 AA, and text at AAA's 7:1 contrast (one run of axe: it is slow). */
async function expectReadable(page: Page) {
  const { violations, passes } = await new AxeBuilder({ page })
    .options({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, rules: { 'color-contrast-enhanced': { enabled: true } } })
    .analyze();
  expect(passes.map((p) => p.id)).toContain('color-contrast-enhanced');
  const failing = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical' || v.id === 'color-contrast-enhanced');
  expect(failing.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function lookAt(page: Page, testInfo: TestInfo, name: string): Promise<string> {
  await settled(page);
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
  return path;
}

test('the board holds a rush of 40 and then 80 orders on a 1080p screen, lights a number as it is ready, and lets it go once collected', async ({ browser, demo }, testInfo) => {
  test.setTimeout(300_000);
  const kiosk = await terminalApi(demo.screen('kiosk'));
  const kitchen = await terminalApi(demo.screen('kitchen'));
  const board = await (await browser.newContext({ viewport: LANDSCAPE })).newPage();
  await board.goto(demo.screen('board'));
  await expect(board.getByTestId('preparing')).toBeVisible();
  // Headed in the menu's languages the screens speak: English and Arabic, right to left.
  await expect(board.locator('#ready-heading [lang="ar"]')).toHaveText('جاهز للاستلام');
  await expect(board.locator('#ready-heading [lang="ar"]')).toHaveAttribute('dir', 'rtl');

  const orders = await placeOrders(kiosk, 40);
  const numbers = orders.map((o) => o.number);
  const onBoard = (number: string) => board.locator(`[data-number="${number}"]`);
  await expect(onBoard(numbers.at(-1)!)).toBeVisible();

  // Half are made: ready, and lit while they are new; then they settle.
  await bump(kitchen, orders.slice(0, 17));
  await expect(board.getByTestId('ready').locator(`[data-number="${numbers[16]}"]`)).toBeVisible();
  await expect(board.getByTestId('just-ready').locator('[data-number]').first()).toHaveText(numbers[16]!);
  await expect(board.getByTestId('just-ready').locator('[data-number]').first()).toHaveClass(/fresh/);
  await expect(board.getByTestId('just-ready')).toHaveCount(0, { timeout: JUST_READY_MS + 5000 });
  await expect(board.locator('[data-number].fresh')).toHaveCount(0);

  // Three more come out of the kitchen: each comes in big and lit, the newest first.
  await bump(kitchen, orders.slice(17, 20));
  const justReady = board.getByTestId('just-ready').locator('[data-number]');
  await expect(justReady.first()).toHaveText(numbers[19]!);
  await expect(justReady.first()).toHaveClass(/fresh/);
  for (const number of numbers.slice(17, 19)) await expect(onBoard(number)).toHaveClass(/fresh/);
  await expect(board.locator('[data-number].fresh')).toHaveCount(3);
  await settled(board);
  const bigger = (await justReady.first().boundingBox())!.height;
  expect(bigger).toBeGreaterThan(1.3 * (await onBoard(numbers[0]!).boundingBox())!.height);
  for (const number of numbers.slice(20)) await expect(board.getByTestId('preparing').locator(`[data-number="${number}"]`)).toBeVisible();

  // Looked at while the three are still new, then checked for contrast (axe takes a while).
  expect(await expectNoOverlap(board, numbers, LANDSCAPE)).toBe(0);
  const landscape = await lookAt(board, testInfo, 'board-40-landscape');
  await board.setViewportSize(PORTRAIT);
  expect(await expectNoOverlap(board, numbers, PORTRAIT)).toBe(0);
  const portrait = await lookAt(board, testInfo, 'board-40-portrait');
  await expectReadable(board);
  await board.setViewportSize(LANDSCAPE);
  await settled(board);
  await expectReadable(board);
  // TILLSYNC_README_SCREENSHOTS=1 refreshes the README's pictures of the board.
  if (process.env.TILLSYNC_README_SCREENSHOTS === '1') {
    await copyFile(landscape, new URL('../../renderer/screenshots/board-landscape.png', import.meta.url));
    await copyFile(portrait, new URL('../../renderer/screenshots/board-portrait.png', import.meta.url));
  }

  // Collected: it leaves the board.
  await bump(kitchen, [orders[0]!]);
  await expect(onBoard(numbers[0]!)).toHaveCount(0);
  await expect(onBoard(numbers[1]!)).toBeVisible();

  // Forty more: the board still holds them, or says how many it leaves out.
  const more = await placeOrders(kiosk, 40);
  await bump(kitchen, more.slice(0, 20));
  await expect(board.getByTestId('ready').locator(`[data-number="${more[19]!.number}"]`)).toBeVisible();
  const all = [...numbers.slice(1), ...more.map((o) => o.number)];
  for (const [name, size] of [
    ['board-80-portrait', PORTRAIT],
    ['board-80-landscape', LANDSCAPE],
  ] as const) {
    await board.setViewportSize(size);
    await expect(board.locator(`[data-number="${more.at(-1)!.number}"], [data-testid="more"]`).first()).toBeVisible();
    await expectNoOverlap(board, all, size);
    await lookAt(board, testInfo, name);
  }

  // The chime: silent by default; once the store turns it on, three rising tones for each number
  // newly ready, heard by their pitch (Web Audio oscillators).
  const listening = await (await browser.newContext({ viewport: LANDSCAPE })).newPage();
  await listening.addInitScript(`(() => {
    window.tonesHeard = [];
    const start = OscillatorNode.prototype.start;
    OscillatorNode.prototype.start = function (...args) { window.tonesHeard.push(this.frequency.value); return start.apply(this, args); };
  })()`);
  const heard = () => listening.evaluate('window.tonesHeard') as Promise<number[]>;
  await listening.goto(demo.screen('board'));
  await expect(listening.locator(`[data-number="${more[0]!.number}"]`)).toBeVisible();
  await bump(kitchen, [more[20]!]);
  await expect(listening.getByTestId('ready').locator(`[data-number="${more[20]!.number}"]`)).toBeVisible();
  expect(await heard()).toEqual([]);
  const base = demo.server.url;
  const owner = (await call<{ token: string }>(base, 'POST', '/api/sessions', DEMO_OWNER)).body.token;
  const cafe = (await call<{ stores: Array<{ id: string; name: string }> }>(base, 'GET', '/api/stores', undefined, owner)).body.stores.find((s) => s.name === DEMO_STORE.name)!;
  const chime = async (on: boolean) => expect((await call(base, 'PATCH', `/api/stores/${cafe.id}`, { kitchen: { boardChime: on } }, owner)).status).toBe(200);
  await chime(true);
  try {
    const boardApi = await terminalApi(demo.screen('board'));
    await expect.poll(async () => (await boardApi.call<{ chime: boolean }>('getBoard')).chime).toBe(true);
    boardApi.close();
    await bump(kitchen, [more[21]!]);
    await expect.poll(heard).toEqual([523, 659, 784]);
  } finally {
    await chime(false);
  }
  kiosk.close();
  kitchen.close();
});
