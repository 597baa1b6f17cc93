import { businessDay } from '#protocol/businessDay';
import { uuidv7 } from '#protocol/ids';
import type { MenuIndex } from '#protocol/menu';
import type { OrderUpload } from '#protocol/orders';
import { priceOrder, type LineDraft } from '#protocol/pricing';
import { DEMO_STORE } from '../../sync-server/seed/seedDemo';

export const LATTE: LineDraft = { itemId: 'latte', quantity: 1, optionIds: ['size-regular', 'milk-whole'] };
export const COOKIE: LineDraft = { itemId: 'cookie', quantity: 2, optionIds: ['serve-warm'] };

/** A correctly priced upload, as an honest kiosk would send it; tests then break what they need. */
export function orderUpload(menu: MenuIndex, number: string, lines: LineDraft[] = [LATTE, COOKIE], placedAt = new Date()): OrderUpload {
  const priced = priceOrder(menu, lines, DEMO_STORE);
  return {
    id: uuidv7(placedAt.getTime()),
    number,
    businessDay: businessDay(placedAt, DEMO_STORE.timeZone),
    placedAt: placedAt.toISOString(),
    menuVersionId: menu.versionId,
    lines: lines.map((line, i) => ({ ...line, unitPriceCents: priced.lines[i]!.unitPriceCents, lineTotalCents: priced.lines[i]!.lineTotalCents })),
    subtotalCents: priced.subtotalCents,
    taxCents: priced.taxCents,
    totalCents: priced.totalCents,
  };
}
