// A café kitchen split into stations, as head office sets it up and the cooks use it: three more
// displays paired with the demo store (the bar, the kitchen, expo), set from the admin API to their
// stations. A customer orders a latte and croissants at the kiosk; the latte shows on the bar's
// screen only, the croissants on the kitchen's, both on expo with each station's progress; each
// station bumps its part item by item, expo sends the order out, and the board shows it ready.
import { expect as expectValue } from '@playwright/test';
import type { Page } from '@playwright/test';
import { createAdmin } from '../../sync-server/admin/adminAccounts';
import { call } from '../support/adminClient';
import { expectAccessible } from './adminPages';
import { expect, test, type Demo } from './fixtures';
import { addItem, payAtCounter, review, startOrder } from './kioskSteps';
import { pageTo } from './kitchenSteps';

test.describe.configure({ mode: 'serial' });

const LANDSCAPE = { width: 1920, height: 1080 };
let token = '';

test.beforeAll(async ({ demo }) => {
  const email = `stations-${Date.now()}@example.com`;
  await createAdmin(demo.server.db, { email, name: 'Owner', password: 'e2e owner password', role: 'owner' });
  token = (await call<{ token: string }>(demo.server.url, 'POST', '/api/sessions', { email, password: 'e2e owner password' })).body.token;
});

/** A station's display: a new screen paired with the store, then set from head office. */
async function stationScreen(demo: Demo, name: string, kitchen: { stations: string[]; expo: boolean }): Promise<string> {
  const screen = await demo.addScreen('kitchen', name);
  const storeId = demo.server.demoStoreId!;
  const devices = await call<{ devices: Array<{ id: string; name: string }> }>(demo.server.url, 'GET', `/api/stores/${storeId}/devices`, undefined, token);
  const device = devices.body.devices.find((d) => d.name === name)!;
  const set = await call(demo.server.url, 'PATCH', `/api/devices/${device.id}`, kitchen, token);
  expectValue(set.status).toBe(200);
  return screen.url;
}

const ticket = (page: Page, number: string) => page.locator(`[data-testid="ticket"][data-order="${number}"]`);

test('an order with bar and kitchen items is made station by station, sent out by expo and shown ready on the board', async ({ page, browser, demo }) => {
  // Three more terminals start, each a process of its own, as on three more machines.
  test.setTimeout(240_000);
  // Head office refuses a station the menu does not have, and says which.
  const storeId = demo.server.demoStoreId!;
  const devices = await call<{ devices: Array<{ id: string; role: string }> }>(demo.server.url, 'GET', `/api/stores/${storeId}/devices`, undefined, token);
  const kitchenDevice = devices.body.devices.find((d) => d.role === 'kitchen')!;
  const refused = await call<{ error: { code: string; message: string } }>(demo.server.url, 'PATCH', `/api/devices/${kitchenDevice.id}`, { stations: ['grill'], expo: false }, token);
  expectValue(refused.status).toBe(400);
  expectValue(refused.body.error.code).toBe('UNKNOWN_STATION');
  expectValue(refused.body.error.message).toContain('grill');

  const [barUrl, kitchenUrl, expoUrl] = [
    await stationScreen(demo, 'Bar', { stations: ['bar'], expo: false }),
    await stationScreen(demo, 'Kitchen', { stations: ['kitchen'], expo: false }),
    await stationScreen(demo, 'Expo', { stations: [], expo: true }),
  ];
  const open = async (url: string) => {
    const screen = await (await browser.newContext({ viewport: LANDSCAPE })).newPage();
    await screen.goto(url);
    return screen;
  };
  const [bar, kitchen, expo, board] = [await open(barUrl), await open(kitchenUrl), await open(expoUrl), await open(demo.screen('board'))];
  await expect(bar.getByTestId('screen-name')).toContainText('Bar');
  await expect(expo.getByTestId('screen-name')).toContainText('Expo');

  // The customer: a latte (made at the bar) and two croissants (made in the kitchen).
  await page.goto(demo.screen('kiosk'));
  await startOrder(page, 'eat-in');
  await addItem(page, 'latte', { category: 'coffee' });
  await addItem(page, 'croissant', { category: 'breakfast', quantity: 2 });
  await review(page);
  const number = await payAtCounter(page);

  // Each station sees its own part; expo sees it all, with each station's progress.
  await expect(ticket(bar, number).getByTestId('line')).toHaveCount(1);
  await expect(ticket(bar, number).getByTestId('line')).toContainText('Caffè Latte');
  await expect(ticket(kitchen, number).getByTestId('line')).toHaveCount(1);
  await expect(ticket(kitchen, number).getByTestId('line')).toContainText('Butter Croissant');
  await expect(ticket(expo, number).getByTestId('line')).toHaveCount(2);
  await expect(ticket(expo, number).getByTestId('station-state')).toHaveCount(2);
  await expect(ticket(expo, number).locator('[data-testid="station-state"][data-done="true"]')).toHaveCount(0);
  for (const [screen, name] of [
    [bar, 'bar'],
    [kitchen, 'kitchen'],
    [expo, 'expo'],
  ] as const) {
    await screen.screenshot({ path: test.info().outputPath(`station-${name}.png`) });
    await expectAccessible(screen);
  }

  // Item by item: the bar makes the latte, the kitchen the croissants.
  await pageTo(bar, ticket(bar, number));
  await ticket(bar, number).locator('[data-line="1"]').click();
  await expect(ticket(bar, number)).toHaveCount(0); // its part done, it leaves the bar's main view
  await expect(ticket(expo, number).locator('[data-testid="station-state"][data-done="true"]')).toHaveCount(1);
  await pageTo(kitchen, ticket(kitchen, number));
  await ticket(kitchen, number).getByTestId('line').click();
  await expect(ticket(kitchen, number)).toHaveCount(0);
  await expect(ticket(expo, number).locator('[data-testid="station-state"][data-done="true"]')).toHaveCount(2);
  // Expo sends it out; the board shows the number ready.
  await expect(board.getByText(number)).toBeVisible();
  await pageTo(expo, ticket(expo, number));
  await ticket(expo, number).getByTestId('bump').click();
  await expect(ticket(expo, number)).toHaveCount(0);
  await expect(board.locator('[data-testid="ready"]').getByText(number)).toBeVisible({ timeout: 10_000 });
  await board.screenshot({ path: test.info().outputPath('board-ready.png') });
  for (const screen of [bar, kitchen, expo, board]) await screen.close();
});
