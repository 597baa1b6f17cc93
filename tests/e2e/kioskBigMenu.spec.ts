// A chain's 1,000-item menu on the kiosk, without pictures as a new chain's would be: a category
// answers a tap with the cards that fill the screen and draws the rest after it, every card in the
// menu's order and every one of them there to tap; search shows the best matches and more on asking.
import type { Locator, Page } from '@playwright/test';
import { localClock, onSale } from '#protocol/dayparts';
import { createAdmin } from '../../sync-server/admin/adminAccounts';
import { DEMO_STORE } from '../../sync-server/seed/seedDemo';
import { indexMenuForSearch } from '../../renderer/src/views/kiosk/browse/menuSearch';
import { call } from '../support/adminClient';
import { bigMenu } from '../support/bigMenu';
import { expectAccessible } from './adminPages';
import { expect, test } from './fixtures';
import { kioskMenuVersion } from './kioskSteps';

test.describe.configure({ mode: 'serial' });

const { menu } = bigMenu(1000);
for (const item of menu.items) delete item.image;
let token = '';
let storeId = '';
type Demo = { server: { url: string; demoStoreId?: string | null }; screens: Array<{ role: string; dataDir: string }>; screen(role: string): string };
const admin = <T = unknown>(demo: Demo, method: string, path: string, body?: unknown) => call<T>(demo.server.url, method, path, body, token);


test.beforeAll(async ({ demo }) => {
  const email = `big-menu-${Date.now()}@example.com`;
  await createAdmin(demo.server.db, { email, name: 'Owner', password: 'e2e owner password', role: 'owner' });
  token = (await call<{ token: string }>(demo.server.url, 'POST', '/api/sessions', { email, password: 'e2e owner password' })).body.token;
  storeId = demo.server.demoStoreId!;
  const created = await admin<{ id: string }>(demo, 'POST', '/api/menus', menu);
  expect(created.status).toBe(201);
  expect((await admin(demo, 'POST', `/api/menus/${created.body.id}/publish`, { storeIds: [storeId] })).status).toBe(200);
  await expect.poll(() => kioskMenuVersion(demo)).toBe(created.body.id);
});

test.afterAll(async ({ demo }) => {
  // The demo's own menu again, for the tests that follow.
  expect((await admin(demo, 'POST', `/api/stores/${storeId}/menu/rollback`)).status).toBe(200);
});

async function toMenu(page: Page, demo: Demo) {
  await page.setViewportSize({ width: 1080, height: 1920 });
  await page.goto(demo.screen('kiosk'));
  await page.getByTestId('start').click();
  await page.locator('[data-service="takeaway"]').click();
  await expect(page.getByTestId('open-search')).toBeVisible();
}

/** A category's cards in the order the screen shows them: its own items, then its subcategory's. */
const shelvesOf = (categoryId: string) =>
  [categoryId, ...menu.categories.filter((c) => c.parentId === categoryId).map((c) => c.id)].flatMap((kind) => menu.items.filter((i) => i.categoryId === kind).map((i) => i.id));

test('a category answers with the screenful it fills, then every card in order, each one there to tap', async ({ page, demo }) => {
  await toMenu(page, demo);
  const desserts = shelvesOf('desserts');
  // In the frame after the tap: the cards from the top of the shelves down past their visible
  // bottom, in the menu's order, and not yet all of them.
  // (Page script as text: this file is compiled for Node, without the DOM's types.)
  const first = await page.evaluate<{ ids: string[]; lastTop: number; bottom: number }>(`(async () => {
    document.querySelector('[data-category="desserts"]').click();
    await new Promise((resolve) => requestAnimationFrame(resolve));
    const shelves = document.querySelector('.shelves');
    const cards = [...shelves.querySelectorAll('[data-item]')];
    return { ids: cards.map((card) => card.dataset.item), lastTop: cards.at(-1).getBoundingClientRect().top, bottom: shelves.getBoundingClientRect().bottom };
  })()`);
  expect(first.ids).toEqual(desserts.slice(0, first.ids.length));
  expect(first.ids.length).toBeLessThan(desserts.length);
  expect(first.lastTop).toBeGreaterThanOrEqual(first.bottom);

  // Then all of them, the ice creams under their own heading.
  const cards = page.locator('.shelves [data-item]');
  await expect(cards).toHaveCount(desserts.length);
  expect(await cards.evaluateAll((all) => all.map((card) => card.getAttribute('data-item')))).toEqual(desserts);
  await expect(page.getByRole('heading', { name: /^Desserts\s*:\s*Ice cream$/ })).toBeVisible();
  await expectAccessible(page);

  // The last one, far down, opens when tapped.
  const last = menu.items.find((item) => item.id === desserts.at(-1))!;
  await page.locator(`[data-item="${last.id}"]`).click();
  await expect(page.getByRole('dialog', { name: last.name.en })).toBeVisible();
});

test('search shows the best matches first, says there are more, and shows more on asking', async ({ page, demo }) => {
  await toMenu(page, demo);
  // What the kiosk's matcher finds, of what is on sale at the store's hour (breakfast is in the morning only).
  const index = indexMenuForSearch({ versionId: 'big', defaultLocale: menu.defaultLocale, items: menu.items }, 'en');
  const found = (query: string) => {
    const clock = localClock(new Date(), DEMO_STORE.timeZone);
    return index.find(query).filter((id) => onSale(menu.items.find((item) => item.id === id)!, menu, clock));
  };
  const ids = (locator: Locator) => locator.evaluateAll((all) => all.map((result) => result.getAttribute('data-item')!));

  await page.getByTestId('open-search').click();
  const search = page.getByRole('dialog', { name: 'Search the menu' });
  const results = search.locator('[data-item]');
  await search.getByRole('group', { name: 'Keyboard' }).getByRole('button', { name: 'b', exact: true }).click();
  await expect(results).toHaveCount(30);
  const best = found('b');
  expect(best.length).toBeGreaterThan(60);
  expect(await ids(results)).toEqual(best.slice(0, 30));
  await expect(search.getByRole('status')).toContainText(`Found: ${best.length} · Best matches first: type more to narrow them down.`);

  await search.getByRole('button', { name: 'Show 30 more' }).click();
  await expect(results).toHaveCount(60);
  expect(await ids(results)).toEqual(best.slice(0, 60));
  await expectAccessible(page);

  // Another letter starts from the best again; a query with few matches shows them all, no more to ask for.
  await search.getByRole('group', { name: 'Keyboard' }).getByRole('button', { name: 'u', exact: true }).click();
  await expect(results).toHaveCount(30);
  await search.getByTestId('search-field').fill('crème brûlée kids');
  const few = found('crème brûlée kids');
  expect(few.length).toBeGreaterThan(0);
  expect(few.length).toBeLessThan(30);
  await expect(results).toHaveCount(few.length);
  expect(await ids(results)).toEqual(few);
  await expect(search.getByTestId('more-results')).toHaveCount(0);
  await expect(search.getByRole('status')).not.toContainText('Best matches first');
});
