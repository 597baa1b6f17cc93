// A store in the admin app, as an owner uses it: the sold-out board (search, a switch per item,
// "sold out since 14:05 by Ann", live when someone else toggles), and the store's settings, with
// each mistake named at its field, a currency its menu is not priced in refused, and a change
// saved. Looked at in landscape and portrait. It works on a store of its own, so the demo café
// stays as the other tests expect it.
import { copyFile } from 'node:fs/promises';
import { DEMO_OWNER } from '../../electron/demoStack';
import { DEMO_STORE } from '../../sync-server/seed/seedDemo';
import { call } from '../support/adminClient';
import { expectAccessible, inBothOrientations } from './adminPages';
import { expect, test } from './fixtures';

/** A time as the browser's locale writes it: 14:05, or 2:05 PM. */
const TIME = String.raw`\d{1,2}:\d{2}(\s?[AP]M)?`;

interface Store {
  id: string;
  name: string;
  address: string;
  taxRateBp: number;
  pricesIncludeTax: boolean;
  currency: string;
  menuVersionId: string | null;
}

test('an owner edits a store and marks items sold out, and sees who did what and when, live', async ({ page, demo }, testInfo) => {
  const base = demo.server.url;
  const signIn = async (email: string, password: string) => (await call<{ token: string }>(base, 'POST', '/api/sessions', { email, password })).body.token;
  const owner = await signIn(DEMO_OWNER.email, DEMO_OWNER.password);
  const { stores } = (await call<{ stores: Store[] }>(base, 'GET', '/api/stores', undefined, owner)).body;
  // The demo café's menu, which every test leaves as it found it.
  const cafe = stores.find((s) => s.name === DEMO_STORE.name)!;
  const created = await call<Store>(base, 'POST', '/api/stores', { name: 'Tillsync Café Utrecht', timeZone: 'Europe/Amsterdam', currency: 'EUR', taxRateBp: 900, pricesIncludeTax: true }, owner);
  expect(created.status).toBe(201);
  const store = created.body;
  expect((await call(base, 'POST', `/api/menus/${cafe.menuVersionId}/publish`, { storeIds: [store.id] }, owner)).status).toBe(200);
  // Ann runs the store; she marks things sold out from her own screen.
  const ann = { email: `ann-${Date.now()}@example.com`, password: 'ann runs the Utrecht café' };
  expect((await call(base, 'POST', '/api/admins', { ...ann, name: 'Ann', role: 'manager', storeIds: [store.id] }, owner)).status).toBe(201);
  const annToken = await signIn(ann.email, ann.password);

  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${base}/admin/stores/${store.id}`);
  await page.getByLabel('Email').fill(DEMO_OWNER.email);
  await page.getByLabel('Password').fill(DEMO_OWNER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: store.name })).toBeVisible();

  // The board: every item, by category; a search finds one; its switch marks it sold out.
  const board = page.getByTestId('sold-out-board');
  await expect(board.getByRole('region', { name: 'Bakery' })).toBeVisible();
  await expect(board.getByTestId('sold-out-count')).toHaveText('Nothing sold out');
  await board.getByLabel('Find an item').fill('caffe');
  await expect(board.locator('[data-item]')).toHaveText([/Caffè Latte/]);
  await board.getByLabel('Find an item').fill('croiss');
  await expect(board.locator('[data-item]')).toHaveCount(1);
  const croissant = board.getByRole('switch', { name: 'Butter Croissant on sale' });
  await expect(croissant).toHaveAttribute('aria-checked', 'true');
  await croissant.click();
  await expect(croissant).toHaveAttribute('aria-checked', 'false');
  await expect(board.locator('[data-item="croissant"]')).toContainText(new RegExp(`Sold out since ${TIME} by Owner`));
  await board.getByLabel('Find an item').fill('');

  // Ann marks the brownie sold out elsewhere: the board shows it without a reload, and who did.
  expect((await call(base, 'PUT', `/api/stores/${store.id}/items/brownie/availability`, { available: false }, annToken)).status).toBe(200);
  await expect(board.locator('[data-item="brownie"]')).toContainText(new RegExp(`Sold out since ${TIME} by Ann`));
  await expect(board.getByTestId('sold-out-count')).toHaveText('2 sold out');
  // And puts the croissant back.
  expect((await call(base, 'PUT', `/api/stores/${store.id}/items/croissant/availability`, { available: true }, annToken)).status).toBe(200);
  await expect(board.locator('[data-item="croissant"]')).toContainText(new RegExp(`Back on sale since ${TIME} by Ann`));
  await expect(croissant).toHaveAttribute('aria-checked', 'true');

  // Settings: every mistake is named at its field, and nothing is saved.
  const settings = page.getByTestId('store-settings');
  await settings.getByLabel('Name').fill('  ');
  await settings.getByLabel('Tax rate (%)').fill('150');
  await settings.getByLabel('Time zone').fill('Europe/Utrecht');
  await page.getByTestId('save-store').click();
  await expect(settings.locator('#settings-name-problem')).toHaveText('a name is needed');
  await expect(settings.locator('#settings-tax-problem')).toHaveText(/from 0 to 100 %/);
  await expect(settings.locator('#settings-zone-problem')).toHaveText('an IANA time zone such as Europe/Amsterdam');
  await expect(settings.getByLabel('Name')).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page);
  const unchanged = (await call<{ stores: Store[] }>(base, 'GET', '/api/stores', undefined, owner)).body.stores.find((s) => s.id === store.id)!;
  expect(unchanged).toMatchObject({ name: store.name, taxRateBp: 900 });

  // A currency the store's menu is not priced in is refused, at the currency.
  await settings.getByLabel('Name').fill(store.name);
  await settings.getByLabel('Tax rate (%)').fill('9');
  await settings.getByLabel('Time zone').fill('Europe/Amsterdam');
  await settings.getByLabel('Currency').fill('GBP');
  await page.getByTestId('save-store').click();
  await expect(settings.locator('#settings-currency-problem')).toContainText('priced in EUR');

  // Then a change that is right: saved, and the page says so.
  await settings.getByLabel('Currency').fill('EUR');
  await settings.getByLabel('Address').fill('Oudegracht 158, 3511 AZ Utrecht');
  await settings.getByLabel('Tax rate (%)').fill('21');
  await settings.getByLabel('Menu prices include tax').uncheck();
  await page.getByTestId('save-store').click();
  await expect(settings.getByRole('status')).toContainText('Saved.');
  await expect(page.getByTestId('store-summary')).toContainText('Oudegracht 158, 3511 AZ Utrecht');
  await expect(page.getByTestId('store-summary')).toContainText('21 % added to the prices');
  const changed = (await call<{ stores: Store[] }>(base, 'GET', '/api/stores', undefined, owner)).body.stores.find((s) => s.id === store.id)!;
  expect(changed).toMatchObject({ address: 'Oudegracht 158, 3511 AZ Utrecht', taxRateBp: 2100, pricesIncludeTax: false, currency: 'EUR' });
  await expectAccessible(page);

  // Looked at whole, then as the README shows it: the board searched for the chocolate things.
  await inBothOrientations(page, testInfo, 'store');
  await board.getByLabel('Find an item').fill('choc');
  await expect(board.locator('[data-item]')).toHaveText([/Hot Chocolate/, /Chocolate Chip Cookie/, /Chocolate Brownie.*by Ann/]);
  const shots = await inBothOrientations(page, testInfo, 'store-searched');
  // TILLSYNC_README_SCREENSHOTS=1 refreshes the README's picture of this page.
  if (process.env.TILLSYNC_README_SCREENSHOTS === '1') await copyFile(shots.landscape, new URL('../../renderer/admin/screenshots/store.png', import.meta.url));
});
