import { businessDay } from '../protocol/businessDay';
import { AppError } from '../protocol/errors';
import { MAX_CLOCK_AHEAD_MS } from '../protocol/events';
import type { MenuIndex } from '../protocol/menu';
import { ORDER_MAX_AGE_MS, type OrderRecord, type OrderUpload, type Payment } from '../protocol/orders';
import { priceOrder, recordLines } from '../protocol/pricing';
import type { StoreRule } from '../stores/storeRules';

/** The kiosk an order comes from, as the server knows it. */
export interface Kiosk {
  id: string;
  orderPrefix: string | null;
}

const numberPatterns = new Map<string, RegExp>();
/** The numbers a kiosk may give its orders: its prefix, then its counter. */
function numbersOf(prefix: string): RegExp {
  let pattern = numberPatterns.get(prefix);
  if (!pattern) numberPatterns.set(prefix, (pattern = new RegExp(`^${prefix}\\d{3,6}$`)));
  return pattern;
}

/**
 * What a kiosk claims about an order, checked against what the server knows: the number comes from
 * the kiosk's own prefix, the order was placed at a time that can have been (a kiosk may have been
 * offline for weeks, but no clock runs ahead by more than the skew allowed), and its business day
 * is the store's date at that time.
 */
export function checkClaims(upload: OrderUpload, kiosk: Kiosk, timeZone: string, now: number): void {
  if (!kiosk.orderPrefix || !numbersOf(kiosk.orderPrefix).test(upload.number)) {
    throw new AppError('ORDER_NUMBER_NOT_YOURS', `Order numbers from this kiosk start with ${kiosk.orderPrefix ?? '(none)'}, not ${upload.number}.`, 'order.number');
  }
  const placedAt = Date.parse(upload.placedAt);
  if (placedAt > now + MAX_CLOCK_AHEAD_MS) {
    throw new AppError('ORDER_IN_FUTURE', `The order is dated ${upload.placedAt}, ahead of the server's clock. Set the kiosk's date and time.`, 'order.placedAt');
  }
  if (placedAt < now - ORDER_MAX_AGE_MS) {
    throw new AppError('ORDER_TOO_OLD', `The order is dated ${upload.placedAt}, more than ${ORDER_MAX_AGE_MS / 86_400_000} days ago.`, 'order.placedAt');
  }
  // The store's calendar names only days that exist, so 2026-02-30 fails here too.
  const day = businessDay(new Date(placedAt), timeZone);
  if (upload.businessDay !== day) {
    throw new AppError('BUSINESS_DAY_INVALID', `An order placed at ${upload.placedAt} belongs to the store's day ${day}, not ${upload.businessDay}.`, 'order.businessDay');
  }
}

/**
 * Checks an uploaded order under the store's rules as they are, then as they were (current first):
 * a kiosk offline across a change of tax or time zone priced and dated its orders under the rules
 * it knew. A refusal is the current rules'.
 */
export function checkUploadUnderAny(menu: MenuIndex, rules: readonly StoreRule[], upload: OrderUpload, kiosk: Kiosk, now: number): OrderRecord {
  let refusal: unknown;
  for (const rule of rules) {
    try {
      return checkUpload(menu, rule, upload, kiosk, now);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      refusal ??= error;
    }
  }
  throw refusal;
}

/**
 * Checks an uploaded order — what the kiosk claims, then every price, re-priced from its menu
 * version, since a terminal cannot make up prices — and returns it as the feed will carry it.
 */
export function checkUpload(menu: MenuIndex, store: StoreRule, upload: OrderUpload, kiosk: Kiosk, now: number): OrderRecord {
  checkClaims(upload, kiosk, store.timeZone, now);
  let priced;
  try {
    priced = priceOrder(menu, upload.lines, store);
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
  if (upload.payment) checkPayment(upload.payment, priced.totalCents);
  const { service, payment, locale } = upload;
  const record: OrderRecord = {
    id: upload.id,
    deviceId: kiosk.id,
    number: upload.number,
    businessDay: upload.businessDay,
    placedAt: new Date(upload.placedAt).toISOString(),
    menuVersionId: upload.menuVersionId,
    currency: priced.currency,
    lines: recordLines(menu, priced.lines),
    subtotalCents: priced.subtotalCents,
    taxCents: priced.taxCents,
    totalCents: priced.totalCents,
    status: 'preparing',
    statusHlc: null,
  };
  // Set one by one rather than spread into the literal, which makes a slow object (see recordLines).
  if (service) record.service = service;
  if (payment) record.payment = payment;
  if (locale) record.locale = locale;
  return record;
}

/**
 * A card pays exactly the order's total (what the server priced, not what the kiosk says). A
 * counter order arrives unpaid: staff take the money later, and say so with `order.paid`, so that
 * "paid" is always someone's act the feed records.
 */
function checkPayment(payment: Payment, totalCents: number): void {
  if (payment.method === 'card') {
    if (payment.amountCents !== totalCents) {
      throw new AppError('PAYMENT_MISMATCH', `The card paid ${payment.amountCents}, and the order's total is ${totalCents}. Refund the card payment and place the order again.`, 'order.payment.amountCents');
    }
    return;
  }
  if (payment.status !== 'unpaid' || payment.paidAt !== undefined) {
    throw new AppError('INVALID_PAYLOAD', 'A counter order is uploaded unpaid, without paidAt; staff mark it paid with order.paid.', 'order.payment.status');
  }
}
