// After a restore from a backup — of this terminal's file or of the server's database — the two
// sides disagree about what the server holds. The terminal asks which of its own recent orders the
// server holds and sends the rest again, so no order a customer was given a number for is lost.
import { MAX_HELD_QUERY } from '#protocol/events';
import { ORDER_MAX_AGE_MS } from '#protocol/orders';
import type { LocalSql } from '../db/localSql';
import { readOrders, uploadOf } from '../orders/orderRows';
import { enqueue } from './outbox';

/** This device's orders it believes the server holds, placed recently enough to be sent again. */
export function ownSyncedOrders(sql: LocalSql, deviceId: string, now: number): string[] {
  const since = new Date(now - ORDER_MAX_AGE_MS).toISOString();
  return sql.all<{ id: string }>(`SELECT id FROM "Order" WHERE deviceId = ? AND syncState = 'synced' AND placedAt >= ? ORDER BY id`, deviceId, since).map((o) => o.id);
}

/** Puts orders the server turned out not to hold back into the outbox, as they were placed. */
export function sendAgain(sql: LocalSql, orderIds: readonly string[]): number {
  if (orderIds.length === 0) return 0;
  return sql.transaction(() => {
    const orders = readOrders(sql, orderIds);
    for (const order of orders) {
      sql.run(`UPDATE "Order" SET syncState = 'pending' WHERE id = ?`, order.id);
      enqueue(sql, { kind: 'order.place', order: uploadOf(order) });
    }
    return orders.length;
  });
}

/** Splits ids into the pages one `orders:held` request may ask about. */
export function heldQueries(orderIds: readonly string[]): string[][] {
  const pages: string[][] = [];
  for (let i = 0; i < orderIds.length; i += MAX_HELD_QUERY) pages.push(orderIds.slice(i, i + MAX_HELD_QUERY));
  return pages;
}
