// Head office's reports at a chain's scale: 1,000,000 orders (with their lines, payments, how they
// were served, and every status change and bump) in 50 stores in three time zones and currencies
// over 90 days, today's among them. The closed days are summarised by the close-of-day job (this
// process and the server's own scheduler racing, as two nodes would), then each report is asked
// for over HTTP, as the admin app asks, over all 90 days for every store and for one store.
// Target: each at most 300 ms. Baseline: a bare count(*) of the same orders, in the same database.
import pg from 'pg';
import { textIn, type MenuIndex } from '#protocol/menu';
import { silentLogger } from '../../sync-server/log';
import { CloseOfDay } from '../../sync-server/reports/closeOfDay';
import { adminClient } from '../support/adminClient';
import { startWorld, type BenchCluster } from './benchStack';
import { ms, percentile, report, type Figure } from './stats';

const STORES = 50;
const DAYS = 90;
const ORDERS = 1_000_000;
const RUNS = 15;
const WARM_UP = 2;
const TARGET_MS = 300;
const REPORTS = ['sales-by-day', 'sales-by-hour', 'item-mix', 'ticket-times', 'order-mix'];

/**
 * The orders, in one transaction of a few statements (a day's summary never sees half of them).
 * Triggers are off while loading: nothing is summarised yet, so there is nothing for them to mark.
 * Order g is in store g % 50, on day (g / 50) % 90; its lines, times and ways of paying follow from g.
 */
