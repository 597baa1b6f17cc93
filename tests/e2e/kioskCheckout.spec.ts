// The customer's whole visit, as the "done when" walks it in Chromium on a portrait kiosk:
// in Arabic, eating in, with a search, an allergen filter, a suggestion declined and a line edited,
// a card declined and then approved, and the receipt's bytes read back by the printer simulator;
// a kiosk that dies mid-payment and ends with one charge and one order; and paying at the counter.
// Every screen is checked by axe in Arabic and saved for a person to look at.
import type { Page } from '@playwright/test';
import { browse } from '../../renderer/src/i18n/sections/browse';
import { visit } from '../../renderer/src/i18n/sections/visit';
import { CardTerminalControl } from '../support/cardTerminalControl';
import { expectAccessible } from './adminPages';
import { expect, test } from './fixtures';
import { KEYPAD, keypadDownTo } from './kioskAccess';
import { declineSuggestions, orderNumber, payAtCounter, review, startOrder } from './kioskSteps';

// Ten screens each checked by axe: a walk longer than a test's usual budget.
test.describe.configure({ mode: 'serial', timeout: 240_000 });

const PORTRAIT = { width: 1080, height: 1920 };
const AR = { ...browse.ar.browse, ...visit.ar };

/** What the demo's receipt printer printed, oldest first. */
async function receipts(demo: { devices: { printerControlUrl: string } }): Promise<Array<{ lines: string[]; qrCodes: string[]; images: unknown[]; cut: string | null }>> {
  const answer = await fetch(`${demo.devices.printerControlUrl}/sim/receipts`);
  return ((await answer.json()) as { receipts: Array<{ lines: string[]; qrCodes: string[]; images: unknown[]; cut: string | null }> }).receipts;
}

