// Orders in the terminal's SQLite: written the same way for this kiosk's own orders and for orders
// arriving from the feed, inside the caller's write transaction.
import type { OrderRecord, OrderStatus, OrderUpload, Payment, ServiceMode } from '#protocol/orders';
import type { LocalSql } from '../db/localSql';

export type SyncState = 'pending' | 'synced' | 'rejected';

/** Inserts orders not already here; an order seen twice (own upload echoed, or a replay) is kept once. */
export function insertOrders(sql: LocalSql, orders: readonly OrderRecord[], syncState: SyncState): void {
  for (const o of orders) {
    const { changes } = sql.run(
      `INSERT OR IGNORE INTO "Order" (id, deviceId, number, businessDay, placedAt, menuVersionId, currency, subtotalCents, taxCents, totalCents, status, statusHlc, syncState,
         serviceMode, tableNumber, locale, payment, awaitingPayment)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
      o.service?.mode ?? null,
      o.service?.table ?? null,
      o.locale ?? null,
      o.payment ? JSON.stringify(o.payment) : null,
      isAwaitingPayment(o.payment) ? 1 : 0,
    );
    if (changes === 0) continue;
    for (const l of o.lines) {
      sql.run(
        `INSERT INTO OrderLine (orderId, lineNo, itemId, name, quantity, unitPriceCents, lineTotalCents, modifiers, stationId, prepSeconds, done, doneHlc)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        o.id,
        l.lineNo,
        l.itemId,
        l.name,
        l.quantity,
        l.unitPriceCents,
        l.lineTotalCents,
        JSON.stringify(l.modifiers),
        l.stationId ?? null,
        l.prepSeconds ?? null,
        l.state?.done ? 1 : 0,
        l.state?.hlc ?? null,
      );
    }
  }
}

/** A held counter order, not paid yet: the kitchen does not start it. */
const isAwaitingPayment = (payment: Payment | undefined) => payment?.method === 'counter' && payment.held && payment.status === 'unpaid';

