// Orders in the terminal's SQLite: written the same way for this kiosk's own orders and for orders
// arriving from the feed, inside the caller's write transaction.
import type { OrderRecord, OrderStatus } from '../../../sync-server/protocol/orders';
import type { LocalSql } from '../db/localSql';

export type SyncState = 'pending' | 'synced' | 'rejected';

/** Inserts orders not already here; an order seen twice (own upload echoed, or a replay) is kept once. */
export function insertOrders(sql: LocalSql, orders: readonly OrderRecord[], syncState: SyncState): void {
  for (const o of orders) {
    const { changes } = sql.run(
      `INSERT OR IGNORE INTO "Order" (id, deviceId, number, businessDay, placedAt, menuVersionId, currency, subtotalCents, taxCents, totalCents, status, statusHlc, syncState)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      o.id,
      o.deviceId,
      o.number,
      o.businessDay,
      o.placedAt,
      o.menuVersionId,
      o.currency,
      o.subtotalCents,
      o.taxCents,
      o.totalCents,
      o.status,
      o.statusHlc,
      syncState,
    );
    if (changes === 0) continue;
    for (const l of o.lines) {
      sql.run(
        'INSERT INTO OrderLine (orderId, lineNo, itemId, name, quantity, unitPriceCents, lineTotalCents, modifiers) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        o.id,
        l.lineNo,
        l.itemId,
        l.name,
        l.quantity,
        l.unitPriceCents,
        l.lineTotalCents,
        JSON.stringify(l.modifiers),
      );
    }
  }
}

export interface StatusEvent {
  orderId: string;
  hlc: string;
  deviceId: string;
  status: OrderStatus;
}

/**
 * Records status events and lets each order take the status of its latest event by hybrid logical
 * clock. Idempotent and order-independent: the same events in any order, any number of times,
 * leave the same status (invariant 4). SQLite compares the clocks bytewise.
 */
export function mergeStatusEvents(sql: LocalSql, events: readonly StatusEvent[]): void {
  for (const e of events) {
    const { changes } = sql.run('INSERT OR IGNORE INTO OrderStatusEvent (orderId, hlc, deviceId, status) VALUES (?, ?, ?, ?)', e.orderId, e.hlc, e.deviceId, e.status);
    if (changes === 1) sql.run('UPDATE "Order" SET status = ?, statusHlc = ? WHERE id = ? AND (statusHlc IS NULL OR statusHlc < ?)', e.status, e.hlc, e.orderId, e.hlc);
  }
}

/**
 * Orders that arrive after some of their status events (by another path than the feed) take the
 * status of the latest one they already have. Takes the ids as a JSON array.
 */
export function catchUpStatuses(sql: LocalSql, orderIdsJson: string): void {
  const events = sql.all<StatusEvent>(
    'SELECT orderId, hlc, deviceId, status FROM OrderStatusEvent WHERE orderId IN (SELECT value FROM json_each(?)) ORDER BY orderId, hlc DESC',
    orderIdsJson,
  );
  let previous = '';
  for (const e of events) {
    if (e.orderId === previous) continue; // only the latest of each order
    previous = e.orderId;
    sql.run('UPDATE "Order" SET status = ?, statusHlc = ? WHERE id = ? AND (statusHlc IS NULL OR statusHlc < ?)', e.status, e.hlc, e.orderId, e.hlc);
  }
}

/** After a local event is withdrawn (the server refused it), the order falls back to the rest. */
export function recomputeStatus(sql: LocalSql, orderId: string): void {
  const latest = sql.get<{ status: string; hlc: string }>('SELECT status, hlc FROM OrderStatusEvent WHERE orderId = ? ORDER BY hlc DESC LIMIT 1', orderId);
  sql.run('UPDATE "Order" SET status = ?, statusHlc = ? WHERE id = ?', latest?.status ?? 'preparing', latest?.hlc ?? null, orderId);
}
