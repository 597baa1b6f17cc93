// Live orders, as head office watches them: the list a page starts from (GET /api/live-orders) and
// the changes the `/admin` Socket.IO namespace pushes after each commit. Small on purpose: a line's
// name, quantity and bump, never its modifiers or prices. The admin app parses every push with
// these schemas before it trusts it.
import { z } from 'zod';
import { BusinessDaySchema, HlcSchema, MAX_WIRE_LINES, OrderIdSchema, OrderNumberSchema, OrderStatusSchema, ServiceSchema } from '../protocol/orders';

export const ADMIN_NAMESPACE = '/admin';
/** Stores one request may name, more than any chain a page filters by. */
const MAX_STORES = 1000;

/** `storeIds=<uuid>,<uuid>`: the stores asked about; left out, every store the caller may see. */
export const StoreIdsParam = z
  .string()
  .max(MAX_STORES * 37)
  .transform((list) => list.split(','))
  .pipe(z.array(z.uuid('a comma-separated list of store ids')).min(1).max(MAX_STORES))
  .transform((ids) => [...new Set(ids)]);
export const LiveOrdersQuerySchema = z.strictObject({ storeIds: StoreIdsParam.optional() });

const Instant = z.iso.datetime({ offset: true });
const LiveLineSchema = z.object({
  lineNo: z.int().min(1),
  /** As the order was placed: the menu's default language. */
  name: z.string(),
  quantity: z.int().min(1),
  /** Its station has made it (last-writer-wins by `doneHlc`, as on the kitchen displays). */
  done: z.boolean(),
  doneHlc: HlcSchema.nullable(),
});
/** How an order is paid, as far as the kitchen cares: a held counter order waits for its money. */
const LivePaymentSchema = z.object({ method: z.enum(['card', 'counter']), paid: z.boolean(), held: z.boolean() });

export const LiveOrderSchema = z.object({
  id: OrderIdSchema,
  storeId: z.uuid(),
  number: OrderNumberSchema,
  businessDay: BusinessDaySchema,
  placedAt: Instant,
  status: OrderStatusSchema,
  /** Clock of the bump that set `status` (its first 24 characters are when); null until the first. */
  statusHlc: HlcSchema.nullable(),
  /** When the kitchen started it: when placed, or when paid for a held counter order; null while it waits for the money. */
  startedAt: Instant.nullable(),
  /** Null for orders from kiosks before payments. */
  payment: LivePaymentSchema.nullable(),
  service: ServiceSchema.nullable(),
  currency: z.string().length(3),
  totalCents: z.int(),
  lines: z.array(LiveLineSchema).max(MAX_WIRE_LINES),
});
export type LiveOrder = z.output<typeof LiveOrderSchema>;

/** A store as the live page needs it: its name, its clock and when its tickets run late. */
export const LiveStoreSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  timeZone: z.string(),
  /** Minutes after the kitchen started an order when it is late (amber at `warnMinutes`): the store's kitchen settings. */
  warnMinutes: z.int(),
  lateMinutes: z.int(),
});
export const LiveOrdersSchema = z.object({
  /** The server's clock when it answered, so the page can time orders by it rather than by its own. */
  serverTime: Instant,
  stores: z.array(LiveStoreSchema),
  /** Each store's orders of its business day today that are not served yet, and those served in the last half hour; oldest first. */
  orders: z.array(LiveOrderSchema),
  /** More orders matched than one answer holds: the newest are left out. */
  more: z.boolean(),
});

/** What changed, as the feed committed it: one of the feed's order changes, made small. */
export const LiveOrderChangeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('order.placed'), order: LiveOrderSchema }),
  /** A bump; the newest clock wins, so one that arrives late may change nothing. */
  z.object({ kind: z.literal('order.status'), orderId: OrderIdSchema, status: OrderStatusSchema, hlc: HlcSchema }),
  /** Staff took a counter order's money; a held one starts now. */
  z.object({ kind: z.literal('order.paid'), orderId: OrderIdSchema, paidAt: Instant }),
  /** A station bumped (or recalled) lines; each line's newest clock wins. */
  z.object({ kind: z.literal('order.lines'), orderId: OrderIdSchema, lineNos: z.array(z.int().min(1)).min(1).max(MAX_WIRE_LINES), done: z.boolean(), hlc: HlcSchema }),
]);
export type LiveOrderChange = z.output<typeof LiveOrderChangeSchema>;
/** The `orders:changes` event: one store's order changes of one commit, in feed order. */
export const LiveOrderChangesSchema = z.object({ storeId: z.uuid(), changes: z.array(LiveOrderChangeSchema).min(1) });
export type LiveOrderChanges = z.output<typeof LiveOrderChangesSchema>;

export interface AdminServerEvents {
  'orders:changes': (batch: LiveOrderChanges) => void;
}
