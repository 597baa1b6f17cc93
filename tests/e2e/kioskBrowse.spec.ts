// A customer looking through the kiosk's menu: categories and their kinds, search with an
// on-screen keyboard that ignores accents, allergen and diet filters, an item's page and choices
// priced by the shared rule, a suggestion offered once, and an item selling out under their eyes;
// accessible (axe) and looked at in portrait and landscape, in English and Arabic.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { createAdmin } from '../../sync-server/admin/adminAccounts';
import { loadDemoMenuDocument } from '../../sync-server/seed/seedDemo';
import { call } from '../support/adminClient';
import { expectAccessible } from './adminPages';
import { expect, test } from './fixtures';
import { kioskMenuVersion } from './kioskSteps';

test.describe.configure({ mode: 'serial' });

const SHOTS = new URL('../../.scratch/browse/', import.meta.url).pathname;
const SIZES = {
  portrait: { width: 1080, height: 1920 },
  landscape: { width: 1920, height: 1080 },
  'small-portrait': { width: 800, height: 1280 },
  'small-landscape': { width: 1280, height: 800 },
} as const;

let token = '';
let storeId = '';
type Demo = { server: { url: string; demoStoreId?: string | null }; screens: Array<{ role: string; dataDir: string }>; screen(role: string): string };
const admin = <T = unknown>(demo: Demo, method: string, path: string, body?: unknown) => call<T>(demo.server.url, method, path, body, token);


// The demo café's menu, with what this test needs and the demo lacks: iced coffees as a kind of
// coffee, and a crème brûlée whose size must be chosen (no default), offered with an espresso.
test.beforeAll(async ({ demo }) => {
  const email = `browse-${Date.now()}@example.com`;
  await createAdmin(demo.server.db, { email, name: 'Owner', password: 'e2e owner password', role: 'owner' });
  token = (await call<{ token: string }>(demo.server.url, 'POST', '/api/sessions', { email, password: 'e2e owner password' })).body.token;
  storeId = demo.server.demoStoreId!;

  const menu = await loadDemoMenuDocument();
  menu.name = 'Café menu — browsing';
  menu.categories.push({ id: 'iced-coffee', name: { en: 'Iced', nl: 'IJskoffie', ar: 'مثلّجة' }, parentId: 'coffee', daypartIds: [] });
  for (const id of ['iced-latte', 'cold-brew']) menu.items.find((i) => i.id === id)!.categoryId = 'iced-coffee';
  menu.modifierGroups.push({
    id: 'brulee-size',
    name: { en: 'Size', nl: 'Formaat', ar: 'الحجم' },
    minChoices: 1,
    maxChoices: 1,
    options: [
      { id: 'brulee-small', name: { en: 'Small', nl: 'Klein', ar: 'صغير' }, priceDeltaCents: 0, allergens: [] },
      { id: 'brulee-large', name: { en: 'Large', nl: 'Groot', ar: 'كبير' }, priceDeltaCents: 150, allergens: ['nuts'] },
    ],
  });
  menu.items.push({
    id: 'creme-brulee',
    categoryId: 'bakery',
    name: { en: 'Crème brûlée', nl: 'Crème brûlée', ar: 'كريم بروليه' },
    description: { en: 'Vanilla custard under a crust of burnt sugar.', ar: 'كاسترد الفانيليا تحت طبقة من السكر المحروق.' },
    priceCents: 550,
    storePrices: {},
    image: 'menu/apple-pie.svg',
    modifierGroupIds: ['brulee-size'],
    allergens: ['milk', 'eggs'],
    dietTags: ['vegetarian', 'gluten-free'],
    energy: { kcal: 340, kj: 1423 },
    nutrition: { fatG: 24, saturatesG: 14.5, carbohydrateG: 27, sugarsG: 25, proteinG: 5.2, saltG: 0.1 },
    upsellItemIds: ['espresso'],
    daypartIds: [],
  });
  const created = await admin<{ id: string }>(demo, 'POST', '/api/menus', menu);
  expect(created.status).toBe(201);
  expect((await admin(demo, 'POST', `/api/menus/${created.body.id}/publish`, { storeIds: [storeId] })).status).toBe(200);
  await expect.poll(() => kioskMenuVersion(demo)).toBe(created.body.id);
  await mkdir(SHOTS, { recursive: true });
});

