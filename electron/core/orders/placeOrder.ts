import { businessDay } from '#protocol/businessDay';
import { AppError } from '#protocol/errors';
import { uuidv7 } from '#protocol/ids';
import type { OrderRecord } from '#protocol/orders';
import { priceOrder } from '#protocol/pricing';
import type { PlacedOrder, PlaceOrderInput } from '../api/contract';
import { profileOf, taxPolicyOf, type CoreContext } from '../context';
import { enqueue } from '../sync/outbox';
import { insertOrders, uploadOf } from './orderRows';

const formatMoney = (cents: number, currency: string) => new Intl.NumberFormat('en', { style: 'currency', currency }).format(cents / 100);

/**
 * Places a kiosk order. It is priced from the menu the customer ordered from, numbered from this
 * kiosk's own counter (its prefix makes the number unique in the store, offline or not), and
 * written with its outbox entry in one local transaction before the customer sees the number.
 */
export async function placeOrder(ctx: CoreContext, input: PlaceOrderInput): Promise<PlacedOrder> {
  const profile = profileOf(ctx);
  if (!profile.orderPrefix) throw new AppError('FORBIDDEN_FOR_ROLE', 'This kiosk has no order prefix. Ask head office to re-register it.');
  const menu = await ctx.menus.index(input.menuVersionId, profile.storeId);
  if (!menu) throw new AppError('MENU_VERSION_UNKNOWN', 'This menu is no longer on the kiosk. Please start your order again.', 'menuVersionId');
  const priced = priceOrder(menu, input.lines, taxPolicyOf(profile));

  if (priced.totalCents !== input.expectedTotalCents) {
    throw new AppError('PRICE_MISMATCH', `The total is now ${formatMoney(priced.totalCents, priced.currency)}. Please check your order.`, 'expectedTotalCents');
  }

  const now = new Date(ctx.clock().now());
  const day = businessDay(now, profile.timeZone);
  const { write: sql } = ctx;
  const order = sql.transaction(() => {
    // Checked inside the transaction: a sold-out toggle applied a moment ago counts.
    const soldOut = priced.lines.find((l) => sql.get('SELECT 1 FROM ItemAvailability WHERE itemId = ? AND available = 0', l.itemId));
    if (soldOut) throw new AppError('ITEM_SOLD_OUT', `Sorry, ${soldOut.name} has just sold out. Please remove it from your order.`, `lines[${soldOut.lineNo - 1}]`);
    const { last } = sql.get<{ last: number }>(
      'INSERT INTO OrderNumberCounter (businessDay, last) VALUES (?, 1) ON CONFLICT (businessDay) DO UPDATE SET last = last + 1 RETURNING last',
      day,
    )!;
    const record: OrderRecord = {
      id: uuidv7(now.getTime()),
      deviceId: profile.deviceId,
      number: `${profile.orderPrefix}${String(last).padStart(3, '0')}`,
      businessDay: day,
      placedAt: now.toISOString(),
      menuVersionId: menu.versionId,
      currency: priced.currency,
      lines: priced.lines,
      subtotalCents: priced.subtotalCents,
      taxCents: priced.taxCents,
      totalCents: priced.totalCents,
      status: 'preparing',
      statusHlc: null,
    };
    insertOrders(sql, [record], 'pending');
    enqueue(sql, { kind: 'order.place', order: uploadOf(record) });
    return record;
  });
  ctx.emit({ type: 'orders' });
  ctx.outboxChanged();
  return {
    id: order.id,
    number: order.number,
    currency: order.currency,
    lines: order.lines,
    subtotalCents: order.subtotalCents,
    taxCents: order.taxCents,
    totalCents: order.totalCents,
  };
}
