// A customer's visit as the kiosk guards it: "Start over" asks before it clears an order, and a
// customer who walks away is asked "Need more time?" with a countdown they can see, then the kiosk
// clears itself for the next one. The page's clock is Playwright's, so minutes pass in an instant.
import { expect, test } from './fixtures';
import { addItem, review, startOrder } from './kioskSteps';

test('start over asks first, and keeps the order when the customer says so', async ({ page, demo }) => {
  await page.goto(demo.screen('kiosk'));
  await startOrder(page);
  await addItem(page, 'espresso', { category: 'coffee' });
  await review(page);
  await expect(page.getByTestId('cart-line')).toHaveCount(1);

  await page.getByTestId('start-over').click();
  await page.getByTestId('keep-order').click();
  await expect(page.getByTestId('cart-line')).toHaveCount(1);

  await page.getByTestId('start-over').click();
  await page.getByTestId('confirm-start-over').click();
  await expect(page.getByTestId('welcome')).toBeVisible();
  await startOrder(page);
  await expect(page.getByTestId('review-order')).toBeDisabled();
});

test('a customer who walks away is asked "Need more time?" with a countdown, and then the kiosk clears', async ({ page, demo }) => {
  await page.clock.install();
  await page.goto(demo.screen('kiosk'));
  await startOrder(page);
  await addItem(page, 'espresso', { category: 'coffee' });

  // Longer than any store's idle time (at most 10 minutes): the question comes, counting down from 20.
  await page.clock.fastForward('10:00');
  const warning = page.getByTestId('idle-warning');
  await expect(warning).toBeVisible();
  await expect(warning.getByRole('timer')).toHaveAccessibleName(/\d+ seconds/);
  const before = Number(await warning.getByRole('timer').textContent());
  await page.clock.fastForward(3000);
  await expect.poll(async () => Number(await warning.getByRole('timer').textContent())).toBeLessThan(before);

  // "Yes, more time": the order is still there.
  await page.getByTestId('idle-more').click();
  await expect(warning).toHaveCount(0);
  await review(page);
  await expect(page.getByTestId('cart-line')).toHaveCount(1);

  // No answer at all: after the countdown, the next customer finds a fresh kiosk.
  await page.clock.fastForward('10:00');
  await expect(warning).toBeVisible();
  for (let second = 0; second < 21; second++) await page.clock.fastForward(1000);
  await expect(page.getByTestId('welcome')).toBeVisible();
  await startOrder(page);
  await expect(page.getByTestId('review-order')).toBeDisabled();
});
