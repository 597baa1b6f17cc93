// Head office sets how a store's kitchen and order-ready board work — when an order is ready, the
// amber and late times, the sounds, the board's chime and clearing time, the bump bar's keys,
// pressed rather than typed — and which stations each kitchen display makes, or that it is expo.
// A late time before the amber one and a key two actions would share are said at once. Checked
// with axe and looked at in landscape and portrait. It works on a store of its own, so the demo
// café stays as the other tests expect it.
import { copyFile } from 'node:fs/promises';
import { DEMO_OWNER } from '../../electron/demoStack';
import { DEFAULT_KITCHEN_SETTINGS } from '#protocol/events';
import { DEMO_STORE } from '../../sync-server/seed/seedDemo';
import { call } from '../support/adminClient';
import { expectAccessible, inBothOrientations } from './adminPages';
import { expect, test } from './fixtures';

interface Store {
  id: string;
  name: string;
  kitchen: typeof DEFAULT_KITCHEN_SETTINGS;
  menuVersionId: string | null;
}

test("an owner sets a store's kitchen and board, and a kitchen display's stations", async ({ page, demo }, testInfo) => {
  const base = demo.server.url;
  const owner = (await call<{ token: string }>(base, 'POST', '/api/sessions', DEMO_OWNER)).body.token;
  const cafe = (await call<{ stores: Store[] }>(base, 'GET', '/api/stores', undefined, owner)).body.stores.find((s) => s.name === DEMO_STORE.name)!;
  const store = (await call<Store>(base, 'POST', '/api/stores', { ...DEMO_STORE, name: 'Tillsync Café Haarlem' }, owner)).body;
  expect((await call(base, 'POST', `/api/menus/${cafe.menuVersionId}/publish`, { storeIds: [store.id] }, owner)).status).toBe(200);
  for (const [role, name] of [
    ['kitchen', 'Bar screen'],
    ['kitchen', 'Pass'],
    ['board', 'Wall board'],
  ]) {
    const { code } = (await call<{ code: string }>(base, 'POST', `/api/stores/${store.id}/pairing-codes`, { role, name }, owner)).body;
    expect((await call(base, 'POST', '/api/pairing', { code })).status).toBe(201);
  }
  const stored = async () => (await call<{ stores: Store[] }>(base, 'GET', '/api/stores', undefined, owner)).body.stores.find((s) => s.id === store.id)!;

  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${base}/admin/stores/${store.id}`);
  await page.getByLabel('Email').fill(DEMO_OWNER.email);
  await page.getByLabel('Password').fill(DEMO_OWNER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: store.name })).toBeVisible();

  // Timings: a late time before the amber one is said as it is typed.
  const kitchen = page.getByTestId('kitchen-settings');
  await kitchen.getByLabel('An order is ready').selectOption('all-stations');
  await kitchen.getByLabel('Timer turns amber after (minutes)').fill('6');
  await kitchen.getByLabel('Late after (minutes)').fill('4');
  await expect(kitchen.getByTestId('late-problem')).toHaveText(/turns amber at 6 minutes, so it can turn late only after that/);
  await kitchen.getByLabel('Late after (minutes)').fill('12');
  await expect(kitchen.getByTestId('late-problem')).toHaveCount(0);
  await kitchen.getByLabel('Order-ready board: a chime for a newly ready number').check();
  await kitchen.getByLabel('Kitchen displays: a new ticket').uncheck();
  await kitchen.getByLabel('A ready number leaves the board after').fill('5');

  // Keys are pressed, as on the bump bar; one another action has is said at once, and reset.
  const keys = kitchen.getByTestId('key-map');
  await keys.getByRole('button', { name: 'Bump the ticket: Enter. Press to change.' }).click();
  await expect(keys.locator('[data-action="bump"] button.key')).toHaveText('Press a key…');
  await page.keyboard.press('b');
  await expect(keys.locator('[data-action="bump"] kbd').first()).toHaveText('b');
  await keys.getByRole('button', { name: 'Next ticket: ArrowRight. Press to change.' }).click();
  await page.keyboard.press('b');
  await expect(keys.locator('[data-action="next"]')).toContainText('b is also the key for bump: give each action a key of its own');
  await expect(keys.locator('[data-action="bump"]')).toContainText('b is also the key for next');
  await expect(keys.locator('[data-action="next"] button.key')).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page);
  const clash = testInfo.outputPath('kitchen-key-clash.png');
  await kitchen.screenshot({ path: clash });
  await testInfo.attach('kitchen-key-clash', { path: clash, contentType: 'image/png' });
  await keys.getByRole('button', { name: 'Reset Next ticket to ArrowRight' }).click();
  await expect(keys.locator('[data-action="next"]')).not.toContainText('also the key');
  // Escape keeps the key it had.
  await keys.getByRole('button', { name: 'Recall: Backspace. Press to change.' }).click();
  await page.keyboard.press('Escape');
  await expect(keys.locator('[data-action="recall"] kbd').first()).toHaveText('Backspace');
  await keys.getByRole('button', { name: 'Bump one item: Space. Press to change.' }).click();
  await page.keyboard.press('i');

  await kitchen.getByTestId('save-kitchen').click();
  await expect(kitchen.getByRole('status')).toContainText('Saved.');
  expect((await stored()).kitchen).toEqual({
    ...DEFAULT_KITCHEN_SETTINGS,
    readyWhen: 'all-stations',
    warnMinutes: 6,
    lateMinutes: 12,
    newTicketSound: false,
    boardChime: true,
    boardClearMinutes: 5,
    keyMap: { ...DEFAULT_KITCHEN_SETTINGS.keyMap, bump: 'b', bumpItem: 'i' },
  });

  // Stations: the bar screen makes drinks and the counter's things; the pass is expo.
  const row = (name: string) => page.locator(`tr[data-device="${name}"]`);
  await expect(row('Bar screen').getByTestId('device-stations-now')).toHaveText('All stations');
  await expect(row('Wall board')).not.toContainText('All stations');
  await page.getByRole('button', { name: 'Change the stations of Bar screen' }).click();
  const dialog = page.getByTestId('device-stations');
  await dialog.getByLabel('Bar').check();
  await dialog.getByLabel('Counter').check();
  await expectAccessible(page);
  const stationsPicture = testInfo.outputPath('device-stations.png');
  await dialog.screenshot({ path: stationsPicture });
  await testInfo.attach('device-stations', { path: stationsPicture, contentType: 'image/png' });
  await dialog.getByTestId('save-stations').click();
  await expect(row('Bar screen').getByTestId('device-stations-now')).toHaveText('Bar, Counter');
  await page.getByRole('button', { name: 'Change the stations of Pass' }).click();
  await dialog.getByLabel('Kitchen', { exact: true }).check();
  await dialog.getByLabel('Expo').check();
  await expect(dialog.getByLabel('Kitchen', { exact: true })).not.toBeChecked();
  await expect(dialog.getByLabel('Kitchen', { exact: true })).toBeDisabled();
  await dialog.getByTestId('save-stations').click();
  await expect(row('Pass').getByTestId('device-stations-now')).toHaveText('Expo');
  const { devices } = (await call<{ devices: Array<{ name: string; stations: string[]; expo: boolean }> }>(base, 'GET', `/api/stores/${store.id}/devices`, undefined, owner)).body;
  expect(devices.map(({ name, stations, expo }) => ({ name, stations, expo }))).toEqual([
    { name: 'Bar screen', stations: ['bar', 'counter'], expo: false },
    { name: 'Pass', stations: [], expo: true },
    { name: 'Wall board', stations: [], expo: false },
  ]);
  await expectAccessible(page);

  await inBothOrientations(page, testInfo, 'store-kitchen');
  const picture = testInfo.outputPath('store-kitchen-settings.png');
  await kitchen.screenshot({ path: picture });
  await testInfo.attach('store-kitchen-settings', { path: picture, contentType: 'image/png' });
  const devicesPicture = testInfo.outputPath('store-kitchen-devices.png');
  await page.locator('.card', { has: page.getByRole('heading', { name: 'Devices' }) }).screenshot({ path: devicesPicture });
  await testInfo.attach('store-kitchen-devices', { path: devicesPicture, contentType: 'image/png' });
  // The store's manager reads the kitchen's settings, and sets its displays' stations.
  const manager = { email: `kim-${Date.now()}@example.com`, password: 'kim runs the Haarlem café' };
  expect((await call(base, 'POST', '/api/admins', { ...manager, name: 'Kim', role: 'manager', storeIds: [store.id] }, owner)).status).toBe(201);
  const kims = await (await page.context().browser()!.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await kims.goto(`${base}/admin/stores/${store.id}`);
  await kims.getByLabel('Email').fill(manager.email);
  await kims.getByLabel('Password').fill(manager.password);
  await kims.getByRole('button', { name: 'Sign in' }).click();
  const readOnly = kims.getByTestId('kitchen-settings');
  await expect(readOnly).toContainText('Amber after 6 min, late after 12 min');
  await expect(readOnly).toContainText("Only an owner changes the kitchen's settings.");
  await expect(readOnly.getByRole('button')).toHaveCount(0);
  await expect(kims.getByRole('button', { name: 'Change the stations of Pass' })).toBeVisible();
  await expectAccessible(kims);
  const managers = testInfo.outputPath('store-kitchen-manager.png');
  await readOnly.screenshot({ path: managers });
  await testInfo.attach('store-kitchen-manager', { path: managers, contentType: 'image/png' });
  await kims.context().close();

  // TILLSYNC_README_SCREENSHOTS=1 refreshes the README's pictures of these settings.
  if (process.env.TILLSYNC_README_SCREENSHOTS === '1') {
    await copyFile(picture, new URL('../../renderer/admin/screenshots/store-kitchen.png', import.meta.url));
    await copyFile(devicesPicture, new URL('../../renderer/admin/screenshots/store-kitchen-devices.png', import.meta.url));
  }
});
