// Orders on the wire: as the placing kiosk uploads them, and as the feed hands them to every
// terminal of the store.
import { z } from 'zod';
import { UUID_V7 } from './ids';
import { Locale, MenuId } from './menu';

export const ORDER_STATUSES = ['preparing', 'ready', 'served'] as const;
export const OrderStatusSchema = z.enum(ORDER_STATUSES);
export type OrderStatus = z.output<typeof OrderStatusSchema>;

export const OrderIdSchema = z.string().regex(UUID_V7, 'a UUIDv7');
export const HlcSchema = z.string().max(80).regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z-[0-9a-f]{4}-[0-9a-f-]{36}$/, 'a hybrid logical clock');
export const BusinessDaySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
/** Device prefix letter(s) and the day's counter: A001, B042, AB1234. */
export const OrderNumberSchema = z.string().regex(/^[A-Z]{1,2}\d{3,6}$/, 'a prefix and a counter such as A042');
const Cents = z.int().min(0).max(1_000_000_000);
/**
 * How long after it was placed an order may still reach the server: a kiosk may be offline for
 * weeks (a link down over a holiday) and still deliver what it sold.
 */
export const ORDER_MAX_AGE_MS = 30 * 24 * 3600_000;
/** Schema bounds keep payloads small; the domain rules (pricing.ts) give the precise errors. */
export const MAX_WIRE_LINES = 200;

/** Eaten in the store or taken away; an eat-in customer may give the number of the table tent they took. */
export const SERVICE_MODES = ['eat-in', 'takeaway'] as const;
export const ServiceModeSchema = z.enum(SERVICE_MODES);
export type ServiceMode = z.output<typeof ServiceModeSchema>;
export const TableNumberSchema = z.string().regex(/^[0-9A-Z]{1,4}$/, 'a table number such as 12');
export const ServiceSchema = z.strictObject({ mode: ServiceModeSchema, table: TableNumberSchema.optional() });
export type Service = z.output<typeof ServiceSchema>;

/**
 * How an order is paid. A card payment is uploaded only once the card terminal approved it, with
 * the id the kiosk chose for the transaction before asking for it (so a retry can never charge
 * twice). A counter order is paid to staff: it goes to the kitchen unpaid, or is `held` until
 * staff take the money (`order.paid`).
 */
export const PaymentSchema = z.discriminatedUnion('method', [
  z.strictObject({
    method: z.literal('card'),
    status: z.literal('paid'),
    /** The payment provider of the kiosk, e.g. `card-terminal`. */
    provider: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/),
    transactionId: z.uuid(),
    /** The terminal's or acquirer's own reference, for a refund or a dispute. */
    reference: z.string().min(1).max(80),
    amountCents: Cents,
    cardBrand: z.string().max(20).optional(),
    last4: z.string().regex(/^\d{4}$/).optional(),
    paidAt: z.iso.datetime(),
    /** Card attempts declined, timed out or cancelled before the approved one. */
    failedAttempts: z.int().min(0).max(1000),
  }),
  z.strictObject({
    method: z.literal('counter'),
    status: z.enum(['unpaid', 'paid']),
    /** The kitchen waits until staff have taken the payment. */
    held: z.boolean(),
    paidAt: z.iso.datetime().optional(),
  }),
]);
export type Payment = z.output<typeof PaymentSchema>;

/** What terminals that name `order.paid` in their handshake also read of an order. */
const orderDetails = {
  service: ServiceSchema.optional(),
  payment: PaymentSchema.optional(),
  /** The customer's language: their receipt is written in it. */
  locale: Locale.optional(),
};

export const UploadedLineSchema = z.strictObject({
  itemId: MenuId,
  quantity: z.int(),
  optionIds: z.array(MenuId).max(40),
  unitPriceCents: z.int(),
  lineTotalCents: z.int(),
});

/** An order as its kiosk uploads it: choices and the prices the kiosk computed, which the server checks. */
export const OrderUploadSchema = z.strictObject({
  id: OrderIdSchema,
  number: OrderNumberSchema,
  businessDay: BusinessDaySchema,
  placedAt: z.iso.datetime(),
  menuVersionId: z.uuid(),
  lines: z.array(UploadedLineSchema).max(MAX_WIRE_LINES),
  subtotalCents: z.int(),
  taxCents: z.int(),
  totalCents: z.int(),
  ...orderDetails,
});
export type OrderUpload = z.output<typeof OrderUploadSchema>;

export const PricedModifierSchema = z.strictObject({
  groupId: MenuId,
  groupName: z.string().max(80),
  optionId: MenuId,
  name: z.string().max(80),
  priceDeltaCents: z.int(),
});

export const PricedLineSchema = z.strictObject({
  lineNo: z.int().min(1),
  itemId: MenuId,
  name: z.string().max(80),
  quantity: z.int().min(1),
  unitPriceCents: z.int(),
  lineTotalCents: z.int(),
  modifiers: z.array(PricedModifierSchema).max(40),
});

/** A line's bump: whether its station has made it, and the clock of the bump that said so. */
export const LineStateSchema = z.strictObject({ done: z.boolean(), hlc: HlcSchema });
export type LineState = z.output<typeof LineStateSchema>;

/**
 * What a kitchen reads of a line, for terminals that name `order.lines`: where it is made and how
 * long it takes (copied from the menu when the order was placed, like its name and price), and its
 * bump (absent until a station bumps it).
 */
export const RecordLineSchema = PricedLineSchema.extend({
  stationId: MenuId.optional(),
  prepSeconds: z.int().min(0).max(3600).optional(),
  state: LineStateSchema.optional(),
});
export type RecordLine = z.output<typeof RecordLineSchema>;

/** An order as the store's feed carries it: names and prices copied from the menu when it was placed. */
export const OrderRecordSchema = z.strictObject({
  id: OrderIdSchema,
  deviceId: z.uuid(),
  number: OrderNumberSchema,
  businessDay: BusinessDaySchema,
  placedAt: z.iso.datetime(),
  menuVersionId: z.uuid(),
  currency: z.string().length(3),
  lines: z.array(RecordLineSchema).max(MAX_WIRE_LINES),
  subtotalCents: Cents,
  taxCents: Cents,
  totalCents: Cents,
  status: OrderStatusSchema,
  /**
   * Clock of the status change that set `status`; null while the order still has the status it
   * was placed with. Placing is not a timed status event, so a kiosk's clock never decides a bump.
   */
  statusHlc: HlcSchema.nullable(),
  ...orderDetails,
});
export type OrderRecord = z.output<typeof OrderRecordSchema>;
