// Head office's menu work from start to finish, as its menu team does it in the admin app: a new
// item with a photo, an Arabic name, allergens and calories; a spreadsheet with mistakes, every one
// listed by row, then fixed; published to one store of two after a look at what changes; a kiosk
// of that store showing the item with its photo; rolled back, and the item gone again.
import sharp from 'sharp';
import { DEMO_OWNER } from '../../electron/demoStack';
import { call } from '../support/adminClient';
import { expectAccessible, inBothOrientations } from './adminPages';
import { expect, test } from './fixtures';
import { startOrder } from './kioskSteps';

/** An <img> as the page sees it (the tests' TypeScript has no DOM types). */
type Img = { complete: boolean; naturalWidth: number };

test('a menu team adds an item with a photo and translations, imports a spreadsheet, publishes to one store and rolls back', async ({ page, demo }, testInfo) => {
  test.setTimeout(120_000);
  const admin = `${demo.server.url}/admin`;
  const storeId = demo.server.demoStoreId!;
  // A second store that must not get the new menu.
  const owner = (await call<{ token: string }>(demo.server.url, 'POST', '/api/sessions', DEMO_OWNER)).body.token;
  const airport = await call<{ id: string }>(demo.server.url, 'POST', '/api/stores', { name: 'Schiphol Airport', timeZone: 'Europe/Amsterdam', currency: 'EUR', taxRateBp: 900, pricesIncludeTax: true }, owner);
  expect(airport.status).toBe(201);

  await page.goto(`${admin}/sign-in`);
  await page.getByLabel('Email').fill(DEMO_OWNER.email);
  await page.getByLabel('Password').fill(DEMO_OWNER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Menus' }).click();
  await page.getByTestId('new-draft').click();
  await page.getByLabel('Name', { exact: true }).fill('Spring menu');
  await page.getByTestId('create-draft').click();
  await expect(page.getByRole('heading', { name: 'Spring menu' })).toBeVisible();

  // A new item in Bakery: its id comes from the name asked first.
  await page.locator('[data-category="bakery"]').click();
  await page.getByTestId('add-item').click();
  await page.getByLabel('Name in English').fill('Cinnamon Roll');
  await page.getByTestId('confirm-name').click();
  await expect(page.locator('#item-cinnamon-roll-id')).toHaveValue('cinnamon-roll');
  // Translations side by side, the missing ones marked.
  await expect(page.locator('[data-missing="ar"]').first()).toBeVisible();
  await page.locator('#item-cinnamon-roll-name-ar').fill('لفافة القرفة');
  await expect(page.locator('#item-cinnamon-roll-name-ar')).toHaveAttribute('dir', 'rtl');
  await page.locator('#item-cinnamon-roll-description-en').fill('Soft, swirled and glazed.');

  // A mistake is named at its field and in the list, as it is typed.
  await page.getByTestId('item-price').fill('-3');
  await page.getByTestId('item-price').blur();
  await expect(page.getByTestId('problems')).toContainText('Cinnamon Roll · price: must not be negative');
  await expect(page.getByTestId('price-problem')).toHaveText('must not be negative');
  await expect(page.getByTestId('review-publish')).toBeDisabled();
  await page.getByTestId('item-price').fill('3.20');
  await page.getByTestId('item-price').blur();
  await expect(page.getByTestId('problem-count')).toHaveText('0');

  const photo = await sharp({ create: { width: 1200, height: 900, channels: 3, background: { r: 196, g: 128, b: 64 } } })
    .composite([{ input: { create: { width: 1200, height: 200, channels: 3, background: { r: 250, g: 236, b: 210 } } }, top: 350, left: 0 }])
    .jpeg()
    .toBuffer();
  await page.getByTestId('picture-upload').setInputFiles({ name: 'cinnamon-roll.jpg', mimeType: 'image/jpeg', buffer: photo });
  const preview = page.locator('.picture img');
  await expect.poll(() => preview.evaluate((img) => (img as unknown as Img).naturalWidth)).toBe(640);
  await page.locator('[data-allergen="gluten"]').check();
  await page.locator('[data-allergen="milk"]').check();
  await page.locator('[data-allergen="eggs"]').check();
  await page.getByTestId('item-kcal').fill('320');
  await page.getByTestId('item-kcal').blur();
  await expect(page.locator('#item-cinnamon-roll-kj')).toHaveValue('1339');
  await expect(page.getByTestId('save-state')).toHaveText('All changes saved');
  await expectAccessible(page);
  await inBothOrientations(page, testInfo, 'menu-editor');

  // A spreadsheet with a mistake in each of three rows: all three listed, nothing changed.
  await page.getByTestId('open-csv').click();
  const header = 'id,category,name:en,name:ar,price,kcal,kJ,allergens\r\n';
  const withMistakes = `${header},bakery,Apple Turnover,,2.9O,,,gluten\r\n,pastries,Pear Tart,,2.50,,,\r\n,bakery,Almond Croissant,كرواسون باللوز,2.80,400,100,nuts|cheese\r\n`;
  await page.getByTestId('csv-file').setInputFiles({ name: 'spring.csv', mimeType: 'text/csv', buffer: Buffer.from(withMistakes) });
  const problems = page.getByTestId('csv-problems').locator('tbody tr');
  await expect(problems).toHaveCount(4);
  await expect(problems.nth(0)).toContainText('2');
  await expect(problems.nth(0)).toContainText('Apple Turnover');
  await expect(problems.nth(1)).toContainText('Pear Tart');
  await expect(problems.nth(1)).toContainText('no category "pastries"');
  await expect(page.getByTestId('csv-problems')).toContainText('Almond Croissant');
  await expect(page.getByTestId('csv-problems')).toContainText('"cheese"');
  await expect(page.getByTestId('csv-apply')).toBeDisabled();
  await expectAccessible(page);
  await page.screenshot({ path: testInfo.outputPath('csv-problems.png') });
  // Fixed and chosen again: applied to the draft.
  const fixed = `${header},bakery,Apple Turnover,,2.90,,,gluten\r\n,bakery,Pear Tart,,2.50,,,\r\n,bakery,Almond Croissant,كرواسون باللوز,2.80,400,1674,nuts|gluten\r\n`;
  await page.getByTestId('csv-file').setInputFiles({ name: 'spring.csv', mimeType: 'text/csv', buffer: Buffer.from(fixed) });
  await expect(page.getByTestId('csv-summary')).toContainText('3 to add');
  await page.getByTestId('csv-apply').click();
  await expect(page.locator('[data-item="almond-croissant"]')).toBeVisible();
  await expect(page.getByTestId('save-state')).toHaveText('All changes saved');

  // Review: what changes in each store; publish to the café only.
  await page.getByTestId('review-publish').click();
  const cafe = page.locator('.store[data-store="Tillsync Café Amsterdam"]');
  await expect(cafe).toContainText('4 added: Cinnamon Roll, Apple Turnover, Pear Tart, Almond Croissant');
  await expectAccessible(page);
  await cafe.getByRole('checkbox').check();
  await page.getByTestId('confirm-publish').click();
  await expect(page.getByText('Published to 1 store(s).')).toBeVisible();
  const stores = (await call<{ stores: Array<{ id: string; menuVersionId: string | null }> }>(demo.server.url, 'GET', '/api/stores', undefined, owner)).body.stores;
  expect(stores.find((s) => s.id === airport.body.id)!.menuVersionId).toBeNull();
  const published = stores.find((s) => s.id === storeId)!.menuVersionId!;
  const version = await call<{ document: { items: Array<{ id: string; name: Record<string, string>; allergens: string[]; energy?: { kcal: number } }> } }>(
    demo.server.url,
    'GET',
    `/api/menus/${published}`,
    undefined,
    owner,
  );
  expect(version.body.document.items.find((item) => item.id === 'cinnamon-roll')).toMatchObject({ name: { en: 'Cinnamon Roll', ar: 'لفافة القرفة' }, allergens: ['gluten', 'milk', 'eggs'], energy: { kcal: 320 } });

  // The café's kiosk (its own web host) shows the new item with its photo, from its own copy.
  const kiosk = await page.context().newPage();
  await kiosk.goto(demo.screen('kiosk'));
  await startOrder(kiosk);
  await kiosk.locator('[data-category="bakery"]').click();
  const card = kiosk.locator('[data-item="cinnamon-roll"]');
  await expect(card).toBeVisible({ timeout: 20_000 });
  const picture = card.locator('img');
  await picture.scrollIntoViewIfNeeded();
  await expect.poll(() => picture.evaluate((img) => (img as unknown as Img).naturalWidth)).toBe(640);
  await kiosk.screenshot({ path: testInfo.outputPath('kiosk-new-item.png') });

  // Rolled back from the admin app: the next customer sees the menu without it.
  await page.getByRole('link', { name: 'Menus' }).click();
  await page.locator(`[data-rollback="Tillsync Café Amsterdam"]`).click();
  await page.getByRole('button', { name: 'Roll back' }).last().click();
  await expect(page.getByText(/^Rolled back/)).toBeVisible();
  await kiosk.goto(demo.screen('kiosk'));
  await startOrder(kiosk);
  await kiosk.locator('[data-category="bakery"]').click();
  await expect(kiosk.locator('[data-item="brownie"]')).toBeVisible();
  await expect(kiosk.locator('[data-item="cinnamon-roll"]')).toHaveCount(0, { timeout: 20_000 });
  await kiosk.close();
});
