// Head office changes the menu while customers order: sold-out items grey out at once, a new menu
// waits until the customer on the kiosk is done.
import sharp from 'sharp';
import { createAdmin } from '../../sync-server/admin/adminAccounts';
import { loadDemoMenuDocument } from '../../sync-server/seed/seedDemo';
import { call } from '../support/adminClient';
import { expect, test } from './fixtures';
import { addItem, kioskMenuVersion, payAtCounter, review, startOrder } from './kioskSteps';

test.describe.configure({ mode: 'serial' });

let token = '';
test.beforeAll(async ({ demo }) => {
  const email = `owner-${Date.now()}@example.com`;
  await createAdmin(demo.server.db, { email, name: 'Owner', password: 'e2e owner password', role: 'owner' });
  token = (await call<{ token: string }>(demo.server.url, 'POST', '/api/sessions', { email, password: 'e2e owner password' })).body.token;
});


const admin = <T = unknown>(demo: { server: { url: string } }, method: string, path: string, body?: unknown) => call<T>(demo.server.url, method, path, body, token);

test('a sold-out toggle greys the item out on the kiosk while the customer is looking', async ({ page, demo }) => {
  await page.goto(demo.screen('kiosk'));
  await startOrder(page);
  await page.locator('[data-category="bakery"]').click();
  const brownie = page.locator('[data-item="brownie"]');
  await expect(brownie).toBeEnabled();

  const storeId = demo.server.demoStoreId!;
  expect((await admin(demo, 'PUT', `/api/stores/${storeId}/items/brownie/availability`, { available: false })).status).toBe(200);
  await expect(brownie).toBeDisabled({ timeout: 2000 });
  await expect(brownie).toContainText('Sold out');
  await page.screenshot({ path: 'test-results/kiosk-sold-out.png' });

  expect((await admin(demo, 'PUT', `/api/stores/${storeId}/items/brownie/availability`, { available: true })).status).toBe(200);
  await expect(brownie).toBeEnabled({ timeout: 2000 });
});

test('a new menu waits until the customer has ordered, then the next customer gets it', async ({ page, demo }) => {
  const storeId = demo.server.demoStoreId!;
  await page.goto(demo.screen('kiosk'));
  await startOrder(page);
  await addItem(page, 'espresso');
  await expect(page.getByTestId('cart-total')).toHaveText('€2.60');

  // Head office raises the espresso to €2.80 while this customer is ordering.
  const winter = await loadDemoMenuDocument();
  winter.name = 'Café menu — winter';
  winter.items.find((i) => i.id === 'espresso')!.priceCents = 280;
  const created = await admin<{ id: string }>(demo, 'POST', '/api/menus', winter);
  expect(created.status).toBe(201);
  expect((await admin(demo, 'POST', `/api/menus/${created.body.id}/publish`, { storeIds: [storeId] })).status).toBe(200);
  // The kiosk has received it: its own file says so.
  const kioskMenu = () => kioskMenuVersion(demo);
  await expect.poll(kioskMenu).toBe(created.body.id);

  // The customer's screen and total do not move under them, and their order goes through at €2.60.
  await expect(page.locator('[data-item="espresso"]')).toContainText('€2.60');
  await expect(page.getByTestId('cart-total')).toHaveText('€2.60');
  await review(page);
  await payAtCounter(page);

  // The next customer sees the new menu.
  await page.getByRole('button', { name: 'New order' }).click();
  await startOrder(page);
  await expect(page.locator('[data-item="espresso"]')).toContainText('€2.80');

  expect((await admin(demo, 'POST', `/api/stores/${storeId}/menu/rollback`)).status).toBe(200);
  await expect.poll(kioskMenu).not.toBe(created.body.id);
});

test("sells pancakes only at breakfast, on the store's own clock, and takes them off the screen when breakfast ends", async ({ browser, demo }) => {
  const kiosk = await (await browser.newContext()).newPage();
  // 10:58 on a Monday in Amsterdam, the demo café's time zone; breakfast runs 07:00–11:00.
  await kiosk.clock.setFixedTime(new Date('2026-12-07T10:58:00+01:00'));
  await kiosk.goto(demo.screen('kiosk'));
  await startOrder(kiosk);
  await kiosk.locator('[data-category="breakfast"]').click();
  await expect(kiosk.locator('[data-item="pancakes"]')).toBeVisible();
  await expect(kiosk.locator('[data-item="croissant"]')).toBeVisible();

  await kiosk.clock.setFixedTime(new Date('2026-12-07T11:00:00+01:00'));
  // Within the screen's minute tick: no reload, no tap.
  await expect(kiosk.locator('[data-item="pancakes"]')).toHaveCount(0, { timeout: 30_000 });
  await expect(kiosk.locator('[data-item="croissant"]')).toBeVisible();
});

test('shows a drawn placeholder, never a broken image, for an item without a picture or whose picture cannot be loaded', async ({ page, demo }) => {
  const storeId = demo.server.demoStoreId!;
  // A real upload, named by the latte; the espresso has no picture at all.
  const form = new FormData();
  const jpeg = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 120, g: 80, b: 40 } } }).jpeg().toBuffer();
  form.append('file', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'latte.jpg');
  const uploaded = (await (await fetch(`${demo.server.url}/api/pictures`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form })).json()) as { id: string };
  const menu = await loadDemoMenuDocument();
  menu.name = 'Café menu — pictures';
  delete menu.items.find((i) => i.id === 'espresso')!.image;
  menu.items.find((i) => i.id === 'latte')!.image = uploaded.id;
  const created = await admin<{ id: string }>(demo, 'POST', '/api/menus', menu);
  expect(created.status).toBe(201);
  // The server then loses the picture: the kiosk cannot fetch it, and shows the menu without it.
  await demo.server.db.menuPicture.delete({ where: { id: uploaded.id } });
  expect((await admin(demo, 'POST', `/api/menus/${created.body.id}/publish`, { storeIds: [storeId] })).status).toBe(200);
  await expect.poll(() => kioskMenuVersion(demo)).toBe(created.body.id);

  await page.goto(demo.screen('kiosk'));
  await startOrder(page);
  await expect(page.locator('[data-item="espresso"] [data-testid="picture-placeholder"]')).toBeVisible();
  // The kiosk has no copy of the latte's picture: the image fails, and the placeholder takes its place.
  await expect(page.locator('[data-item="latte"] [data-testid="picture-placeholder"]')).toBeVisible();
  await expect(page.locator('[data-item="cappuccino"] img')).toBeVisible();
  const broken = await page.locator('img').evaluateAll((images) => images.filter((img) => (img as { complete: boolean; naturalWidth: number }).complete && (img as { naturalWidth: number }).naturalWidth === 0).length);
  expect(broken).toBe(0);

  expect((await admin(demo, 'POST', `/api/stores/${storeId}/menu/rollback`)).status).toBe(200);
});
