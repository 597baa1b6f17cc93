// Head office's reports, computed in PostgreSQL: each day of each store is read from its summary
// when that is up to date (closeOfDay.ts), and from its orders otherwise (today; a day something
// reached late; a day before the first summary), through the same facts (dailyFacts.ts).
import type { ServerDb } from '../db/client';
import { AppError } from '../protocol/errors';
import { HOUR_SALES, ITEM_SALES, OPEN_BUCKET, ORDER_MIX, p90SecondsOf, TICKET_TIMES, type DailyFact } from './dailyFacts';
import { MAX_REPORT_DAYS, type ItemMix, type OrderMix, type ReportQuery, type SalesByDay, type SalesByHour, type TicketTimes } from './reportSchemas';

/** What a report covers: these stores, these business days (both included). */
export interface ReportScope {
  storeIds: string[];
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;

/**
 * The stores and days a report is asked for, as the admin may see them: every store they manage
 * unless they name some; a store they do not manage (or that does not exist) is not found.
 */
export async function reportScope(db: ServerDb, visible: ReadonlySet<string> | null, { from, to, storeIds }: ReportQuery): Promise<ReportScope> {
  const days = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
  if (days > MAX_REPORT_DAYS) {
    throw new AppError('REPORT_RANGE_TOO_LONG', `A report covers at most ${MAX_REPORT_DAYS} days, and ${from} to ${to} is ${days} days. Choose a shorter date range.`, 'to');
  }
  const asked = storeIds && [...new Set(storeIds)];
  const mine = asked ? asked.filter((id) => visible === null || visible.has(id)) : visible && [...visible];
  const stores = await db.store.findMany({ where: mine ? { id: { in: mine } } : {}, select: { id: true } });
  if (asked && stores.length < asked.length) {
    const found = new Set(stores.map((s) => s.id));
    const missing = asked.find((id) => !found.has(id))!;
    throw new AppError('STORE_NOT_FOUND', `There is no store ${missing}, or it is not yours to manage.`, 'storeIds');
  }
  return { storeIds: stores.map((s) => s.id), from, to };
}

/**
 * `select` over `fact`'s rows in the scope (as `t`), grouped by `groupBy` if given: once over the
 * summaries of the days that have an up-to-date one, once over the other days' orders (`live`).
 * Each part is added up on its own, where PostgreSQL knows the most about it; the caller adds up
 * the two.
 */
function factsOf(fact: DailyFact, select: string, groupBy?: string): string {
  const inScope = (table: string) => `${table}."storeId" = ANY($1::uuid[]) AND ${table}."businessDay" BETWEEN $2::char(10) AND $3::char(10)`;
  const grouped = groupBy ? ` GROUP BY ${groupBy}` : '';
  return `
    WITH live AS (
      SELECT s AS "storeId", to_char(d, 'YYYY-MM-DD')::char(10) AS "businessDay"
        FROM unnest($1::uuid[]) s, generate_series($2::date, $3::date, interval '1 day') d
      EXCEPT SELECT "storeId", "businessDay" FROM "DailySummary" d WHERE ${inScope('d')} AND "upToDate"
    )
    SELECT ${select} FROM "${fact.table}" t JOIN "DailySummary" d USING ("storeId", "businessDay")
     WHERE ${inScope('t')} AND d."upToDate"${grouped}
    UNION ALL
    SELECT ${select} FROM (${fact.of('live')}) t${grouped}`;
}

const read = <T>(db: ServerDb, sql: string, { storeIds, from, to }: ReportScope) => db.$queryRawUnsafe<T[]>(sql, storeIds, from, to);

const MONEY = `sum(t.orders) AS orders, sum(t."salesCents") AS sales`;

export async function salesByDay(db: ServerDb, scope: ReportScope): Promise<SalesByDay> {
  const rows = await read<SalesByDay['rows'][number]>(
    db,
    `SELECT day, currency, sum(orders)::int AS orders, sum(sales)::float8 AS "salesCents"
       FROM (${factsOf(ORDER_MIX, `t."businessDay" AS day, t.currency, ${MONEY}`, '1, 2')}) f GROUP BY 1, 2 ORDER BY 1, 2`,
    scope,
  );
  return { rows };
}

export async function salesByHour(db: ServerDb, scope: ReportScope): Promise<SalesByHour> {
  const rows = await read<SalesByHour['rows'][number]>(
    db,
    `SELECT hour, currency, sum(orders)::int AS orders, sum(sales)::float8 AS "salesCents"
       FROM (${factsOf(HOUR_SALES, `t.hour, t.currency, ${MONEY}`, '1, 2')}) f GROUP BY 1, 2 ORDER BY 1, 2`,
    scope,
  );
  return { rows };
}

export async function itemMix(db: ServerDb, scope: ReportScope): Promise<ItemMix> {
  // An item is named as the latest day named it (a menu may have renamed it since the range began).
  const rows = await read<ItemMix['rows'][number]>(
    db,
    `SELECT "itemId", (max(name))[2] AS name, sum(quantity)::int AS quantity, sum(sales)::float8 AS "salesCents", currency
       FROM (${factsOf(
         ITEM_SALES,
         `t."itemId", t.currency, max(ARRAY[t."businessDay"::text, t.name]) AS name, sum(t.quantity) AS quantity, sum(t."salesCents") AS sales`,
         '1, 2',
       )}) f
      GROUP BY "itemId", currency ORDER BY 3 DESC, 1, 5 LIMIT 50`,
    scope,
  );
  return { rows };
}

export async function orderMix(db: ServerDb, scope: ReportScope): Promise<OrderMix> {
  const rows = await read<{ serviceMode: string | null; paymentMethod: string | null; currency: string; orders: number; salesCents: number }>(
    db,
    `SELECT "serviceMode", "paymentMethod", currency, sum(orders)::int AS orders, sum(sales)::float8 AS "salesCents"
       FROM (${factsOf(ORDER_MIX, `t."serviceMode", t."paymentMethod", t.currency, ${MONEY}`, '1, 2, 3')}) f
      GROUP BY GROUPING SETS ((currency, "serviceMode"), (currency, "paymentMethod"))
      ORDER BY 1, 2, 3`,
    scope,
  );
  const money = ({ currency, orders, salesCents }: (typeof rows)[number]) => ({ currency, orders, salesCents });
  return {
    service: rows.filter((r) => r.serviceMode !== null).map((r) => ({ mode: r.serviceMode as OrderMix['service'][number]['mode'], ...money(r) })),
    payment: rows.filter((r) => r.paymentMethod !== null).map((r) => ({ method: r.paymentMethod as OrderMix['payment'][number]['method'], ...money(r) })),
  };
}

/** Halvings of the buckets 0 to OPEN_BUCKET that leave one. */
const HALVINGS = Math.ceil(Math.log2(OPEN_BUCKET + 1));

/**
 * The p90 of each group's tickets, by halving: how many tickets took at most bucket b only grows
 * with b, so each halving of the buckets where the 90th in a hundred may be asks every day of the
 * group how many took at most the middle one, and keeps the half that holds it. A day answers with
 * one number of its `upTo`, found by binary search in its `buckets` (width_bucket): ten halvings
 * read each day ten times, where adding up the days' histograms would read every bucket of every day.
 */
function p90Buckets(): string {
  const steps = [`p0 AS (SELECT key, 0 AS lo, ${OPEN_BUCKET} AS hi, ceil(0.9 * tickets) AS target FROM totals)`];
  for (let i = 1; i <= HALVINGS; i++) {
    steps.push(`p${i} AS (
       SELECT key, target, CASE WHEN "upTo" >= target THEN lo ELSE mid + 1 END AS lo, CASE WHEN "upTo" >= target THEN mid ELSE hi END AS hi
         FROM (SELECT p.key, p.lo, p.hi, p.target, (p.lo + p.hi) / 2 AS mid, sum(COALESCE(f."upTo"[width_bucket((p.lo + p.hi) / 2, f.buckets)], 0)) AS "upTo"
                 FROM p${i - 1} p JOIN facts f USING (key) GROUP BY 1, 2, 3, 4) halving
     )`);
  }
  return steps.join(',\n     ');
}

export async function ticketTimes(db: ServerDb, scope: ReportScope): Promise<TicketTimes> {
  // Groups: each store's whole orders (stationId ''), and each station over the stores asked about.
  const rows = await read<{ key: string; storeName: string | null; tickets: number; totalMs: number; p90Bucket: number }>(
    db,
    `WITH facts AS MATERIALIZED (${factsOf(
      TICKET_TIMES,
      `CASE WHEN t."stationId" = '' THEN 'store ' || t."storeId" ELSE 'station ' || t."stationId" END AS key, t.tickets, t."totalMs", t.buckets, t."upTo"`,
    )}),
     totals AS (SELECT key, sum(tickets) AS tickets, sum("totalMs") AS ms FROM facts GROUP BY key HAVING sum(tickets) > 0),
     ${p90Buckets()}
     SELECT t.key, s.name AS "storeName", t.tickets::int AS tickets, t.ms::float8 AS "totalMs", p.lo AS "p90Bucket"
       FROM totals t JOIN p${HALVINGS} p USING (key) LEFT JOIN "Store" s ON t.key = 'store ' || s.id
      ORDER BY s.name, t.key`,
    scope,
  );
  const times = (r: (typeof rows)[number]) => ({ orders: r.tickets, avgSeconds: Math.round(r.totalMs / r.tickets / 1000), p90Seconds: p90SecondsOf(r.p90Bucket) });
  const [stores, stations] = [rows.filter((r) => r.key.startsWith('store ')), rows.filter((r) => r.key.startsWith('station '))];
  return {
    stores: stores.map((r) => ({ storeId: r.key.slice('store '.length), storeName: r.storeName ?? '', ...times(r) })),
    stations: stations.map((r) => ({ stationId: r.key.slice('station '.length), ...times(r) })),
  };
}
