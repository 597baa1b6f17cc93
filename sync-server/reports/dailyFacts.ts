// What one store's business day adds to each report, read from its orders. The close-of-day job
// writes these rows into the day's summary once the day is over; reports read the same queries
// live for days without an up-to-date summary (today, and a day something reached late). One
// definition for both, so a day counts the same whichever way it is read.
//
// Each fact is a query over `days`, a relation of ("storeId", "businessDay") pairs, answering the
// columns of its summary table.

/** Ticket times are counted in buckets this wide... */
export const BUCKET_MS = 10_000;
/** ...up to 2 hours; the last bucket holds every ticket of 2 hours or more. */
export const OPEN_BUCKET = (2 * 3600_000) / BUCKET_MS;

/**
 * The orders of `days`, a day at a time through the store's (storeId, businessDay, number) key.
 * (OFFSET 0 keeps the planner from turning this into a join that reads every order.)
 */
const ordersOf = (days: string) =>
  `${days} AS d CROSS JOIN LATERAL (SELECT * FROM "Order" o WHERE o."storeId" = d."storeId" AND o."businessDay" = d."businessDay" OFFSET 0) o`;

/**
 * The rows of `table` that belong to the orders of the CTE `orders`, found in one pass over the
 * table's (orderId, …) key with every id at once: far cheaper than a look-up per order.
 */
const rowsOfOrders = (table: string) => `"${table}" WHERE "orderId" = ANY (ARRAY(SELECT id FROM orders))`;

export interface DailyFact {
  /** The summary table. */
  table: string;
  /** Its columns beyond "storeId" and "businessDay". */
  columns: readonly string[];
  /** The rows of `days`, read from their orders. */
  of(days: string): string;
}

/** Orders and sales by the hour on the store's own clock. */
export const HOUR_SALES: DailyFact = {
  table: 'DailyHourSales',
  columns: ['hour', 'currency', 'orders', 'salesCents'],
  of: (days) => `
    SELECT o."storeId", o."businessDay", extract(hour FROM o."placedAt" AT TIME ZONE s."timeZone")::int AS hour, o.currency,
           count(*)::int AS orders, sum(o."totalCents")::bigint AS "salesCents"
      FROM ${ordersOf(days)} JOIN "Store" s ON s.id = o."storeId"
     GROUP BY 1, 2, 3, 4`,
};

/** Orders and sales by how they were served and paid; `unknown` for kiosks from before either. */
export const ORDER_MIX: DailyFact = {
  table: 'DailyOrderMix',
  columns: ['currency', 'serviceMode', 'paymentMethod', 'orders', 'salesCents'],
  of: (days) => `
    SELECT o."storeId", o."businessDay", o.currency, COALESCE(o."serviceMode", 'unknown') AS "serviceMode",
           COALESCE(o.payment->>'method', 'unknown') AS "paymentMethod", count(*)::int AS orders, sum(o."totalCents")::bigint AS "salesCents"
      FROM ${ordersOf(days)}
     GROUP BY 1, 2, 3, 4, 5`,
};

/**
 * Each item's quantity and sales (its lines' totals, choices included) and its name (should a menu
 * rename it during the day, the name that sorts last).
 */
export const ITEM_SALES: DailyFact = {
  table: 'DailyItemSales',
  columns: ['itemId', 'currency', 'name', 'quantity', 'salesCents'],
  of: (days) => `
    WITH orders AS MATERIALIZED (SELECT o.id, o."storeId", o."businessDay", o.currency FROM ${ordersOf(days)})
    SELECT o."storeId", o."businessDay", l."itemId", o.currency, max(l.name) AS name,
           sum(l.quantity)::int AS quantity, sum(l."lineTotalCents")::bigint AS "salesCents"
      FROM (SELECT * FROM ${rowsOfOrders('OrderLine')}) l JOIN orders o ON o.id = l."orderId"
     GROUP BY 1, 2, 3, 4`,
};

/**
 * Ticket times, of whole orders (stationId '') and of each station's part: how many, their total,
 * the buckets that hold tickets, in order, and how many took up to each of them (`upTo`, running
 * along `buckets`; the last is all of them). A ticket starts when the order is placed,
 * or when a held counter order is paid (a held order not paid yet has no ticket). An order's
 * ticket ends when it was first made ready (its `readyAt`); a station's part when the last of its
 * lines was first bumped done (their `firstDoneAt`; a part with a line never bumped has no time
 * yet). The merge keeps both from the events as they arrive, so a day is read from its orders and
 * lines alone. A kitchen clock behind the kiosk's can make a time negative: it counts as 0.
 */
export const TICKET_TIMES: DailyFact = {
  table: 'DailyTicketTimes',
  columns: ['stationId', 'tickets', 'totalMs', 'buckets', 'upTo'],
  of: (days) => `
    WITH orders AS MATERIALIZED (
      SELECT o.id, o."storeId", o."businessDay", o."readyAt",
             CASE WHEN o.payment->>'method' = 'counter' AND (o.payment->>'held')::boolean THEN o."paidAt" ELSE o."placedAt" END AS "startedAt"
        FROM ${ordersOf(days)}
    ), took AS (
      SELECT "storeId", "businessDay", ''::text AS "stationId", "readyAt" - "startedAt" AS took FROM orders
      UNION ALL
      SELECT o."storeId", o."businessDay", s."stationId", s."doneAt" - o."startedAt"
        FROM orders o
        JOIN (SELECT "orderId", "stationId", max("firstDoneAt") AS "doneAt" FROM ${rowsOfOrders('OrderLine')} AND "stationId" IS NOT NULL
               GROUP BY 1, 2 HAVING count("firstDoneAt") = count(*)) s ON s."orderId" = o.id
    ), timed AS MATERIALIZED (
      SELECT "storeId", "businessDay", "stationId", ms, LEAST(ms / ${BUCKET_MS}, ${OPEN_BUCKET})::int AS bucket
        FROM (SELECT *, GREATEST(0, round(date_part('epoch', took) * 1000))::bigint AS ms FROM took WHERE took IS NOT NULL) t
    ), bucketed AS (
      SELECT "storeId", "businessDay", "stationId", bucket, count(*)::int AS tickets, sum(ms) AS ms FROM timed GROUP BY 1, 2, 3, 4
    )
    SELECT "storeId", "businessDay", "stationId", sum(tickets)::int AS tickets, sum(ms)::bigint AS "totalMs",
           array_agg(bucket ORDER BY bucket) AS buckets, array_agg("upTo" ORDER BY bucket) AS "upTo"
      FROM (SELECT *, sum(tickets) OVER (PARTITION BY "storeId", "businessDay", "stationId" ORDER BY bucket)::int AS "upTo" FROM bucketed) b
     GROUP BY 1, 2, 3`,
};

export const DAILY_FACTS = [HOUR_SALES, ORDER_MIX, ITEM_SALES, TICKET_TIMES] as const;

/**
 * A p90 (the 90th ticket in a hundred, nearest rank) found in `bucket`, as that bucket's upper
 * edge: at most one bucket (10 s) above the exact time; 7200 for 2 hours or more.
 */
export const p90SecondsOf = (bucket: number) => (Math.min(bucket + 1, OPEN_BUCKET) * BUCKET_MS) / 1000;
