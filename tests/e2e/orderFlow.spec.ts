import { expect, test } from './fixtures';
import { addItem, payAtCounter, review, startOrder } from './kioskSteps';
import { pageTo } from './kitchenSteps';

test('a customer orders on the kiosk; the kitchen sees the ticket live; bumping it puts the number under ready', async ({ browser, demo }) => {
  // Three screens, as three separate devices would be.
  const kitchen = await (await browser.newContext()).newPage();
  const board = await (await browser.newContext()).newPage();
  const kiosk = await (await browser.newContext()).newPage();
  await kitchen.goto(demo.screen('kitchen'));
  await expect(kitchen.getByRole('heading', { name: 'Kitchen' })).toBeVisible();
  await board.goto(demo.screen('board'));
  await expect(board.getByTestId('preparing')).toBeVisible();

  await kiosk.goto(demo.screen('kiosk'));
  await startOrder(kiosk, 'eat-in');

  // A latte, large with oat milk: required choices, one changed from its default.
  await kiosk.locator('[data-item="latte"]').click();
  await expect(kiosk.getByTestId('add-to-order')).toContainText('€3.80');
  await kiosk.keyboard.press('Escape');
  await addItem(kiosk, 'latte', { options: ['size-large', 'milk-oat'] });

  // Two avocado toasts on rye with feta: an optional group, and a quantity.
  await addItem(kiosk, 'avocado-toast', { category: 'breakfast', options: ['bread-rye', 'add-feta'], quantity: 2 });

  // (3.80 + 0.60 + 0.50) + 2 × (8.90 + 1.20) = 4.90 + 20.20
  await expect(kiosk.getByTestId('cart-total')).toHaveText('€25.10');
  await review(kiosk);
  await expect(kiosk.getByTestId('cart-line')).toHaveCount(2);
  await expect(kiosk.getByTestId('review-total')).toHaveText('€25.10');
  const number = await payAtCounter(kiosk);
  expect(number).toMatch(/^A\d{3}$/);

  // Within 2 s of the customer seeing their number, the kitchen has the ticket. Numbers restart at
  // the store's midnight, so a ticket still open from the day before may carry the same number:
  // this order is known by its number and what is on it.
  // The walks before leave tickets open: a new one may stand on a later page, said by the pager.
  const ticket = kitchen.locator(`[data-order="${number}"]`).filter({ hasText: 'Caffè Latte' });
  await expect(ticket).toHaveCount(1, { timeout: 2000 });
  await pageTo(kitchen, ticket);
  await expect(ticket).toContainText('Oat milk');
  await expect(ticket).toContainText('2×Avocado Toast');
  await expect(ticket).toContainText('Feta');
  const preparing = board.getByTestId('preparing').getByText(number, { exact: true });
  await expect(preparing.first()).toBeVisible();
  const preparingBefore = await preparing.count();

  await ticket.getByTestId('bump').click();
  await expect(board.getByTestId('ready').getByText(number, { exact: true }).first()).toBeVisible();
  await expect(preparing).toHaveCount(preparingBefore - 1);
  // Ready, it leaves the tickets to make for the panel of orders to collect; collected, it leaves the board.
  await expect(ticket).toHaveCount(0);
  await kitchen.locator(`[data-testid="ready-strip"] [data-order="${number}"]`).click();
  await expect(board.getByTestId('ready').getByText(number, { exact: true })).toHaveCount(0);
});