const seed = (menuVersionId: string) => `
  CREATE TEMP TABLE bench_orders ON COMMIT DROP AS
  WITH base AS (
    SELECT g, s.id AS store_id, s.idx AS store_idx, s."timeZone" AS tz, s.currency,
           md5(s.id::text || 'kiosk')::uuid AS kiosk, md5(s.id::text || 'kitchen')::uuid AS kitchen,
           current_date - ${DAYS - 1} + ((g / ${STORES}) % ${DAYS})::int AS day, ((g / ${STORES}) / ${DAYS})::int AS nth
      FROM generate_series(0, ${ORDERS - 1}::bigint) g
      JOIN (SELECT id, "timeZone", currency, (row_number() OVER (ORDER BY id) - 1)::int AS idx FROM "Store") s ON s.idx = g % ${STORES}
  ), placed AS (
    SELECT b.*, (b.day::timestamp + interval '7 hours' + ((b.g * 7919) % 50400) * interval '1 second') AT TIME ZONE b.tz AS placed_at FROM base b
  )
  -- Ids are UUIDv7 of the time each order was placed, as kiosks make them; rows are written in
  -- that order, as a chain's orders arrive: a day's rows lie together, today's at the end.
  SELECT p.*, uuidv7(p.placed_at - clock_timestamp()) AS id,
         CASE WHEN p.g % 20 = 0 THEN NULL WHEN p.g % 20 <= 11 THEN 'eat-in' ELSE 'takeaway' END AS service,
         CASE WHEN (p.g / 20) % 20 = 0 THEN NULL WHEN (p.g / 20) % 20 <= 14 THEN 'card' ELSE 'counter' END AS method,
         (p.g / 20) % 20 >= 18 AS held,
         60 + (p.g * 13) % 240 AS pay_after,
         -- Seconds from the ticket's start to ready: each store its own pace, one in 97 over three
         -- hours, one in 50 never made ready.
         CASE WHEN p.g % 50 = 49 THEN NULL ELSE 180 + (p.store_idx % 10) * 30 + (p.g * 37) % 600 + CASE WHEN p.g % 97 = 0 THEN 10800 ELSE 0 END END AS ready_after
    FROM placed p
   ORDER BY p.placed_at;

  CREATE TEMP TABLE bench_lines ON COMMIT DROP AS
  SELECT o.id AS order_id, i AS line_no, m.item_id, m.name, q.quantity, m.price, m.price * q.quantity AS total, m.station,
         CASE WHEN o.ready_after IS NULL OR m.station IS NULL OR (o.g + i) % 60 = 0 THEN NULL ELSE o.ready_after * (40 + (o.g + i * 7) % 55) / 100 END AS done_after,
         o.placed_at + CASE WHEN o.held THEN o.pay_after ELSE 0 END * interval '1 second' AS started_at, o.kitchen
    FROM bench_orders o
   CROSS JOIN LATERAL generate_series(1, 1 + o.g % 4) i
    JOIN bench_items m ON m.idx = ((o.g * 7 + i * 13) % (SELECT count(*) FROM bench_items))::int
   CROSS JOIN LATERAL (SELECT 1 + ((o.g + i) % 3 = 0)::int AS quantity) q
   ORDER BY o.id, i;

  CREATE TEMP TABLE bench_totals ON COMMIT DROP AS SELECT order_id, sum(total)::int AS total FROM bench_lines GROUP BY order_id;

  CREATE FUNCTION pg_temp.hlc(at timestamptz, device uuid) RETURNS text LANGUAGE sql IMMUTABLE AS
    $$ SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '-0000-' || device $$;

  INSERT INTO "Order" (id, "storeId", "deviceId", number, "businessDay", "placedAt", "receivedAt", "menuVersionId", currency, "subtotalCents", "taxCents", "totalCents",
                       status, "statusHlc", "readyAt", digest, "serviceMode", payment, "paymentStatus", "paidAt", "cardTransactionId")
  SELECT o.id, o.store_id, o.kiosk, 'A' || lpad((o.nth + 1)::text, 3, '0'), to_char(o.day, 'YYYY-MM-DD'), o.placed_at, o.placed_at, '${menuVersionId}'::uuid, o.currency,
         t.total, t.total * 9 / 109, t.total,
         CASE WHEN o.ready_after IS NULL THEN 'preparing' ELSE 'served' END::"OrderStatus",
         CASE WHEN o.ready_after IS NULL THEN NULL ELSE pg_temp.hlc(started + (o.ready_after + 120) * interval '1 second', o.kitchen) END,
         started + o.ready_after * interval '1 second',
         decode(md5(o.id::text), 'hex'), o.service,
         CASE o.method
           WHEN 'card' THEN jsonb_build_object('method', 'card', 'status', 'paid', 'provider', 'card-terminal', 'transactionId', o.id, 'reference', o.g::text,
                                               'amountCents', t.total, 'paidAt', o.placed_at, 'failedAttempts', 0)
           WHEN 'counter' THEN jsonb_build_object('method', 'counter', 'status', 'paid', 'held', o.held, 'paidAt', o.placed_at + o.pay_after * interval '1 second')
         END,
         CASE WHEN o.method IS NULL THEN NULL ELSE 'paid' END::"PaymentStatus",
         CASE o.method WHEN 'card' THEN o.placed_at WHEN 'counter' THEN o.placed_at + o.pay_after * interval '1 second' END,
         CASE WHEN o.method = 'card' THEN o.id END
    FROM bench_orders o JOIN bench_totals t ON t.order_id = o.id
   CROSS JOIN LATERAL (SELECT o.placed_at + CASE WHEN o.held THEN o.pay_after ELSE 0 END * interval '1 second' AS started) s
   ORDER BY o.id;

  INSERT INTO "OrderLine" ("orderId", "lineNo", "itemId", name, quantity, "unitPriceCents", "lineTotalCents", modifiers, "stationId", done, "doneHlc", "firstDoneAt")
  SELECT order_id, line_no, item_id, name, quantity, price, total, '[]', station, done_after IS NOT NULL,
         CASE WHEN done_after IS NULL THEN NULL ELSE pg_temp.hlc(started_at + done_after * interval '1 second', kitchen) END,
         started_at + done_after * interval '1 second'
    FROM bench_lines ORDER BY order_id, line_no;

  INSERT INTO "LineStatusEvent" ("orderId", "lineNo", hlc, "deviceId", done, "receivedAt")
  SELECT order_id, line_no, pg_temp.hlc(started_at + done_after * interval '1 second', kitchen), kitchen, true, started_at + done_after * interval '1 second'
    FROM bench_lines WHERE done_after IS NOT NULL ORDER BY order_id, line_no;

  INSERT INTO "OrderStatusEvent" ("orderId", hlc, "deviceId", status, "receivedAt")
  SELECT o.id, pg_temp.hlc(e.at, o.kitchen), o.kitchen, e.status::"OrderStatus", e.at
    FROM bench_orders o
   CROSS JOIN LATERAL (SELECT o.placed_at + CASE WHEN o.held THEN o.pay_after ELSE 0 END * interval '1 second' AS started) s
   CROSS JOIN LATERAL (VALUES ('ready', s.started + o.ready_after * interval '1 second'), ('served', s.started + (o.ready_after + 120) * interval '1 second')) AS e(status, at)
   WHERE o.ready_after IS NOT NULL
   ORDER BY o.id;
`;

/** Nearest-rank p50 and p95 of `runs` calls after a warm-up, in ms. */
async function timed(call: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < WARM_UP; i++) await call();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await call();
    times.push(performance.now() - started);
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

