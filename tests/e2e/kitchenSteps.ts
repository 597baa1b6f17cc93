// What a cook does on a kitchen display, for the walks that need it.
import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures';

/**
 * Pages forward, as a cook would, until `ticket` is on the screen: the walks before leave tickets
 * open, and a new one stands after them (the pager says "n new").
 */
export async function pageTo(kitchen: Page, ticket: Locator): Promise<void> {
  await expect(ticket).toHaveCount(1);
  while (!(await ticket.isVisible())) {
    await expect(kitchen.getByTestId('page-forward')).toBeEnabled();
    await kitchen.getByTestId('page-forward').click();
  }
}