test.afterAll(async ({ demo }) => {
  // The demo's own menu again, for the tests that follow.
  expect((await admin(demo, 'POST', `/api/stores/${storeId}/menu/rollback`)).status).toBe(200);
});

/** From the welcome screen to the menu, taking away; in Arabic when asked, through the header's language button. */
async function toMenu(page: Page, demo: Demo, language: 'en' | 'ar' = 'en') {
  await page.goto(demo.screen('kiosk'));
  await page.getByTestId('start').click();
  await page.locator('[data-service="takeaway"]').click();
  await expect(page.getByTestId('open-search')).toBeVisible();
  if (language !== 'en') {
    await page.getByTestId('language').click();
    await page.locator(`[data-language="${language}"]`).click();
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  }
}

/** The screen as it is at every kiosk size, nothing running off the side; back to portrait after. */
async function shoot(page: Page, name: string) {
  for (const [orientation, size] of Object.entries(SIZES)) {
    await page.setViewportSize(size);
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), `${name} fits ${orientation}`).toBe(true);
    await page.screenshot({ path: join(SHOTS, `${name}-${orientation}.png`) });
  }
  await page.setViewportSize(SIZES.portrait);
}

test('categories, their kinds, and an allergen filter that hides what a default choice brings', async ({ page, demo }) => {
  await page.setViewportSize(SIZES.portrait);
  await toMenu(page, demo);
  const rail = page.getByRole('navigation', { name: 'Menu categories' });
  await expect(rail.locator('[aria-current="true"]')).toHaveText('Coffee');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Coffee');

  // Coffee's iced kind: a heading of its own, and a chip that narrows to it.
  await expect(page.getByRole('heading', { name: /^Coffee\s*:\s*Iced$/ })).toBeVisible();
  await page.getByRole('group', { name: 'Kinds of Coffee' }).getByRole('button', { name: 'Iced' }).click();
  await expect(page.locator('.menu-screen [data-item]')).toHaveCount(2);
  await expect(page.locator('[data-item="iced-latte"]')).toBeVisible();
  await page.getByRole('button', { name: 'All', exact: true }).click();
  await expect(page.locator('[data-item="espresso"]')).toBeVisible();
  await shoot(page, 'menu-en');
  await expectAccessible(page);

  // Hide milk: the latte comes with whole milk and goes; the americano stays.
  await page.getByTestId('open-filters').click();
  const filters = page.getByRole('dialog', { name: 'Allergens and diets' });
  await filters.getByRole('button', { name: 'Milk', exact: true }).click();
  await expect(filters.getByRole('button', { name: 'Milk', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await shoot(page, 'filters-en');
  await expectAccessible(page);
  await filters.getByRole('button', { name: 'Show the menu' }).click();
  await expect(page.getByTestId('filter-count')).toContainText('1');
  await expect(page.locator('[data-item="latte"]')).toHaveCount(0);
  await expect(page.locator('[data-item="americano"]')).toBeVisible();
  // Vegan only, too: the cold brew is, the iced latte is not.
  await page.getByTestId('open-filters').click();
  await filters.getByRole('button', { name: 'Vegan' }).click();
  await filters.getByRole('button', { name: 'Show the menu' }).click();
  await expect(page.getByTestId('filter-count')).toContainText('2');
  await expect(page.locator('[data-item="cold-brew"]')).toBeVisible();
  await expect(page.locator('[data-item="iced-latte"]')).toHaveCount(0);
  // One tap clears them.
  await page.getByTestId('clear-filters').click();
  await expect(page.getByTestId('filter-count')).toHaveCount(0);
  await expect(page.locator('[data-item="latte"]')).toBeVisible();
});

test('search ignores accents and case, across categories, with the on-screen keyboard', async ({ page, demo }) => {
  await page.setViewportSize(SIZES.portrait);
  await toMenu(page, demo);
  await page.getByTestId('open-search').click();
  const search = page.getByRole('dialog', { name: 'Search the menu' });
  const keyboard = search.getByRole('group', { name: 'Keyboard' });
  for (const letter of 'creme') await keyboard.getByRole('button', { name: letter, exact: true }).click();
  await expect(search.getByTestId('search-field')).toHaveValue('creme');
  await expect(search.locator('[data-item]')).toHaveCount(1);
  await expect(search.locator('[data-item="creme-brulee"]')).toContainText('Crème brûlée');
  await shoot(page, 'search-en');
  await expectAccessible(page);

  // A keyboard plugged in types into the same field; "CAFFE" finds the Caffè Latte in Coffee.
  await search.getByRole('button', { name: 'Clear' }).click();
  await page.keyboard.type('CAFFE');
  await expect(search.locator('[data-item]')).toHaveCount(1);
  await expect(search.locator('[data-item="latte"]')).toBeVisible();
  await keyboard.getByRole('button', { name: 'Delete the last letter' }).click();
  await expect(search.getByTestId('search-field')).toHaveValue('CAFF');

  // Choosing a result opens its page.
  await search.locator('[data-item="latte"]').click();
  await expect(page.getByRole('dialog', { name: 'Caffè Latte' })).toBeVisible();
});

test("an item's page: nutrition and allergens, a required choice unmet then met, the price by the shared rule, one suggestion offered once", async ({ page, demo }) => {
  await page.setViewportSize(SIZES.portrait);
  await toMenu(page, demo);
  await page.locator('[data-category="bakery"]').click();
  // Hide nuts: the large crème brûlée's praline is marked.
  await page.getByTestId('open-filters').click();
  await page.getByRole('dialog', { name: 'Allergens and diets' }).getByRole('button', { name: 'Nuts', exact: true }).click();
  await page.getByRole('button', { name: 'Show the menu' }).click();

  await page.locator('[data-item="creme-brulee"]').click();
  const sheet = page.getByRole('dialog', { name: 'Crème brûlée' });
  await expect(sheet.getByTestId('energy')).toHaveText('340 kcal · 1,423 kJ');
  await expect(sheet.getByTestId('allergens')).toHaveText(/Eggs\s*Milk/);
  const nutrition = sheet.getByRole('table', { name: 'Nutrition per portion' });
  await expect(nutrition.getByRole('row', { name: /of which saturates/ })).toContainText('14.5 g');
  await expect(nutrition.getByRole('row', { name: /Salt/ })).toContainText('0.1 g');
  await expect(sheet.getByText('Vegetarian')).toBeVisible();

  // The size has no default: unmet, and nothing can be added until it is chosen.
  const size = sheet.locator('[data-group="brulee-size"]');
  await expect(size).toHaveAttribute('data-state', 'unmet');
  await expect(size).toContainText('Choose 1');
  await expect(sheet.getByTestId('still-to-choose')).toHaveText('Still to choose: Size');
  await expect(sheet.getByTestId('add-to-order')).toBeDisabled();
  await expect(sheet.locator('[data-option="brulee-large"]')).toContainText('Contains Nuts');
  await expect(sheet.locator('[data-option="brulee-small"] [data-testid="hidden-allergen"]')).toHaveCount(0);
  await shoot(page, 'item-en');
  await expectAccessible(page);

  await sheet.locator('[data-option="brulee-large"]').click();
  await expect(size).toHaveAttribute('data-state', 'met');
  await expect(size).toContainText('Done');
  await expect(sheet.getByTestId('still-to-choose')).toHaveCount(0);
  // 5.50 + 1.50 large, twice; and the large one's nuts are counted in what it contains.
  await expect(sheet.getByTestId('add-to-order')).toHaveText('Add to order · €7.00');
  await expect(sheet.getByTestId('allergens')).toHaveText(/Eggs\s*Milk\s*Nuts/);
  await sheet.getByRole('button', { name: 'One more' }).click();
  await expect(sheet.getByTestId('add-to-order')).toHaveText('Add to order · €14.00');
  await sheet.getByTestId('add-to-order').click();
  await expect(page.getByTestId('cart-total')).toHaveText('€14.00');

  // The espresso is offered with it; declined, it is not offered again this visit.
  const upsell = page.getByRole('dialog', { name: 'Would you like to add…' });
  await expect(upsell.locator('[data-offer="espresso"]')).toContainText('€2.60');
  await shoot(page, 'upsell-en');
  await expectAccessible(page);
  await upsell.getByTestId('no-thanks').click();
  await expect(upsell).toHaveCount(0);
  await page.locator('[data-item="creme-brulee"]').click();
  await sheet.locator('[data-option="brulee-small"]').click();
  await sheet.getByTestId('add-to-order').click();
  await expect(page.getByTestId('cart-total')).toHaveText('€19.50');
  await expect(page.getByTestId('upsell')).toHaveCount(0);
});

test('an item sells out while the customer looks: greyed at once and not addable', async ({ page, demo }) => {
  await page.setViewportSize(SIZES.landscape);
  await toMenu(page, demo);
  await page.locator('[data-category="bakery"]').click();
  const brownie = page.locator('[data-item="brownie"]');
  await expect(brownie).toBeEnabled();
  expect((await admin(demo, 'PUT', `/api/stores/${storeId}/items/brownie/availability`, { available: false })).status).toBe(200);
  await expect(brownie).toBeDisabled({ timeout: 2000 });
  await expect(brownie).toContainText('Sold out');
  // A tap opens nothing; the keypad and a screen reader still reach it and hear "sold out".
  await brownie.click({ force: true });
  await expect(page.getByTestId('add-to-order')).toHaveCount(0);
  await brownie.focus();
  await expect(brownie).toBeFocused();
  await page.screenshot({ path: join(SHOTS, 'sold-out-en-landscape.png') });
  // In search too.
  await page.getByTestId('open-search').click();
  await page.keyboard.type('brownie');
  await expect(page.getByRole('dialog', { name: 'Search the menu' }).locator('[data-item="brownie"]')).toBeDisabled();
  expect((await admin(demo, 'PUT', `/api/stores/${storeId}/items/brownie/availability`, { available: true })).status).toBe(200);
  await expect(page.getByRole('dialog', { name: 'Search the menu' }).locator('[data-item="brownie"]')).toBeEnabled({ timeout: 2000 });
});

test('in Arabic: right to left, Arabic letters on the keyboard, search without vowel marks, and accessible', async ({ page, demo }) => {
  await page.setViewportSize(SIZES.portrait);
  await toMenu(page, demo, 'ar');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('القهوة');
  await expect(page.getByRole('heading', { name: /^القهوة\s*:\s*مثلّجة$/ })).toBeVisible();
  await shoot(page, 'menu-ar');
  await expectAccessible(page);

  await page.getByTestId('open-filters').click();
  await expect(page.getByRole('dialog', { name: 'مسببات الحساسية والأنظمة الغذائية' }).getByRole('button', { name: 'الحليب' })).toBeVisible();
  await shoot(page, 'filters-ar');
  await page.getByRole('button', { name: 'إغلاق' }).click();

  await page.getByTestId('open-search').click();
  const search = page.getByRole('dialog', { name: 'ابحث في القائمة' });
  const keyboard = search.getByRole('group', { name: 'لوحة المفاتيح' });
  await expect(keyboard.getByRole('button', { name: 'ض', exact: true })).toBeVisible();
  // "برولية", typed with a taa marbuta, finds "كريم بروليه", written with a haa.
  for (const letter of 'برولية') await keyboard.getByRole('button', { name: letter, exact: true }).click();
  await expect(search.locator('[data-item="creme-brulee"]')).toContainText('كريم بروليه');
  await shoot(page, 'search-ar');
  await expectAccessible(page);

  await search.locator('[data-item="creme-brulee"]').click();
  const sheet = page.getByRole('dialog', { name: 'كريم بروليه' });
  await expect(sheet.getByRole('table', { name: 'القيم الغذائية للحصة' })).toBeVisible();
  await expect(sheet.getByTestId('allergens')).toContainText('الحليب');
  await shoot(page, 'item-ar');
  await expectAccessible(page);
});
