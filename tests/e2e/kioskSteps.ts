// What a customer does at the kiosk, as steps the end-to-end specs share: start, say how they eat,
// add items (declining suggestions unless a spec looks at them), review, and pay.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import type { ServiceMode } from '#protocol/orders';

/** From the welcome screen to the menu. */
export async function startOrder(page: Page, service: ServiceMode = 'takeaway'): Promise<void> {
  await page.getByTestId('start').click();
  const asked = page.locator(`[data-service="${service}"]`);
  if (await asked.isVisible().catch(() => false)) await asked.click();
  else await asked.waitFor({ timeout: 1500 }).then(() => asked.click(), () => {});
  await expect(page.getByTestId('review-order')).toBeVisible();
}

/** A suggestion offered just now is declined; none offered is fine too. */
export async function declineSuggestions(page: Page): Promise<void> {
  const noThanks = page.getByTestId('no-thanks');
  await noThanks.waitFor({ timeout: 800 }).then(() => noThanks.click(), () => {});
}

/** Opens an item (from its category), picks options, sets the quantity and adds it. */
export async function addItem(page: Page, itemId: string, { category, options = [], quantity = 1 }: { category?: string; options?: string[]; quantity?: number } = {}): Promise<void> {
  if (category) await page.locator(`[data-category="${category}"]`).click();
  await page.locator(`[data-item="${itemId}"]`).click();
  for (const option of options) await page.locator(`[data-option="${option}"]`).click();
  for (let i = 1; i < quantity; i++) await page.getByRole('group', { name: 'Quantity' }).getByRole('button').last().click();
  await page.getByTestId('add-to-order').click();
  await declineSuggestions(page);
}

export async function review(page: Page): Promise<void> {
  await page.getByTestId('review-order').click();
  await declineSuggestions(page);
}

/** Pays at the counter from the review; returns the order number shown. */
export async function payAtCounter(page: Page): Promise<string> {
  await page.getByTestId('pay-counter').click();
  return orderNumber(page);
}

export async function orderNumber(page: Page): Promise<string> {
  const number = (await page.getByTestId('order-number').textContent({ timeout: 15_000 }))!.trim();
  expect(number).toMatch(/^[A-Z]{1,2}\d{3,6}$/);
  return number;
}

/** The newest menu version the demo's kiosk holds, read from its SQLite file (WAL lets a reader in beside it). */
export function kioskMenuVersion(demo: { screens: ReadonlyArray<{ role: string; dataDir: string }> }): string | null {
  const sqlite = new Database(join(demo.screens.find((s) => s.role === 'kiosk')!.dataDir, 'terminal.db'), { readonly: true });
  try {
    return (sqlite.prepare('SELECT menuVersionId FROM DeviceSettings WHERE id = 1').get() as { menuVersionId: string | null } | undefined)?.menuVersionId ?? null;
  } finally {
    sqlite.close();
  }
}
