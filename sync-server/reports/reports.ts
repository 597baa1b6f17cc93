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
 * The days of the scope read from their orders: those without an up-to-date summary (today; a
 * day that something reached late; a day before the first summary).
 */
const LIVE_DAYS = `
  SELECT s AS "storeId", to_char(d, 'YYYY-MM-DD') AS "businessDay"
    FROM unnest($1::uuid[]) s, generate_series($2::date, $3::date, interval '1 day') d
  EXCEPT SELECT "storeId", "businessDay" FROM "DailySummary" WHERE "storeId" = ANY($1::uuid[]) AND "businessDay" BETWEEN $2::char(10) AND $3::char(10) AND "upToDate"`;

/**
 * `select` over `fact`'s rows in the scope (as `t`), grouped by `groupBy` if given: once over the
 * summaries of the days that have an up-to-date one, once over the other days' orders (the days
 * $4/$5, which `read` lists first). Each part is added up on its own, where PostgreSQL knows the
 * most about it; the caller adds up the two. A summary's rows exist only beside its DailySummary
 * row, so leaving out those of the few days out of date leaves the up-to-date ones.
 */
function factsOf(fact: DailyFact, select: string, groupBy?: string): string {
  const grouped = groupBy ? ` GROUP BY ${groupBy}` : '';
  return `
    SELECT ${select} FROM "${fact.table}" t
     WHERE t."storeId" = ANY($1::uuid[]) AND t."businessDay" BETWEEN $2::char(10) AND $3::char(10)
       AND (t."storeId", t."businessDay") NOT IN (SELECT "storeId", "businessDay" FROM "DailySummary" WHERE NOT "upToDate")${grouped}
    UNION ALL
    SELECT ${select} FROM (${fact.of('(SELECT * FROM unnest($4::uuid[], $5::char(10)[]) AS l("storeId", "businessDay"))')}) t${grouped}`;
}

/**
 * Memory a report's sorts, hashes and intermediate results may take before they spill to disk
 * (PostgreSQL's default is 4 MB; a chain's 90 days of ticket times are about 6).
 */
const REPORT_WORK_MEM = '32MB';

/**
 * Runs a report's `sql` over the scope: the days to read from their orders first, so that PostgreSQL
 * plans for as many as there are (a day or two of each store, usually), then the report, both in one
 * snapshot, so that a day summarised or marked out of date meanwhile is counted once.
 */
