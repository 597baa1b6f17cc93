import { AppError } from '../protocol/errors';
import type { MenuIndex } from '../protocol/menu';
import type { OrderRecord, OrderUpload } from '../protocol/orders';
import { priceOrder, type TaxPolicy } from '../protocol/pricing';

/**
 * Re-prices an uploaded order from its menu version and refuses it if any price the kiosk sent
 * differs: a terminal cannot make up prices. Returns the order as the feed will carry it.
 */
export function checkUpload(menu: MenuIndex, tax: TaxPolicy, upload: OrderUpload, deviceId: string): OrderRecord {
  let priced;
  try {
    priced = priceOrder(menu, upload.lines, tax);
  } catch (error) {
    // Point into the mutation: its order is under `order`.
    throw error instanceof AppError && error.path ? new AppError(error.code, error.message, `order.${error.path}`) : error;
  }
  upload.lines.forEach((line, i) => {
    const expected = priced.lines[i]!;
    if (line.unitPriceCents !== expected.unitPriceCents) {
      throw new AppError('PRICE_MISMATCH', `${expected.name} costs ${expected.unitPriceCents}, not ${line.unitPriceCents}.`, `order.lines[${i}].unitPriceCents`);
    }
    if (line.lineTotalCents !== expected.lineTotalCents) {
      throw new AppError('PRICE_MISMATCH', `Line ${i + 1} totals ${expected.lineTotalCents}, not ${line.lineTotalCents}.`, `order.lines[${i}].lineTotalCents`);
    }
  });
  for (const field of ['subtotalCents', 'taxCents', 'totalCents'] as const) {
    if (upload[field] !== priced[field]) {
      throw new AppError('PRICE_MISMATCH', `The order's ${field} is ${priced[field]}, not ${upload[field]}.`, `order.${field}`);
    }
  }
  return {
    id: upload.id,
    deviceId,
    number: upload.number,
    businessDay: upload.businessDay,
    placedAt: new Date(upload.placedAt).toISOString(),
    menuVersionId: upload.menuVersionId,
    currency: priced.currency,
    lines: priced.lines,
    subtotalCents: priced.subtotalCents,
    taxCents: priced.taxCents,
    totalCents: priced.totalCents,
    status: 'preparing',
    statusHlc: null,
  };
}
