// Head office's reports match the orders placed in the test: a store of the test's own takes three
// orders (card and counter, eaten in and taken away), its kitchen bumps them item by item and
// whole, and the reports page's tables — and the charts beside them — say exactly that: sales by
// day and hour, the items, ticket times per store and per station, eat-in or takeaway and card or
// counter; each downloads as a spreadsheet. A ten-year range is refused in words; an empty one says
// so. Checked with axe and looked at in landscape and portrait.
import { copyFile, readFile } from 'node:fs/promises';
import type { Locator, Page } from '@playwright/test';
import { DEMO_OWNER } from '../../electron/demoStack';
import type { ItemMix, OrderMix, TicketTimes } from '#admin-api';
import { formatMoney } from '#protocol/money';
import { DEMO_STORE } from '../../sync-server/seed/seedDemo';
import { call } from '../support/adminClient';
import { COOKIE, LATTE, orderUpload } from '../support/orderUploads';
import { paidByCard, payAtCounter } from '../support/payments';
import { expectAccessible, inBothOrientations } from './adminPages';
import { expect, test } from './fixtures';
import { openStoreOfItsOwn } from './storeOfItsOwn';

// The page's "today" is the browser's; head office here sits where the store is.
test.use({ timezoneId: DEMO_STORE.timeZone });

const CROISSANT = { itemId: 'croissant', quantity: 2, optionIds: ['serve-warm'] };
const euros = (cents: number) => formatMoney(cents, 'EUR', undefined);
/** What a chart draws, as its canvas carries it. */
const drawnBy = async (chart: Locator) => JSON.parse((await chart.getAttribute('data-series'))!) as { labels: string[]; series: Array<{ label: string; values: number[] }> };
/** A table's body, cell by cell. */
const cellsOf = async (table: Locator) => Promise.all((await table.locator('tbody tr').all()).map(async (row) => (await row.locator('th, td').allTextContents()).map((text) => text.trim())));
/** Chart.js has drawn on the section's first canvas: not every pixel of it is blank. (A string, run in the page: the tests' own TypeScript has no DOM.) */
const paintedOn = (page: Page, section: string) =>
  page.evaluate(`(() => { const c = document.querySelector('[data-testid="${section}"] canvas'); return c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some((v) => v !== 0); })()`);