function read<T>(db: ServerDb, sql: string, { storeIds, from, to }: ReportScope): Promise<T[]> {
  return db.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe(`SET LOCAL work_mem = '${REPORT_WORK_MEM}'`);
      const live = await tx.$queryRawUnsafe<Array<{ storeId: string; businessDay: string }>>(LIVE_DAYS, storeIds, from, to);
      return tx.$queryRawUnsafe<T[]>(sql, storeIds, from, to, live.map((d) => d.storeId), live.map((d) => d.businessDay));
    },
    { isolationLevel: 'RepeatableRead' },
  );
}

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
  // An item renamed within the range goes by the name that sorts last, as within a day.
  const rows = await read<ItemMix['rows'][number]>(
    db,
    `SELECT "itemId", max(name) AS name, sum(quantity)::int AS quantity, sum(sales)::float8 AS "salesCents", currency
       FROM (${factsOf(ITEM_SALES, `t."itemId", t.currency, max(t.name) AS name, sum(t.quantity) AS quantity, sum(t."salesCents") AS sales`, '1, 2')}) f
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

/** Each narrowing splits a group's span of buckets in this many parts... */
const PARTS = 9;
/** ...so this many narrow all the buckets (0 to OPEN_BUCKET: 9³ = 729 ≥ 721) down to one. */
const NARROWINGS = Math.ceil(Math.log(OPEN_BUCKET + 1) / Math.log(PARTS));

/**
 * A day's own p90 bucket: the first of its buckets that at least 9 tickets in 10 took at most.
 * (width_bucket counts the days' running totals below that many.)
 */
const DAY_P90 = `f.buckets[width_bucket(ceil(0.9 * f.tickets)::int - 1, f."upTo") + 1]`;

/**
 * The p90 bucket of each group's tickets, by narrowing. How many tickets took at most bucket b only
 * grows with b; and the group's p90 lies between its days' own p90s (if every day had 9 tickets
 * in 10 by bucket b, so has the group; if none had, neither has the group), a span of a few dozen
 * buckets where a store keeps its pace. Each narrowing splits the span where the 90th ticket in a
 * hundred may be into nine, asks every day of the group how many took at most each of the eight
 * inner bounds, and keeps the part that holds it; a group narrowed to one bucket is done. A day
 * answers each with one number of its `upTo`, found by binary search in its `buckets`
 * (width_bucket): where adding up the days' histograms would read every bucket of every day.
 */
function p90Buckets(): string {
  const inner = Array.from({ length: PARTS - 1 }, (_, i) => i + 1);
  const steps = [`n0 AS (SELECT key, lo, hi, target FROM totals)`];
  for (let n = 1; n <= NARROWINGS; n++) {
    // Bound i of the span: the last bucket of its first i ninths (never outside the span).
    const bounds = inner.map((i) => `GREATEST(lo, LEAST(hi, lo + (hi - lo + 1) * ${i} / ${PARTS} - 1)) AS b${i}`).join(', ');
    // Grouped by the key alone: a group's lo, hi, target and bounds are one value each, carried by min().
    const counts = inner.map((i) => `min(b${i}) AS b${i}, sum(COALESCE(f."upTo"[width_bucket(p.b${i}, f.buckets)], 0)) AS c${i}`).join(', ');
    const lo = `CASE ${inner.map((i) => `WHEN c${i} >= target THEN ${i === 1 ? 'lo' : `b${i - 1} + 1`}`).join(' ')} ELSE b${PARTS - 1} + 1 END`;
    const hi = `CASE ${inner.map((i) => `WHEN c${i} >= target THEN b${i}`).join(' ')} ELSE hi END`;
    steps.push(`n${n} AS (
       SELECT key, ${lo} AS lo, ${hi} AS hi, target
         FROM (SELECT p.key, min(lo) AS lo, min(hi) AS hi, min(target) AS target, ${counts}
                 FROM (SELECT *, ${bounds} FROM n${n - 1} WHERE lo < hi) p JOIN facts f USING (key) GROUP BY p.key) narrowed
       UNION ALL SELECT key, lo, hi, target FROM n${n - 1} WHERE lo = hi
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
     totals AS (
       SELECT key, sum(tickets) AS tickets, sum("totalMs") AS ms, ceil(0.9 * sum(tickets))::bigint AS target, min(${DAY_P90}) AS lo, max(${DAY_P90}) AS hi
         FROM facts f GROUP BY key HAVING sum(tickets) > 0
     ),
     ${p90Buckets()}
     SELECT t.key, s.name AS "storeName", t.tickets::int AS tickets, t.ms::float8 AS "totalMs", p.lo AS "p90Bucket"
       FROM totals t JOIN n${NARROWINGS} p USING (key) LEFT JOIN "Store" s ON t.key = 'store ' || s.id
      ORDER BY s.name, t.key`,
    scope,
  );
  const times = (r: (typeof rows)[number]) => ({ orders: r.tickets, avgSeconds: Math.round(r.totalMs / r.tickets / 1000), p90Seconds: p90SecondsOf(r.p90Bucket) });
  const [stores, stations] = [rows.filter((r) => r.key.startsWith('store ')), rows.filter((r) => r.key.startsWith('station '))];
  const names = stations.length === 0 ? new Map<string, string>() : await stationNames(db, scope.storeIds);
  return {
    stores: stores.map((r) => ({ storeId: r.key.slice('store '.length), storeName: r.storeName ?? '', ...times(r) })),
    stations: stations.map((r) => {
      const stationId = r.key.slice('station '.length);
      return { stationId, stationName: names.get(stationId) ?? stationId, ...times(r) };
    }),
  };
}

/** The stations' names in the menus the stores run now; where two menus name one differently, the first store's by name. */
async function stationNames(db: ServerDb, storeIds: readonly string[]): Promise<Map<string, string>> {
  const rows = await db.$queryRawUnsafe<Array<{ id: string; name: string }>>(
    `SELECT DISTINCT ON (st->>'id') st->>'id' AS id, st->>'name' AS name
       FROM "Store" s JOIN "MenuVersion" v ON v.id = s."menuVersionId", jsonb_array_elements(COALESCE(v.document->'stations', '[]'::jsonb)) st
      WHERE s.id = ANY($1::uuid[]) ORDER BY st->>'id', s.name`,
    storeIds,
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}
