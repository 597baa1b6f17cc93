// Head office watches a store's orders live: one preparing longer than the store's kitchen allows
// is marked late, a held counter order waits for its money, and what the kiosk places and the
// kitchen pays and bumps shows without a reload; the ages tick; filters by state; a dropped
// connection comes back by itself and catches up with what happened meanwhile. Checked with axe
// and looked at in landscape and portrait. It works on a store of its own.
import { copyFile } from 'node:fs/promises';
import { DEMO_OWNER } from '../../electron/demoStack';
import { COOKIE, LATTE, orderUpload } from '../support/orderUploads';
import { paidByCard, payAtCounter } from '../support/payments';
import { expectAccessible, inBothOrientations } from './adminPages';
import { expect, test } from './fixtures';
import { openStoreOfItsOwn } from './storeOfItsOwn';

const CROISSANT = { itemId: 'croissant', quantity: 2, optionIds: ['serve-warm'] };

test('live orders: late tickets marked, changes shown as they happen, filtered by state, caught up after a dropped connection', async ({ page, demo }, testInfo) => {
  const base = demo.server.url;
  const store = await openStoreOfItsOwn(base, 'Tillsync Café Live');
  const prefix = store.kiosk.hello.device.orderPrefix!;
  const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000);
  // Late (the café's kitchen: late after 10 minutes), waiting for its money at the counter, and just placed.
  const late = paidByCard(orderUpload(store.menu, `${prefix}001`, [LATTE, CROISSANT], ago(12)), {}, { service: { mode: 'eat-in', table: '4' } });
  const held = payAtCounter(orderUpload(store.menu, `${prefix}002`, [COOKIE], ago(3)), true, { service: { mode: 'takeaway' } });
  const fresh = paidByCard(orderUpload(store.menu, `${prefix}003`, [LATTE], ago(0.2)), {}, { service: { mode: 'takeaway' } });
  await store.push(store.kiosk, [late, held, fresh].map((order) => ({ kind: 'order.place', order })));

  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(`${base}/admin/live-orders?store=${store.id}`);
  await page.getByLabel('Email').fill(DEMO_OWNER.email);
  await page.getByLabel('Password').fill(DEMO_OWNER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Live orders' })).toBeVisible();
  await expect(page.getByTestId('live-state')).toHaveText('Live');
  await expect(page.getByLabel('Store', { exact: true })).toHaveValue(store.id);

  const ticket = (number: string) => page.locator(`.ticket[data-order="${number}"]`);
  await expect(page.locator('.ticket')).toHaveCount(3);
  await expect(page.locator('.ticket h2')).toHaveText([held.number, late.number, fresh.number]);
  await expect(ticket(late.number)).toHaveAttribute('data-late', 'true');
  await expect(ticket(late.number)).toContainText('Late');
  await expect(ticket(late.number)).toContainText('Eat in · table 4');
  await expect(ticket(late.number)).toContainText(/1×\s*Caffè Latte/);
  await expect(ticket(late.number)).toContainText(/2×\s*Butter Croissant/);
  await expect(ticket(late.number).getByTestId('age')).toContainText(/^12:\d\d in the kitchen$/);
  await expect(ticket(held.number)).toHaveAttribute('data-state', 'waiting');
  await expect(ticket(held.number)).toContainText('Not paid yet: waits for the money');
  await expect(ticket(fresh.number)).toHaveAttribute('data-state', 'preparing');
  await expect(ticket(fresh.number)).not.toHaveAttribute('data-late');
  await expect(page.getByTestId('live-summary')).toHaveText(/3 open orders\s*1 late/);
  // The age ticks on its own.
  const age = await ticket(fresh.number).getByTestId('age').textContent();
  await expect(ticket(fresh.number).getByTestId('age')).not.toHaveText(age!, { timeout: 3000 });

  // What happens at the store shows without a reload.
  const next = paidByCard(orderUpload(store.menu, `${prefix}004`, [COOKIE], new Date()), {}, { service: { mode: 'eat-in' } });
  await store.push(store.kiosk, [{ kind: 'order.place', order: next }]);
  await expect(ticket(next.number)).toHaveAttribute('data-state', 'preparing');
  await store.push(store.kitchen, [{ kind: 'order.paid', orderId: held.id, paidAt: new Date().toISOString() }]);
  await expect(ticket(held.number)).toHaveAttribute('data-state', 'preparing');
  await expect(ticket(held.number)).toContainText('Paid at the counter');
  await expect(ticket(held.number).getByTestId('age')).toContainText(/^0:\d\d in the kitchen$/);
  await store.push(store.kitchen, [{ kind: 'order.lines', orderId: late.id, lineNos: [2], done: true, hlc: store.clock() }]);
  await expect(ticket(late.number).locator('.lines .done')).toHaveText(/2×\s*Butter Croissant\s*✓\s*made/);
  await expect(ticket(late.number)).toContainText('1 of 2 made');
  await store.push(store.kitchen, [{ kind: 'order.status', orderId: fresh.id, status: 'ready', hlc: store.clock() }]);
  await expect(ticket(fresh.number)).toHaveAttribute('data-state', 'ready');
  await expect(ticket(fresh.number).getByTestId('age')).toContainText('ready, not yet collected');
  // A bump stamped earlier that arrives late changes nothing: the newest clock wins.
  await store.push(store.kitchen, [{ kind: 'order.status', orderId: fresh.id, status: 'preparing', hlc: store.clock(Date.now() - 60_000) }]);
  await page.waitForTimeout(500);
  await expect(ticket(fresh.number)).toHaveAttribute('data-state', 'ready');

  // Filtered by state, in the address.
  const stateChoice = (state: string) => page.locator('label', { has: page.locator(`input[name="live-state"][value="${state}"]`) });
  await stateChoice('ready').click();
  await expect(page).toHaveURL(/state=ready/);
  await expect(page.locator('.ticket')).toHaveCount(1);
  await expect(page.locator('.ticket h2')).toHaveText([fresh.number]);
  await expectAccessible(page);
  await stateChoice('').click();
  await expect(page.locator('.ticket')).toHaveCount(4);

  // The network drops (the browser's socket with it); the store carries on; the page comes back by itself and catches up.
  await page.context().setOffline(true);
  await expect(page.getByTestId('live-state')).toHaveText('Reconnecting…');
  const meanwhile = paidByCard(orderUpload(store.menu, `${prefix}005`, [LATTE], new Date()), {}, { service: { mode: 'takeaway' } });
  await store.push(store.kiosk, [{ kind: 'order.place', order: meanwhile }]);
  await store.push(store.kitchen, [{ kind: 'order.status', orderId: next.id, status: 'ready', hlc: store.clock() }]);
  await page.waitForTimeout(1000);
  await expect(ticket(meanwhile.number)).toHaveCount(0);
  await page.context().setOffline(false);
  await expect(page.getByTestId('live-state')).toHaveText('Live', { timeout: 15_000 });
  await expect(ticket(meanwhile.number)).toHaveAttribute('data-state', 'preparing');
  await expect(ticket(next.number)).toHaveAttribute('data-state', 'ready');
  await expect(page.locator('.ticket')).toHaveCount(5);

  await expectAccessible(page);
  const shots = await inBothOrientations(page, testInfo, 'live-orders');
  // TILLSYNC_README_SCREENSHOTS=1 refreshes the README's picture of this page.
  if (process.env.TILLSYNC_README_SCREENSHOTS === '1') await copyFile(shots.landscape, new URL('../../renderer/admin/screenshots/live-orders.png', import.meta.url));
  store.close();
});