/** Seeds the chain's 90 days into a database with 50 stores selling `menu`; answers how long it took. */
export async function seedChain(client: pg.Client, menu: MenuIndex): Promise<number> {
  // Three time zones, three currencies.
  await client.query(
    `UPDATE "Store" s SET "timeZone" = z.tz, currency = z.currency
       FROM (SELECT id, (row_number() OVER (ORDER BY id) - 1) % 3 AS k FROM "Store") r,
            (VALUES (0, 'Europe/Amsterdam', 'EUR'), (1, 'America/New_York', 'USD'), (2, 'Asia/Tokyo', 'JPY')) AS z(k, tz, currency)
      WHERE s.id = r.id AND z.k = r.k`,
  );
  const items = [...menu.items.values()].map((item, idx) => ({
    idx,
    item_id: item.id,
    name: textIn(item.name, menu.defaultLocale, menu.defaultLocale),
    price: item.priceCents,
    station: menu.kitchen.get(item.id)?.stationId ?? null,
  }));
  const started = performance.now();
  // Room for the temporary tables, which are set up before their first use in the session.
  await client.query(`SET temp_buffers = '1GB'`);
  await client.query('BEGIN');
  await client.query(`SET LOCAL session_replication_role = replica; SET LOCAL work_mem = '256MB'`);
  await client.query(
    `CREATE TEMP TABLE bench_items ON COMMIT DROP AS SELECT * FROM json_to_recordset($1::json) AS m(idx int, item_id text, name text, price int, station text)`,
    [JSON.stringify(items)],
  );
  await client.query(seed(menu.versionId));
  await client.query('COMMIT');
  // As autovacuum would leave 90 days of orders: statistics taken, pages marked all-visible.
  await client.query('VACUUM ANALYZE');
  return performance.now() - started;
}

export async function reports(cluster: BenchCluster): Promise<void> {
  const world = await startWorld(cluster, STORES);
  const client = new pg.Client({ connectionString: world.databaseUrl });
  await client.connect();
  try {
    const seedMs = await seedChain(client, world.menu);
    const counts = (await client.query<{ orders: string; lines: string; statuses: string; bumps: string }>(
      `SELECT (SELECT count(*) FROM "Order") AS orders, (SELECT count(*) FROM "OrderLine") AS lines,
              (SELECT count(*) FROM "OrderStatusEvent") AS statuses, (SELECT count(*) FROM "LineStatusEvent") AS bumps`,
    )).rows[0]!;
    console.log(
      `  seeded ${Number(counts.orders).toLocaleString('en')} orders, ${Number(counts.lines).toLocaleString('en')} lines, ` +
        `${Number(counts.statuses).toLocaleString('en')} status changes, ${Number(counts.bumps).toLocaleString('en')} bumps in ${(seedMs / 1000).toFixed(1)} s`,
    );

    // The close of day: two schedulers here, and the server's own, as several nodes would.
    const started = performance.now();
    const written = (await Promise.all([0, 1].map(() => new CloseOfDay(world.database.db, { log: silentLogger, now: Date.now }).summariseDue()))).flat();
    const due = async () => Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM "DailySummary" WHERE NOT "upToDate"`)).rows[0]!.n);
    while ((await due()) > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    const summaryMs = performance.now() - started;
    const days = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM "DailySummary"`)).rows[0]!.n);
    console.log(`  close of day: ${days.toLocaleString('en')} store-days summarised in ${(summaryMs / 1000).toFixed(1)} s (${written.length.toLocaleString('en')} by this process, the rest by the server)`);
    await client.query('VACUUM ANALYZE');

    const { rows: stores } = await client.query<{ id: string }>(`SELECT id FROM "Store" ORDER BY id LIMIT 1`);
    const one = stores[0]!.id;
    const today = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - (DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
    const owner = await adminClient(world.database.db, world.url);
    const ask = (name: string, storeIds?: string) => async () => {
      const answer = await owner.request('GET', `/api/reports/${name}?from=${from}&to=${today}${storeIds ? `&storeIds=${storeIds}` : ''}`);
      if (answer.status !== 200) throw new Error(`${name}: ${answer.status} ${JSON.stringify(answer.body)}`);
    };

    const everyOrder = await timed(() => client.query(`SELECT count(*) FROM "Order"`));
    const oneStoresOrders = await timed(() => client.query(`SELECT count(*) FROM "Order" WHERE "storeId" = $1`, [one]));
    const figures: Figure[] = [];
    for (const [scope, storeIds, baseline] of [
      [`all ${STORES} stores`, undefined, `SELECT count(*) FROM "Order" (${ORDERS.toLocaleString('en')} orders): p50 ${ms(everyOrder.p50)}, p95 ${ms(everyOrder.p95)}`],
      ['one store', one, `SELECT count(*) of one store's ${(ORDERS / STORES).toLocaleString('en')} orders: p50 ${ms(oneStoresOrders.p50)}, p95 ${ms(oneStoresOrders.p95)}`],
    ] as const) {
      for (const name of REPORTS) {
        const { p50, p95 } = await timed(ask(name, storeIds));
        figures.push({
          name: `GET /api/reports/${name}, ${DAYS} days, ${scope} (JSON over HTTP, ${RUNS} runs)`,
          value: `p50 ${ms(p50)}, p95 ${ms(p95)}`,
          baseline,
          target: `≤ ${TARGET_MS} ms`,
          verdict: p95 <= TARGET_MS ? 'met' : 'missed',
        });
      }
    }
    report(figures);
  } finally {
    await client.end();
    await world.close();
  }
}