/** Staff took the money for a counter order: it is paid, and a held one goes to the kitchen. Idempotent. */
export function markPaid(sql: LocalSql, orderId: string, paidAt: string): boolean {
  const row = sql.get<{ payment: string | null }>('SELECT payment FROM "Order" WHERE id = ?', orderId);
  const payment = row?.payment ? (JSON.parse(row.payment) as Payment) : null;
  if (payment?.method !== 'counter' || payment.status === 'paid') return false;
  sql.run('UPDATE "Order" SET payment = ?, awaitingPayment = 0 WHERE id = ?', JSON.stringify({ ...payment, status: 'paid', paidAt }), orderId);
  return true;
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

export interface LineEvent {
  orderId: string;
  lineNo: number;
  hlc: string;
  deviceId: string;
  done: boolean;
}

/**
 * Records stations' bumps of lines and lets each line take the state of its latest one by hybrid
 * logical clock: the same rule as an order's status, so idempotent and order-independent.
 */
export function mergeLineEvents(sql: LocalSql, events: readonly LineEvent[]): void {
  for (const e of events) {
    const { changes } = sql.run('INSERT OR IGNORE INTO LineStatusEvent (orderId, lineNo, hlc, deviceId, done) VALUES (?, ?, ?, ?, ?)', e.orderId, e.lineNo, e.hlc, e.deviceId, e.done ? 1 : 0);
    if (changes === 1) setLineState(sql, e.orderId, e.lineNo, e.done, e.hlc);
  }
}

/** A line's state, if `hlc` is later than the one it has (a snapshot's state, or a bump's). */
export function setLineState(sql: LocalSql, orderId: string, lineNo: number, done: boolean, hlc: string): void {
  sql.run('UPDATE OrderLine SET done = ?, doneHlc = ? WHERE orderId = ? AND lineNo = ? AND (doneHlc IS NULL OR doneHlc < ?)', done ? 1 : 0, hlc, orderId, lineNo, hlc);
}

/** Orders that arrive after some of their lines' bumps take the latest of each. Takes the ids as a JSON array. */
export function catchUpLines(sql: LocalSql, orderIdsJson: string): void {
  const events = sql.all<{ orderId: string; lineNo: number; hlc: string; done: number }>(
    `SELECT orderId, lineNo, max(hlc) AS hlc, done FROM LineStatusEvent WHERE orderId IN (SELECT value FROM json_each(?)) GROUP BY orderId, lineNo`,
    orderIdsJson,
  );
  for (const e of events) setLineState(sql, e.orderId, e.lineNo, e.done === 1, e.hlc);
}

/** After a local bump is withdrawn (the server refused it), each of its lines falls back to the rest. */
export function recomputeLines(sql: LocalSql, orderId: string, lineNos: readonly number[]): void {
  for (const lineNo of lineNos) {
    const latest = sql.get<{ done: number; hlc: string }>('SELECT done, hlc FROM LineStatusEvent WHERE orderId = ? AND lineNo = ? ORDER BY hlc DESC LIMIT 1', orderId, lineNo);
    sql.run('UPDATE OrderLine SET done = ?, doneHlc = ? WHERE orderId = ? AND lineNo = ?', latest?.done ?? 0, latest?.hlc ?? null, orderId, lineNo);
  }
}

/**
 * This device's own orders coming back from the server (through the feed or a snapshot) move its
 * daily counters past their numbers. A terminal restored from a backup so learns the numbers it
 * handed out after the backup was taken, and does not hand them out again.
 */
export function advanceNumberCounters(sql: LocalSql, orders: readonly OrderRecord[], deviceId: string): void {
  for (const order of orders) {
    if (order.deviceId !== deviceId) continue;
    const counter = Number(/\d+$/.exec(order.number)?.[0] ?? 0);
    sql.run(
      'INSERT INTO OrderNumberCounter (businessDay, last) VALUES (?, ?) ON CONFLICT (businessDay) DO UPDATE SET last = max(last, excluded.last)',
      order.businessDay,
      counter,
    );
  }
}

/** An order as its kiosk uploads it: the choices and the prices the server checks. */
export function uploadOf(order: OrderRecord): OrderUpload {
  return {
    id: order.id,
    number: order.number,
    businessDay: order.businessDay,
    placedAt: order.placedAt,
    menuVersionId: order.menuVersionId,
    lines: order.lines.map((l) => ({
      itemId: l.itemId,
      quantity: l.quantity,
      optionIds: l.modifiers.map((m) => m.optionId),
      unitPriceCents: l.unitPriceCents,
      lineTotalCents: l.lineTotalCents,
    })),
    subtotalCents: order.subtotalCents,
    taxCents: order.taxCents,
    totalCents: order.totalCents,
    ...detailsOf(order),
  };
}

/** What an order carries beyond its lines and money, when it has it. */
const detailsOf = ({ service, payment, locale }: Pick<OrderRecord, 'service' | 'payment' | 'locale'>) => ({
  ...(service ? { service } : {}),
  ...(payment ? { payment } : {}),
  ...(locale ? { locale } : {}),
});

/** Orders read back from SQLite as the feed carries them. */
export function readOrders(sql: LocalSql, ids: readonly string[]): OrderRecord[] {
  const json = JSON.stringify(ids);
  const lines = new Map<string, OrderRecord['lines']>();
  for (const l of sql.all<OrderRecord['lines'][number] & { orderId: string; modifiers: string }>(
    'SELECT orderId, lineNo, itemId, name, quantity, unitPriceCents, lineTotalCents, modifiers, stationId, prepSeconds FROM OrderLine WHERE orderId IN (SELECT value FROM json_each(?)) ORDER BY orderId, lineNo',
    json,
  )) {
    const { orderId, stationId, prepSeconds, ...line } = l;
    const kitchen = { ...(stationId ? { stationId } : {}), ...(prepSeconds !== null && prepSeconds !== undefined ? { prepSeconds } : {}) };
    lines.set(orderId, [...(lines.get(orderId) ?? []), { ...line, ...kitchen, modifiers: JSON.parse(l.modifiers) as OrderRecord['lines'][number]['modifiers'] }]);
  }
  return sql
    .all<Omit<OrderRecord, 'lines' | 'service' | 'payment' | 'locale'> & { serviceMode: ServiceMode | null; tableNumber: string | null; locale: string | null; payment: string | null }>(
      `SELECT id, deviceId, number, businessDay, placedAt, menuVersionId, currency, subtotalCents, taxCents, totalCents, status, statusHlc,
              serviceMode, tableNumber, locale, payment
         FROM "Order" WHERE id IN (SELECT value FROM json_each(?))`,
      json,
    )
    .map(({ serviceMode, tableNumber, locale, payment, ...o }) => ({
      ...o,
      placedAt: new Date(o.placedAt).toISOString(),
      status: o.status as OrderStatus,
      lines: lines.get(o.id) ?? [],
      ...detailsOf({
        service: serviceMode ? { mode: serviceMode, ...(tableNumber ? { table: tableNumber } : {}) } : undefined,
        payment: payment ? (JSON.parse(payment) as Payment) : undefined,
        locale: locale ?? undefined,
      }),
    }));
}