const storeDay = (at: number) => new Intl.DateTimeFormat('en-CA', { timeZone: DEMO_STORE.timeZone }).format(at);
/** The store's last midnight: its business day, and the page's "today", start there. */
function midnightBefore(now: number): number {
  const [h, m, s] = new Intl.DateTimeFormat('en-GB', { timeZone: DEMO_STORE.timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).format(now).split(':').map(Number);
  return now - ((h! * 60 + m!) * 60 + s!) * 1000 - (now % 1000);
}

test('reports: the tables and charts say what the orders placed were; CSV; a ten-year range refused; an empty range said', async ({ page, demo }, testInfo) => {
  const base = demo.server.url;
  const store = await openStoreOfItsOwn(base, 'Tillsync Café Reports');
  const prefix = store.kiosk.hello.device.orderPrefix!;
  // Every order and bump of the test on the store's today, the bumps no later than now.
  if (Date.now() - midnightBefore(Date.now()) < 7 * 60_000) await page.waitForTimeout(midnightBefore(Date.now()) + 7 * 60_000 - Date.now());
  const start = Math.max(Date.now() - 20 * 60_000, midnightBefore(Date.now()) + 30_000);
  const at = (ms: number) => new Date(ms);
  const eatIn = paidByCard(orderUpload(store.menu, `${prefix}001`, [LATTE, CROISSANT], at(start)), {}, { service: { mode: 'eat-in', table: '3' } });
  const counter = payAtCounter(orderUpload(store.menu, `${prefix}002`, [COOKIE], at(start + 2 * 60_000)), false, { service: { mode: 'takeaway' } });
  const justIn = paidByCard(orderUpload(store.menu, `${prefix}003`, [LATTE], at(start + 4 * 60_000)), {}, { service: { mode: 'takeaway' } });
  await store.push(store.kiosk, [eatIn, counter, justIn].map((order) => ({ kind: 'order.place', order })));
  // The bar makes the latte in 2 minutes, the kitchen the croissants in 5; expo sends it out at 6.
  // The cookie is ready 3 minutes after it was ordered, then collected. The last order is not made yet.
  const after = (order: { placedAt: string }, minutes: number) => store.clock(Date.parse(order.placedAt) + minutes * 60_000);
  await store.push(store.kitchen, [
    { kind: 'order.lines', orderId: eatIn.id, lineNos: [1], done: true, hlc: after(eatIn, 2) },
    { kind: 'order.lines', orderId: eatIn.id, lineNos: [2], done: true, hlc: after(eatIn, 5) },
    { kind: 'order.status', orderId: eatIn.id, status: 'ready', hlc: after(eatIn, 6) },
    { kind: 'order.status', orderId: counter.id, status: 'ready', hlc: after(counter, 3) },
    { kind: 'order.status', orderId: counter.id, status: 'served', hlc: after(counter, 3.5) },
  ]);
  const sales = eatIn.totalCents + counter.totalCents + justIn.totalCents;

  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${base}/admin/reports?range=today&store=${store.id}`);
  await page.getByLabel('Email').fill(DEMO_OWNER.email);
  await page.getByLabel('Password').fill(DEMO_OWNER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Reports' })).toBeVisible();
  await expect(page.getByLabel('Store', { exact: true })).toHaveValue(store.id);
  await expect(page.locator('label', { has: page.locator('input[value="today"]') })).toHaveClass(/chosen/);

  // The figures, as tables.
  const totals = page.getByTestId('report-totals');
  await expect(totals).toContainText(/Orders\s*3/);
  await expect(totals).toContainText(new RegExp(`Sales\\s*${euros(sales).replace('.', '\\.')}`));
  await expect(totals).toContainText(new RegExp(`Average order\\s*${euros(Math.round(sales / 3)).replace('.', '\\.')}`));
  const byDay = page.getByTestId('report-sales-by-day');
  expect(await cellsOf(byDay.locator('table'))).toEqual([[expect.any(String), '3', euros(sales)]]);

  const hourOf = (order: { placedAt: string }) => Number(new Intl.DateTimeFormat('en-GB', { timeZone: DEMO_STORE.timeZone, hour: '2-digit', hourCycle: 'h23' }).format(new Date(order.placedAt)));
  const hours = new Map<number, { orders: number; cents: number }>();
  for (const order of [eatIn, counter, justIn]) {
    const hour = hours.get(hourOf(order)) ?? { orders: 0, cents: 0 };
    hours.set(hourOf(order), { orders: hour.orders + 1, cents: hour.cents + order.totalCents });
  }
  const byHour = page.getByTestId('report-sales-by-hour');
  expect(await cellsOf(byHour.locator('table'))).toEqual(
    [...hours].sort(([a], [b]) => a - b).map(([hour, { orders, cents }]) => [`${String(hour).padStart(2, '0')}:00`, String(orders), euros(cents)]),
  );

  const items = page.getByTestId('report-item-mix');
  const quantity = (itemId: string) => items.locator(`tr[data-item="${itemId}"] td`).first();
  await expect(quantity('latte')).toHaveText('2');
  await expect(quantity('croissant')).toHaveText('2');
  await expect(quantity('cookie')).toHaveText('2');
  await expect(items.locator('tbody tr')).toHaveCount(3);
  await expect(items.locator('tr[data-item="latte"]')).toContainText(euros(2 * eatIn.lines[0]!.lineTotalCents));

  // Ticket times: from the order to ready, 6 and 3 minutes; the bar's latte 2, the kitchen's croissants 5.
  // (A p90 is counted in 10-second buckets: up to 10 s above the exact time.)
  const times = page.getByTestId('report-ticket-times');
  const stores = await cellsOf(times.getByTestId('ticket-times-stores'));
  expect(stores).toEqual([[store.name, '2', '4:30', expect.stringMatching(/^6:(0\d|10)$/)]]);
  expect((await cellsOf(times.getByTestId('ticket-times-stations'))).sort()).toEqual([
    ['Bar', '1', '2:00', expect.stringMatching(/^2:(0\d|10)$/)],
    ['Kitchen', '1', '5:00', expect.stringMatching(/^5:(0\d|10)$/)],
  ]);

  const service = await cellsOf(page.getByTestId('mix-service'));
  expect(service.map((row) => row.slice(1, 4)).sort()).toEqual([
    ['Eat in', '1', '33%'],
    ['Takeaway', '2', '67%'],
  ]);
  const payment = await cellsOf(page.getByTestId('mix-payment'));
  expect(payment.map((row) => row.slice(1, 5)).sort()).toEqual([
    ['At the counter', '1', '33%', euros(counter.totalCents)],
    ['Card', '2', '67%', euros(eatIn.totalCents + justIn.totalCents)],
  ]);

  // The charts draw the same figures as the tables, which are the API's.
  const today = storeDay(Date.now());
  const api = async <T>(report: string) => (await call<T>(base, 'GET', `/api/reports/${report}?from=${today}&to=${today}&storeIds=${store.id}`, undefined, store.owner)).body;
  const canvas = (section: string) => page.getByTestId(section).locator('canvas').first();
  for (const section of ['report-sales-by-day', 'report-sales-by-hour', 'report-item-mix', 'report-ticket-times', 'report-order-mix']) {
    await expect(canvas(section)).toBeVisible();
    expect(await paintedOn(page, section)).toBe(true);
  }
  const dayChart = await drawnBy(canvas('report-sales-by-day'));
  expect(dayChart.series).toEqual([{ label: 'EUR', values: [sales / 100] }]);
  const hourChart = await drawnBy(canvas('report-sales-by-hour'));
  expect(hourChart.labels).toHaveLength(24);
  for (const [hour, { cents }] of hours) expect(hourChart.series[0]!.values[hour]).toBe(cents / 100);
  expect(hourChart.series[0]!.values.reduce((a, b) => a + b, 0)).toBeCloseTo(sales / 100, 6);
  const itemRows = (await api<ItemMix>('item-mix')).rows;
  expect(await drawnBy(canvas('report-item-mix'))).toEqual({ labels: itemRows.map((r) => r.name), series: [{ label: 'Quantity', values: itemRows.map((r) => r.quantity) }] });
  const ticketTimes = await api<TicketTimes>('ticket-times');
  expect(ticketTimes.stores).toEqual([expect.objectContaining({ storeId: store.id, orders: 2, avgSeconds: 270 })]);
  expect(await drawnBy(canvas('report-ticket-times'))).toEqual({
    labels: [store.name],
    series: [
      { label: 'Average', values: [270] },
      { label: '9 in 10 within (p90)', values: [ticketTimes.stores[0]!.p90Seconds] },
    ],
  });
  const mix = await api<OrderMix>('order-mix');
  const doughnuts = page.getByTestId('report-order-mix').locator('canvas');
  await expect(doughnuts).toHaveCount(2);
  const serviceChart = await drawnBy(doughnuts.first());
  expect(Object.fromEntries(serviceChart.labels.map((label, i) => [label, serviceChart.series[0]!.values[i]]))).toEqual({ 'Eat in': 1, Takeaway: 2 });
  expect(mix.payment.map((r) => [r.method, r.orders]).sort()).toEqual([
    ['card', 2],
    ['counter', 1],
  ]);

  // Each report as a spreadsheet.
  const downloading = page.waitForEvent('download');
  await byDay.getByRole('link', { name: 'Download CSV' }).click();
  const csv = await readFile((await (await downloading).path())!, 'utf8');
  expect(csv).toContain('3');
  expect(csv.split(/\r?\n/)[0]!.toLowerCase()).toContain('day');

  await expectAccessible(page);
  const shots = await inBothOrientations(page, testInfo, 'reports');
  // TILLSYNC_README_SCREENSHOTS=1 refreshes the README's picture of this page.
  if (process.env.TILLSYNC_README_SCREENSHOTS === '1') await copyFile(shots.landscape, new URL('../../renderer/admin/screenshots/reports.png', import.meta.url));

  // A range of ten years is refused, in words; the page says what to do.
  await page.locator('label', { has: page.locator('input[value="custom"]') }).click();
  await page.getByLabel('From').fill('2016-01-01');
  await page.getByLabel('To (included)').fill('2026-01-01');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page.getByTestId('report-error')).toHaveText(/A report covers at most 366 days.*Choose a shorter date range/);
  await expect(page.locator('canvas')).toHaveCount(0);
  await expectAccessible(page);
  // A range without orders says so.
  await page.getByLabel('From').fill('2020-03-02');
  await page.getByLabel('To (included)').fill('2020-03-08');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page.getByTestId('report-empty')).toHaveText('No orders in these days. Choose other dates or another store.');
  await expect(page.getByTestId('report-error')).toHaveCount(0);
  store.close();
});