async function shoot(page: Page, name: string) {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`) });
  await expectAccessible(page);
}

test('an order in Arabic: eat in, search, an allergen hidden, a suggestion declined, a line changed, a card declined then approved, a receipt printed', async ({ page, demo }) => {
  const card = new CardTerminalControl(demo.devices.cardTerminalUrl);
  const printedBefore = (await receipts(demo)).length;
  await page.setViewportSize(PORTRAIT);
  await page.goto(demo.screen('kiosk'));
  await page.locator('[data-language="ar"]').click();
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.getByTestId('start')).toHaveText(/المس للطلب/);
  await shoot(page, 'ar-welcome');

  await page.getByTestId('start').click();
  await shoot(page, 'ar-service');
  await startOrderFromService(page);
  await shoot(page, 'ar-menu');

  // Hide soy: the mocha goes, the americano stays (and the croissant offered with it, which has none).
  await page.getByTestId('open-filters').click();
  const filters = page.getByRole('dialog', { name: AR.filtersTitle });
  await filters.locator('[data-allergen="soybeans"]').click();
  await shoot(page, 'ar-filters');
  await filters.getByRole('button', { name: AR.showMenu }).click();
  await expect(page.locator('[data-item="mocha"]')).toHaveCount(0);
  await expect(page.locator('[data-item="americano"]')).toBeVisible();

  // Search in Arabic on the on-screen keyboard's field: "امريكانو" without its hamza finds أمريكانو.
  await page.getByTestId('open-search').click();
  const search = page.getByRole('dialog', { name: AR.searchTitle });
  await page.keyboard.type('امريكانو');
  await expect(search.locator('[data-item="americano"]')).toBeVisible();
  await shoot(page, 'ar-search');
  await search.locator('[data-item="americano"]').click();
  await shoot(page, 'ar-item');
  await page.getByTestId('add-to-order').click();
  // The americano is offered with a croissant: declined, and not offered again at review.
  await expect(page.getByTestId('upsell')).toBeVisible();
  await shoot(page, 'ar-upsell');
  await page.getByTestId('no-thanks').click();

  await page.getByTestId('review-order').click();
  await declineSuggestions(page);
  await expect(page.getByTestId('upsell')).toHaveCount(0);
  await expect(page.getByTestId('service')).toHaveText(AR.service.eatIn);
  await shoot(page, 'ar-review');
  const before = await page.getByTestId('review-total').textContent();
  // The line changed to a large americano, at the price the shared rule gives.
  await page.getByTestId('edit-line').click();
  await page.locator('[data-option="size-large"]').click();
  await page.getByTestId('add-to-order').click();
  await expect(page.getByTestId('review-total')).not.toHaveText(before!);
  const total = (await page.getByTestId('review-total').textContent())!;
  expect(total).toMatch(/3[.,]80/);

  await card.next({ outcome: 'decline', afterMs: 300 });
  await card.next({ outcome: 'approve', afterMs: 300 });
  await page.getByTestId('pay-card').click();
  await expect(page.getByTestId('payment-amount')).toHaveText(total);
  await shoot(page, 'ar-paying');
  await expect(page.getByTestId('payment-retry')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('payment-message')).toContainText(AR.payment.declined);
  await shoot(page, 'ar-declined');
  await page.getByTestId('payment-retry').click();
  const number = await orderNumber(page);
  await expect(page.getByTestId('done-payment')).toContainText('4242');
  await expect(page.getByTestId('receipt-state')).toHaveAttribute('data-state', 'printed', { timeout: 15_000 });
  await shoot(page, 'ar-done');

  // The printer got the receipt: its number, its QR code to the signed receipt page, Arabic drawn as pictures, cut.
  const printed = (await receipts(demo)).slice(printedBefore);
  expect(printed).toHaveLength(1);
  expect(printed[0]!.lines.join('\n')).toContain(number);
  expect(printed[0]!.qrCodes[0]).toMatch(/\/receipt\/[0-9a-f-]{36}\/[0-9a-f-]{36}\?s=/);
  expect(printed[0]!.images.length).toBeGreaterThan(0);
  expect(printed[0]!.cut).toBe('full');
  // And the receipt page it points to opens, in Arabic, for that order.
  const receiptPage = await page.context().request.get(printed[0]!.qrCodes[0]!);
  expect(receiptPage.status()).toBe(200);
  expect(await receiptPage.text()).toContain(number);
});

test('the same order by the keypad alone, in accessibility mode and Arabic, never touching the screen', async ({ page, demo }) => {
  const card = new CardTerminalControl(demo.devices.cardTerminalUrl);
  await page.setViewportSize(PORTRAIT);
  await page.goto(demo.screen('kiosk'));
  await expect(page.getByTestId('start')).toBeEnabled();
  const select = (target: string) => keypadDownTo(page, target).then(() => page.keyboard.press(KEYPAD.select));
  // A key of the keypad turns the mode on; Arabic is chosen on the welcome screen.
  await page.keyboard.press(KEYPAD.help);
  await expect(page.getByTestId('access-button')).toHaveAttribute('aria-checked', 'true');
  await select('[data-language="ar"]');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await select('[data-testid=start]');
  await select('[data-service=eat-in]');

  await select('[data-testid=open-filters]');
  await select('[data-allergen="soybeans"]');
  await expect(page.locator('[data-allergen="soybeans"]')).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press(KEYPAD.back);
  await expect(page.locator('[data-item="mocha"]')).toHaveCount(0);

  await select('[data-testid=open-search]');
  await page.keyboard.type('امريكانو');
  await select('dialog[open] [data-item=americano]');
  await select('[data-testid=add-to-order]');
  await select('[data-testid=no-thanks]');
  await select('[data-testid=review-order]');
  await declineSuggestions(page);
  const before = await page.getByTestId('review-total').textContent();
  await select('[data-testid=edit-line]');
  await select('[data-option=size-large] input');
  await select('[data-testid=add-to-order]');
  await expect(page.getByTestId('review-total')).not.toHaveText(before!);

  await card.next({ outcome: 'decline', afterMs: 300 });
  await card.next({ outcome: 'approve', afterMs: 300 });
  await select('[data-testid=pay-card]');
  await expect(page.getByTestId('payment-retry')).toBeVisible({ timeout: 15_000 });
  await select('[data-testid=payment-retry]');
  await orderNumber(page);
  await expectAccessible(page);
});

/** On the service screen: eat in. */
async function startOrderFromService(page: Page) {
  await page.locator('[data-service="eat-in"]').click();
  await expect(page.getByTestId('review-order')).toBeVisible();
}

test('a kiosk that dies while the customer pays comes back, asks the card terminal, and places the order: one charge, one order', async ({ page, demo }) => {
  const card = new CardTerminalControl(demo.devices.cardTerminalUrl);
  await page.setViewportSize(PORTRAIT);
  await page.goto(demo.screen('kiosk'));
  await startOrder(page, 'takeaway');
  await page.locator('[data-item="espresso"]').click();
  await page.getByTestId('add-to-order').click();
  await declineSuggestions(page);
  await review(page);
  // The customer taps 1.5 s after the charge is asked for; the kiosk's process is killed before.
  await card.next({ outcome: 'approve', afterMs: 1500 });
  const chargesBefore = (await card.charges()).length;
  await page.getByTestId('pay-card').click();
  await expect(page.getByTestId('payment-message')).toHaveAttribute('data-state', 'in-progress', { timeout: 10_000 });
  const payingFor = (await page.getByTestId('payment-order').getAttribute('data-number'))!;
  demo.screens.find((s) => s.role === 'kiosk')!.crash();

  // The demo starts the kiosk again; it follows the payment to its end, and the screen shows the number.
  const number = await orderNumber(page);
  expect(number).toBe(payingFor);
  const charges = (await card.charges()).slice(chargesBefore);
  expect(charges).toHaveLength(1);
  await expect.poll(async () => (await demo.server.db.order.findMany({ where: { number, storeId: demo.server.demoStoreId! } })).length, { timeout: 15_000 }).toBe(1);
});

test('paying at the counter: the number, and what to do at the counter', async ({ page, demo }) => {
  await page.setViewportSize(PORTRAIT);
  await page.goto(demo.screen('kiosk'));
  await startOrder(page, 'takeaway');
  await page.locator('[data-item="espresso"]').click();
  await page.getByTestId('add-to-order').click();
  await declineSuggestions(page);
  await review(page);
  const number = await payAtCounter(page);
  await expect(page.getByTestId('done-payment')).toContainText('counter');
  await expect.poll(async () => (await demo.server.db.order.findMany({ where: { number, storeId: demo.server.demoStoreId! } })).length, { timeout: 15_000 }).toBeGreaterThan(0);
  await shoot(page, 'en-done-counter');
});
