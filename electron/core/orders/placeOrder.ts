import { businessDay } from '#protocol/businessDay';
import { formatMoney } from '#protocol/money';
import { AppError } from '#protocol/errors';
import { uuidv7 } from '#protocol/ids';
import type { OrderRecord, Payment } from '#protocol/orders';
import { priceOrder, recordLines } from '#protocol/pricing';
import { receiptUrl } from '#protocol/receiptLink';
import type { PlacedOrder, PlaceOrderInput } from '../api/contract';
import { profileOf, taxPolicyOf, type CoreContext, type Profile } from '../context';
import type { LocalSql } from '../db/localSql';
import { kioskSettingsOf } from '../deviceSettings';
import { publishToPeers } from '../peers/peerFeed';
import { enqueue } from '../sync/outbox';
import { insertOrders, uploadOf } from './orderRows';

/** An order priced and checked, ready to be numbered: what a kiosk has before it is placed or paid for. */
export interface PricedRequest {
  profile: Profile & { orderPrefix: string };
  build(sql: LocalSql, now: Date): OrderRecord;
}

/**
 * Prices a kiosk order from the menu the customer ordered from, and refuses it the way the customer
 * must hear (a price that changed, a menu gone). `build` numbers it inside the caller's transaction.
 */
export async function priceRequest(ctx: CoreContext, input: PlaceOrderInput): Promise<PricedRequest> {
  const profile = profileOf(ctx);
  const prefix = profile.orderPrefix;
  if (!prefix) throw new AppError('FORBIDDEN_FOR_ROLE', 'This kiosk has no order prefix. Ask head office to re-register it.');
  const menu = await ctx.menus.index(input.menuVersionId, profile.storeId);
  if (!menu) throw new AppError('MENU_VERSION_UNKNOWN', 'This menu is no longer on the kiosk. Please start your order again.', 'menuVersionId');
  const priced = priceOrder(menu, input.lines, taxPolicyOf(profile));
  if (priced.totalCents !== input.expectedTotalCents) {
    throw new AppError('PRICE_MISMATCH', `The total is now ${formatMoney(priced.totalCents, priced.currency, 'en')}. Please check your order.`, 'expectedTotalCents');
  }
  const { service, locale } = input;
  return {
    profile: { ...profile, orderPrefix: prefix },
    build(sql, now) {
      // Checked inside the transaction: a sold-out toggle applied a moment ago counts.
      const soldOut = priced.lines.find((l) => sql.get('SELECT 1 FROM ItemAvailability WHERE itemId = ? AND available = 0', l.itemId));
      if (soldOut) throw new AppError('ITEM_SOLD_OUT', `Sorry, ${soldOut.name} has just sold out. Please remove it from your order.`, `lines[${soldOut.lineNo - 1}]`);
      const day = businessDay(now, profile.timeZone);
      const { last } = sql.get<{ last: number }>(
        'INSERT INTO OrderNumberCounter (businessDay, last) VALUES (?, 1) ON CONFLICT (businessDay) DO UPDATE SET last = last + 1 RETURNING last',
        day,
      )!;
      return {
        id: uuidv7(now.getTime()),
        deviceId: profile.deviceId,
        number: `${prefix}${String(last).padStart(3, '0')}`,
        businessDay: day,
        placedAt: now.toISOString(),
        menuVersionId: menu.versionId,
        currency: priced.currency,
        lines: recordLines(menu, priced.lines),
        subtotalCents: priced.subtotalCents,
        taxCents: priced.taxCents,
        totalCents: priced.totalCents,
        status: 'preparing',
        statusHlc: null,
        ...(service ? { service } : {}),
        ...(locale ? { locale } : {}),
      };
    },
  };
}

/** Puts a numbered, paid-for (or pay-at-counter) order in this store's kitchens and in the outbox, in the caller's transaction. */
export function sendToKitchen(sql: LocalSql, order: OrderRecord): void {
  insertOrders(sql, [order], 'pending');
  enqueue(sql, { kind: 'order.place', order: uploadOf(order) });
  publishToPeers(sql, { kind: 'order.placed', order });
}

/** How an order paid at the counter is placed in this store, or the refusal when it does not take payment there. */
export function counterPayment(ctx: CoreContext): Payment {
  const setting = kioskSettingsOf(ctx.settings()).counterPayment;
  if (setting === 'off') throw new AppError('COUNTER_PAYMENT_OFF', 'This store takes payment by card only.');
  return { method: 'counter', status: 'unpaid', held: setting === 'hold' };
}

/** What the kiosk shows of an order it placed, with the link its receipt's QR code carries. */
export function placedView(ctx: CoreContext, order: OrderRecord): PlacedOrder {
  const { serverUrl, receiptKey } = ctx.settings();
  return {
    id: order.id,
    number: order.number,
    currency: order.currency,
    lines: order.lines,
    subtotalCents: order.subtotalCents,
    taxCents: order.taxCents,
    totalCents: order.totalCents,
    payment: order.payment ?? null,
    receiptUrl: receiptKey ? receiptUrl(serverUrl, receiptKey, order.deviceId, order.id) : null,
  };
}

/**
 * Places a kiosk order to be paid at the counter. It is numbered from this kiosk's own counter
 * (its prefix makes the number unique in the store, offline or not), and written with its outbox
 * entry in one local transaction before the customer sees the number. Per the store's setting it
 * goes to the kitchen unpaid, or waits there until staff have taken the money.
 */
export async function placeOrder(ctx: CoreContext, input: PlaceOrderInput, onPlaced: (order: OrderRecord) => void = () => {}): Promise<PlacedOrder> {
  const request = await priceRequest(ctx, input);
  const payment = counterPayment(ctx);
  const now = new Date(ctx.clock().now());
  const order = ctx.write.transaction(() => {
    const record = { ...request.build(ctx.write, now), payment };
    sendToKitchen(ctx.write, record);
    return record;
  });
  ctx.emit({ type: 'orders' });
  ctx.outboxChanged();
  onPlaced(order);
  return placedView(ctx, order);
}
