import { expect, test } from './fixtures';
import { addItem, payAtCounter, review, startOrder } from './kioskSteps';
import { pageTo } from './kitchenSteps';

// The store's internet line cut, as `npm start`'s key `i` does: the kiosk's order still reaches the
// kitchen over the shop's network, its bump still reaches the board, and the screens say why.
test('with the store’s internet cut, an order reaches the kitchen and its bump the board over the LAN; the screens say so', async ({ browser, demo }) => {
  const kitchen = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  const board = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  const kiosk = await (await browser.newContext()).newPage();
  await kitchen.goto(demo.screen('kitchen'));
  await board.goto(demo.screen('board'));
  await kiosk.goto(demo.screen('kiosk'));
  const kitchenLink = kitchen.getByTestId('connection');
  await expect(kitchenLink).toHaveAttribute('data-link', 'cloud', { timeout: 30_000 });
  await expect(kitchenLink).toContainText('Online since');

  demo.internet.cut();
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

  } finally {
    demo.internet.restore();
  }
  await expect(kitchenLink).toHaveAttribute('data-link', 'cloud', { timeout: 30_000 });
});
