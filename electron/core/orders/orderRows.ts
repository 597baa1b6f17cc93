// Orders in the terminal's SQLite: written in bulk, the same way for this kiosk's own orders and
// for orders arriving from the feed.
import type { OrderRecord, OrderStatus } from '../../../sync-server/protocol/orders';
import { bulkInsert } from '../db/bulkInsert';
import type { TerminalTx } from '../db/terminalDb';

export type SyncState = 'pending' | 'synced' | 'rejected';

const ORDER_COLUMNS = ['id', 'deviceId', 'number', 'businessDay', 'placedAt', 'menuVersionId', 'currency', 'subtotalCents', 'taxCents', 'totalCents', 'status', 'statusHlc', 'syncState'];
const LINE_COLUMNS = ['orderId', 'lineNo', 'itemId', 'name', 'quantity', 'unitPriceCents', 'lineTotalCents', 'modifiers'];

/** Inserts orders not already here; an order seen twice (own upload echoed, or a replay) is kept once. */
export async function insertOrders(tx: TerminalTx, orders: readonly OrderRecord[], syncState: SyncState): Promise<void> {
  await bulkInsert(
    tx,
    'Order',
    ORDER_COLUMNS,
    orders.map((o) => [o.id, o.deviceId, o.number, o.businessDay, o.placedAt, o.menuVersionId, o.currency, o.subtotalCents, o.taxCents, o.totalCents, o.status, o.statusHlc, syncState]),
    'ignore',
  );
  await bulkInsert(
    tx,
    'OrderLine',
    LINE_COLUMNS,
    orders.flatMap((o) => o.lines.map((l) => [o.id, l.lineNo, l.itemId, l.name, l.quantity, l.unitPriceCents, l.lineTotalCents, JSON.stringify(l.modifiers)])),
    'ignore',
  );
}

export interface StatusEvent {
  orderId: string;
  hlc: string;
  deviceId: string;
  status: OrderStatus;
}

/**
 * Records status events and lets each touched order take the status of its latest event by
 * hybrid logical clock. Idempotent and order-independent: the same events in any order, any
 * number of times, leave the same status (invariant 4). SQLite compares the clocks bytewise.
 */
export async function mergeStatusEvents(tx: TerminalTx, events: readonly StatusEvent[], alsoOrderIds: readonly string[] = []): Promise<void> {
  await bulkInsert(tx, 'OrderStatusEvent', ['orderId', 'hlc', 'deviceId', 'status'], events.map((e) => [e.orderId, e.hlc, e.deviceId, e.status]), 'ignore');
  const orderIds = [...new Set([...events.map((e) => e.orderId), ...alsoOrderIds])];
  if (orderIds.length === 0) return;
  await tx.$executeRawUnsafe(
    `UPDATE "Order" AS o SET status = w.status, statusHlc = w.hlc
       FROM (SELECT e.orderId, e.status, e.hlc FROM "OrderStatusEvent" e
               JOIN (SELECT orderId, MAX(hlc) AS hlc FROM "OrderStatusEvent"
                      WHERE orderId IN (SELECT value FROM json_each(?)) GROUP BY orderId) latest
                 ON e.orderId = latest.orderId AND e.hlc = latest.hlc) AS w
      WHERE o.id = w.orderId AND (o.statusHlc IS NULL OR w.hlc > o.statusHlc)`,
    JSON.stringify(orderIds),
  );
}

/** After a local event is withdrawn (the server refused it), the order falls back to the rest. */
export async function recomputeStatus(tx: TerminalTx, orderId: string): Promise<void> {
  const latest = await tx.orderStatusEvent.findFirst({ where: { orderId }, orderBy: { hlc: 'desc' } });
  await tx.order.updateMany({
    where: { id: orderId },
    data: latest ? { status: latest.status, statusHlc: latest.hlc } : { status: 'preparing', statusHlc: null },
  });
}
