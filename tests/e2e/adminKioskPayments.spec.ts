// Head office sets how a store's kiosks serve customers — a brand colour white text cannot be read
// on is refused, at the colour, as it is picked — and sees the store's recent orders with how each
// was served and paid. A customer opens their receipt from its QR code on a phone, in English and
// in Arabic. Every screen is checked with axe and looked at (landscape and portrait; a phone for
// the receipt). It works on a store of its own, so the demo café stays as the other tests expect it.
import { copyFile } from 'node:fs/promises';
import { DEMO_OWNER } from '../../electron/demoStack';
import type { PushResponse } from '#protocol/events';
import { indexMenu, type MenuDocument } from '#protocol/menu';
import { receiptUrl } from '#protocol/receiptLink';
import { DEMO_STORE } from '../../sync-server/seed/seedDemo';
import { call } from '../support/adminClient';
import { COOKIE, LATTE, orderUpload } from '../support/orderUploads';
import { connectReadingPayments, paidByCard, payAtCounter } from '../support/payments';
import { expectAccessible, inBothOrientations } from './adminPages';
import { expect, test } from './fixtures';

const PHONE = { width: 390, height: 844 };

test("an owner sets a store's kiosks and sees its orders and payments; a customer opens their receipt", async ({ page, demo }, testInfo) => {
  const base = demo.server.url;
  const owner = (await call<{ token: string }>(base, 'POST', '/api/sessions', DEMO_OWNER)).body.token;
  const { stores } = (await call<{ stores: Array<{ id: string; name: string; menuVersionId: string }> }>(base, 'GET', '/api/stores', undefined, owner)).body;
  const cafe = stores.find((s) => s.name === DEMO_STORE.name)!;
  const store = (await call<{ id: string; name: string }>(base, 'POST', '/api/stores', { ...DEMO_STORE, name: 'Tillsync Café Rotterdam', address: 'Witte de Withstraat 50\n3012 BR Rotterdam' }, owner)).body;
  expect((await call(base, 'POST', `/api/menus/${cafe.menuVersionId}/publish`, { storeIds: [store.id] }, owner)).status).toBe(200);
  const { code } = (await call<{ code: string }>(base, 'POST', `/api/stores/${store.id}/pairing-codes`, { role: 'kiosk', name: 'Kiosk by the door' }, owner)).body;
  const { deviceToken } = (await call<{ deviceToken: string }>(base, 'POST', '/api/pairing', { code })).body;

  // The store's kiosk takes four orders: cards and the counter, eaten in and taken away.
  const kiosk = await connectReadingPayments(base, deviceToken);
  const { document } = (await call<{ document: MenuDocument }>(base, 'GET', `/api/menus/${cafe.menuVersionId}`, undefined, owner)).body;
  const menu = indexMenu(cafe.menuVersionId, document);
  const prefix = kiosk.hello.device.orderPrefix!;
  const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);
  const card = paidByCard(orderUpload(menu, `${prefix}001`, [LATTE, COOKIE], ago(25)), { failedAttempts: 1, reference: 'AUTH-7731' }, { service: { mode: 'eat-in', table: '12' }, locale: 'en' });
  const held = payAtCounter(orderUpload(menu, `${prefix}002`, [LATTE], ago(12)), true, { service: { mode: 'takeaway' }, locale: 'ar' });
  const counter = payAtCounter(orderUpload(menu, `${prefix}003`, [COOKIE], ago(8)), false, { service: { mode: 'eat-in' }, locale: 'fr' });
  const tap = paidByCard(orderUpload(menu, `${prefix}004`, [LATTE], ago(2)), { cardBrand: 'Mastercard', last4: '5454', reference: 'AUTH-8120' }, { service: { mode: 'takeaway' }, locale: 'en' });
  const pushed = await kiosk.request<PushResponse>('mutations:push', {
    mutations: [
      ...[card, held, counter, tap].map((order, i) => ({ id: i + 1, kind: 'order.place', order })),
      { id: 5, kind: 'order.paid', orderId: counter.id, paidAt: ago(7).toISOString() },
    ],
  });
  expect(pushed.ok && pushed.data.results.map((r) => r.outcome)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied']);

  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${base}/admin/stores/${store.id}`);
  await page.getByLabel('Email').fill(DEMO_OWNER.email);
  await page.getByLabel('Password').fill(DEMO_OWNER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: store.name })).toBeVisible();

  // Recent orders: newest first, each with how it was served and paid.
  const orders = page.getByTestId('recent-orders');
  await expect(orders.locator('[data-order]')).toHaveCount(4);
  await expect(orders.locator('tbody tr td:first-child')).toHaveText([tap.number, counter.number, held.number, card.number]);
  const row = (number: string) => orders.locator(`[data-order="${number}"]`);
  await expect(row(card.number)).toContainText('Eat in · table 12');
  await expect(row(card.number)).toContainText(/Paid\s*Card Visa •••• 4242/);
  await expect(row(card.number)).toContainText('ref AUTH-7731');
  await expect(row(card.number)).toContainText('1 failed attempt');
  await expect(row(held.number)).toContainText('Takeaway');
  await expect(row(held.number)).toContainText(/Unpaid\s*Counter\s*Held until paid/);
  await expect(row(counter.number)).toContainText(/Paid\s*Counter/);
  await expect(row(tap.number)).toContainText('Mastercard •••• 5454');
  await expect(row(tap.number)).toContainText('Preparing');

  // Kiosk settings: a yellow white text cannot be read on is said at once, and refused at its field.
  const settings = page.getByTestId('kiosk-settings');
  await settings.getByLabel('Eat-in customers give the number of their table tent').check();
  await settings.getByLabel('Paying at the counter').selectOption('hold');
  await settings.getByLabel('Seconds without a touch').fill('120');
  await settings.getByLabel('Brand colour', { exact: true }).fill('#f5c400');
  await expect(page.getByTestId('contrast-note')).toHaveText('White text on it: only 1.6:1. Kiosks need at least 4.5:1: choose a darker colour.');
  await page.getByTestId('save-store').click();
  await expect(page.getByTestId('save-store')).toBeEnabled();
  await expect(settings.getByLabel('Brand colour', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('store-settings').getByRole('status')).toHaveCount(0);
  const unsaved = (await call<{ stores: Array<{ id: string; kiosk: { brandColour: string; idleSeconds: number } }> }>(base, 'GET', '/api/stores', undefined, owner)).body.stores.find((s) => s.id === store.id)!;
  expect(unsaved.kiosk).toMatchObject({ brandColour: '#1f6f50', idleSeconds: 90 });
  // A colour that is not one is said by the server, at the colour.
  await settings.getByLabel('Brand colour', { exact: true }).fill('crimson');
  await page.getByTestId('save-store').click();
  await expect(settings.locator('#kiosk-colour-problem')).toHaveText('a colour written #rrggbb, such as #1f6f50');
  await settings.getByLabel('Brand colour', { exact: true }).fill('#f5c400');
  await expectAccessible(page);
  const refused = testInfo.outputPath('kiosk-colour-refused.png');
  await settings.screenshot({ path: refused });
  await testInfo.attach('kiosk-colour-refused', { path: refused, contentType: 'image/png' });
  // A deep red is readable: saved, and the store's kiosks get it.
  await settings.getByLabel('Brand colour', { exact: true }).fill('#8A1538');
  await expect(page.getByTestId('contrast-note')).toHaveText('White text on it: 9.3:1, readable.');
  await page.getByTestId('save-store').click();
  await expect(page.getByTestId('store-settings').getByRole('status')).toContainText('Saved.');
  const saved = (await call<{ stores: Array<{ id: string; kiosk: unknown }> }>(base, 'GET', '/api/stores', undefined, owner)).body.stores.find((s) => s.id === store.id)!;
  expect(saved.kiosk).toEqual({ serviceModes: ['eat-in', 'takeaway'], tableNumbers: true, counterPayment: 'hold', idleSeconds: 120, brandColour: '#8a1538' });
  await expect.poll(() => kiosk.live.find((c) => c.kind === 'store.changed')).toMatchObject({ store: { kiosk: { brandColour: '#8a1538' } } });
  await expectAccessible(page);
  await inBothOrientations(page, testInfo, 'store-kiosk-orders');
  // The README's picture: the board searched down to a few items, so the settings and orders show.
  await page.getByTestId('sold-out-board').getByLabel('Find an item').fill('latte');
  const shots = await inBothOrientations(page, testInfo, 'store-kiosk-orders-searched');
  // TILLSYNC_README_SCREENSHOTS=1 refreshes the README's picture of this page.
  if (process.env.TILLSYNC_README_SCREENSHOTS === '1') await copyFile(shots.landscape, new URL('../../renderer/admin/screenshots/store-kiosk-orders.png', import.meta.url));

  // The customer scans the QR code on their receipt.
  const key = kiosk.hello.receiptKey!;
  await page.setViewportSize(PHONE);
  await page.goto(receiptUrl(base, key, kiosk.hello.device.id, card.id));
  await expect(page.getByRole('heading', { level: 1, name: 'Receipt' })).toBeVisible();
  await expect(page.getByRole('main')).toContainText('Eat in · Table 12');
  await expect(page.getByRole('banner')).toContainText('Witte de Withstraat 50');
  expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
  await expectAccessible(page);
  const english = testInfo.outputPath('receipt-en-phone.png');
  await page.screenshot({ path: english, fullPage: true });
  await testInfo.attach('receipt-en-phone', { path: english, contentType: 'image/png' });

  await page.goto(receiptUrl(base, key, kiosk.hello.device.id, held.id));
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.getByRole('heading', { level: 1, name: 'الإيصال' })).toBeVisible();
  await expectAccessible(page);
  const arabic = testInfo.outputPath('receipt-ar-phone.png');
  await page.screenshot({ path: arabic, fullPage: true });
  await testInfo.attach('receipt-ar-phone', { path: arabic, contentType: 'image/png' });
  kiosk.close();
});
