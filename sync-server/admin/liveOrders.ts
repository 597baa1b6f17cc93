// What head office's live orders page reads: the list it starts from (and reads again after a
// reconnect), and the feed's order changes turned into the small changes the `/admin` namespace
// pushes. The same rules as a kitchen display's: a held counter order starts when it is paid.
import type { z } from 'zod';
import type { ServerDb } from '../db/client';
import { businessDay } from '../protocol/businessDay';
import type { Change } from '../protocol/events';
import { detailsOf } from '../feed/snapshot';
import type { OrderRecord, OrderStatus, Payment } from '../protocol/orders';
import { kitchenSettingsOf } from '../protocol/settingsDefaults';
import type { LiveOrder, LiveOrderChange, LiveOrdersSchema } from './liveOrdersSchemas';

/** Orders one answer holds: more than any screen shows, few enough to send in a blink. */
export const MAX_LIVE_ORDERS = 1000;
/** Served orders stay on the page this long after they were handed over. */
export const SERVED_SHOWN_MINUTES = 30;

/** How the order is paid, as far as the kitchen cares. */
function livePaymentOf(payment: Payment | undefined): LiveOrder['payment'] {
  if (!payment) return null;
  if (payment.method === 'card') return { method: 'card', paid: true, held: false };
  return { method: 'counter', paid: payment.status === 'paid', held: payment.held };
}

/** When the kitchen started it: a held counter order when it was paid (null until then), any other when placed. */
function startedAtOf(placedAt: string, payment: Payment | undefined, paidAt: string | null): string | null {
  if (payment?.method !== 'counter' || !payment.held) return placedAt;
  return payment.status === 'paid' ? (paidAt ?? payment.paidAt ?? placedAt) : null;
}

export function liveOrderOf(storeId: string, order: OrderRecord): LiveOrder {
  return {
    id: order.id,
    storeId,
    number: order.number,
    businessDay: order.businessDay,
    placedAt: order.placedAt,
    status: order.status,
    statusHlc: order.statusHlc,
    startedAt: startedAtOf(order.placedAt, order.payment, null),
    payment: livePaymentOf(order.payment),
    service: order.service ?? null,
    currency: order.currency,
    totalCents: order.totalCents,
    lines: order.lines.map((l) => ({ lineNo: l.lineNo, name: l.name, quantity: l.quantity, done: l.state?.done ?? false, doneHlc: l.state?.hlc ?? null })),
  };
}

/** The order changes of one store's commit, made small; the feed's other changes are not head office's to watch here. */
export function liveChangesOf(storeId: string, changes: readonly Change[]): LiveOrderChange[] {
  return changes.flatMap((change): LiveOrderChange[] => {
    switch (change.kind) {
      case 'order.placed':
        return [{ kind: 'order.placed', order: liveOrderOf(storeId, change.order) }];
      case 'order.status':
        return [{ kind: 'order.status', orderId: change.orderId, status: change.status, hlc: change.hlc }];
      case 'order.paid':
        return [{ kind: 'order.paid', orderId: change.orderId, paidAt: change.paidAt }];
      case 'order.lines':
        return [{ kind: 'order.lines', orderId: change.orderId, lineNos: change.lineNos, done: change.done, hlc: change.hlc }];
      default:
        return [];
    }
  });
}

interface LiveOrderRow {
  id: string;
  storeId: string;
  number: string;
  businessDay: string;
  placedAt: Date;
  status: OrderStatus;
  statusHlc: string | null;
  paidAt: Date | null;
  payment: unknown;
  serviceMode: string | null;
  tableNumber: string | null;
  currency: string;
  totalCents: number;
  lines: LiveOrder['lines'];
}

/**
 * Each store's orders of its own business day today that are still open, and those served in the
 * last half hour (by the time of the bump that served them), oldest first. `storeIds` (null: every
 * store) are stores the caller may see, already checked.
 */
export async function readLiveOrders(
  db: ServerDb,
  storeIds: readonly string[] | null,
  now: Date,
): Promise<z.input<typeof LiveOrdersSchema>> {
  const stores = await db.store.findMany({
    where: storeIds === null ? {} : { id: { in: [...storeIds] } },
    select: { id: true, name: true, timeZone: true, kitchen: true },
    orderBy: { name: 'asc' },
  });
  const rows =
    stores.length === 0
      ? []
      : await db.$queryRawUnsafe<LiveOrderRow[]>(
          `SELECT o.id, o."storeId", o.number, o."businessDay", o."placedAt", o.status, o."statusHlc", o."paidAt", o.payment,
                  o."serviceMode", o."tableNumber", o.currency, o."totalCents",
                  (SELECT json_agg(json_build_object('lineNo', l."lineNo", 'name', l.name, 'quantity', l.quantity, 'done', l.done, 'doneHlc', l."doneHlc") ORDER BY l."lineNo")
                     FROM "OrderLine" l WHERE l."orderId" = o.id) AS lines
             FROM unnest($1::uuid[], $2::char(10)[]) AS today("storeId", day)
             JOIN "Order" o ON o."storeId" = today."storeId" AND o."businessDay" = today.day
            -- A clock's first 24 characters are its instant (hlc.ts): compared as time, not as text in some collation.
            WHERE o.status <> 'served' OR left(o."statusHlc", 24)::timestamptz > $3
            ORDER BY o."placedAt", o.id
            LIMIT $4`,
          stores.map((s) => s.id),
          stores.map((s) => businessDay(now, s.timeZone)),
          new Date(now.getTime() - SERVED_SHOWN_MINUTES * 60_000),
          MAX_LIVE_ORDERS + 1,
        );
  return {
    serverTime: now.toISOString(),
    stores: stores.map(({ kitchen, ...store }) => {
      const { warnMinutes, lateMinutes } = kitchenSettingsOf(kitchen);
      return { ...store, warnMinutes, lateMinutes };
    }),
    orders: rows.slice(0, MAX_LIVE_ORDERS).map((o) => {
      const { service, payment } = detailsOf({ ...o, locale: null });
      const placedAt = o.placedAt.toISOString();
      return {
        id: o.id,
        storeId: o.storeId,
        number: o.number,
        businessDay: o.businessDay,
        placedAt,
        status: o.status,
        statusHlc: o.statusHlc,
        startedAt: startedAtOf(placedAt, payment, o.paidAt?.toISOString() ?? null),
        payment: livePaymentOf(payment),
        service: service ?? null,
        currency: o.currency,
        totalCents: o.totalCents,
        lines: o.lines ?? [],
      };
    }),
    more: rows.length > MAX_LIVE_ORDERS,
  };
}
