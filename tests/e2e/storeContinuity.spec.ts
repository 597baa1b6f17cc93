import { randomUUID } from 'node:crypto';
import { DEMO_OWNER } from '../../electron/demoStack';
import { OUTAGE_MIN_MS } from '../../electron/core/cloudOutage';
import { expect, test } from './fixtures';
import { addItem, payAtCounter, review, startOrder } from './kioskSteps';
import { pageTo } from './kitchenSteps';

// The store's internet line cut, as `npm start`'s key `i` does: the kiosk's order still reaches the
// kitchen over the shop's network, its bump still reaches the board, and the screens say why. Head
// office sees the store out of reach, then the outage and when it healed.
test('with the store’s internet cut, an order reaches the kitchen and its bump the board over the LAN; the screens say so, and head office sees the outage', async ({ browser, demo }) => {
  const kitchen = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  const board = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  const kiosk = await (await browser.newContext()).newPage();
  await kitchen.goto(demo.screen('kitchen'));
  await board.goto(demo.screen('board'));
  await kiosk.goto(demo.screen('kiosk'));
  const kitchenLink = kitchen.getByTestId('connection');
  await expect(kitchenLink).toHaveAttribute('data-link', 'cloud', { timeout: 30_000 });
  await expect(kitchenLink).toContainText('Online since');

  const admin = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await admin.goto(`${demo.server.url}/admin/stores/${demo.server.demoStoreId}`);
  await admin.getByLabel('Email').fill(DEMO_OWNER.email);
  await admin.getByLabel('Password').fill(DEMO_OWNER.password);
  await admin.getByRole('button', { name: 'Sign in' }).click();
  const outages = admin.getByTestId('store-outages');
  await expect(outages.getByRole('heading', { name: 'Internet outages' })).toBeVisible();
  await expect(outages.getByText('Loading')).toHaveCount(0);
  // Earlier specs on this demo may have left outages of their own.
  const before = await outages.locator('tbody tr').count();

  demo.internet.cut();
  const cutAt = Date.now();
  try {
    // Every screen still reaches another: LAN only, not alone.
    await expect(kitchenLink).toHaveAttribute('data-link', 'lan', { timeout: 15_000 });
    await expect(kitchenLink).toContainText('Internet down since');
    await expect(board.getByTestId('connection')).toHaveAttribute('data-link', 'lan');

    await startOrder(kiosk, 'takeaway');
    // The kiosk's header (past its welcome screen) carries the dot.
    await expect(kiosk.getByTestId('connection')).toHaveAttribute('data-link', 'lan');
    await addItem(kiosk, 'espresso');
    await review(kiosk);
    const number = await payAtCounter(kiosk);
    const ticket = kitchen.locator(`[data-order="${number}"]`).filter({ hasText: 'Espresso' });
    await expect(ticket).toHaveCount(1, { timeout: 2_000 });
    await pageTo(kitchen, ticket);
    await kitchen.screenshot({ path: test.info().outputPath('kitchen-lan-only.png') });
    await ticket.getByTestId('bump').click();
    await expect(board.getByTestId('ready').getByText(number, { exact: true }).first()).toBeVisible({ timeout: 2_000 });

    // Head office, on its own line, sees that no terminal of the store reaches it.
    await admin.reload();
    await expect(admin.getByTestId('store-out-of-reach')).toContainText('No terminal of this store has reached the server since');
    // Terminals report an outage of more than a few seconds only.
    await admin.waitForTimeout(Math.max(0, cutAt + OUTAGE_MIN_MS + 1_000 - Date.now()));
  } finally {
    demo.internet.restore();
  }
  await expect(kitchenLink).toHaveAttribute('data-link', 'cloud', { timeout: 30_000 });

  // Once back, each terminal tells of the outage as it reconnects: one row for the store, from the
  // cut to the return, naming every screen cut off (the kiosk, kitchen and board, and any other
  // spec added).
  await expect(async () => {
    await admin.reload();
    await expect(outages.locator('tbody tr')).toHaveCount(before + 1, { timeout: 1_000 });
    await expect(outages.locator('tbody tr').first()).toContainText(/under a minute\s*([3-9]|\d\d) terminals$/, { timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await expect(admin.getByTestId('store-out-of-reach')).toHaveCount(0);
  await admin.screenshot({ path: test.info().outputPath('admin-outage.png'), fullPage: true });

  // A store with a long history shows fifty, then the older ones on demand.
  const day = 86_400_000;
  await demo.server.db.storeOutage.createMany({
    data: Array.from({ length: 50 }, (_, i) => ({ storeId: demo.server.demoStoreId!, startedAt: new Date(cutAt - (i + 1) * day), endedAt: new Date(cutAt - (i + 1) * day + 600_000), devices: [randomUUID()] })),
  });
  await admin.reload();
  await expect(outages.locator('tbody tr')).toHaveCount(50);
  await outages.getByRole('button', { name: 'Older outages' }).click();
  await expect(outages.locator('tbody tr')).toHaveCount(before + 51);
  await expect(outages.getByRole('button', { name: 'Older outages' })).toHaveCount(0);
});
