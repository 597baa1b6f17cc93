// Sustained merged, durably committed, acknowledged orders on one server node from 200 connected
// terminals (light protocol clients, 2 kiosks in each of 100 stores, one push of 100 orders at a
// time each, as the outbox sends them). Afterwards: every order once, every store's feed without a
// gap. Baseline: the same rows written with raw multi-row INSERTs on one connection.
import pg from 'pg';
import { startWorld, type BenchCluster } from './benchStack';
import { loopbackAddress } from '../support/addresses';
import { LoadKiosk, PushRefused } from '../support/loadKiosk';
import { report } from './stats';

const TERMINALS = 200;
const STORES = 100;
const BATCH = 100;
const SECONDS = 8;

async function baseline(databaseUrl: string, orders: number): Promise<number> {
  const db = new pg.Client({ connectionString: databaseUrl });
  db.on('error', () => {}); // the cluster may stop under it when a run fails
  await db.connect();
  await db.query('CREATE TABLE bench_order (LIKE "Order" INCLUDING ALL)');
  await db.query('CREATE TABLE bench_line (LIKE "OrderLine" INCLUDING ALL)');
  // LIKE … INCLUDING ALL copies the indexes and constraints but not the foreign keys.
  const storeId = crypto.randomUUID();
  const started = performance.now();
  for (let done = 0; done < orders; done += 1000) {
    const ids = Array.from({ length: 1000 }, () => crypto.randomUUID());
    await db.query('BEGIN');
    await db.query(
      `INSERT INTO bench_order (id, "storeId", "deviceId", number, "businessDay", "placedAt", "menuVersionId", currency, "subtotalCents", "taxCents", "totalCents", status, digest)
       SELECT id, $2, $2, 'Z' || ($3 + n), '2026-11-22', now(), $2, 'EUR', 880, 73, 880, 'preparing', sha256(id::text::bytea) FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
      [ids, storeId, done],
    );
    await db.query(
      `INSERT INTO bench_line ("orderId", "lineNo", "itemId", name, quantity, "unitPriceCents", "lineTotalCents", modifiers)
       SELECT id, l, 'latte', 'Caffè Latte', 1, 380, 380, '[]' FROM unnest($1::uuid[]) AS t(id), generate_series(1, 2) AS l`,
      [ids],
    );
    await db.query('COMMIT');
  }
  const rate = orders / ((performance.now() - started) / 1000);
  await db.end();
  return rate;
}

export async function throughput(cluster: BenchCluster): Promise<void> {
  const world = await startWorld(cluster, STORES);
  try {
    const kiosks = await Promise.all(
      Array.from({ length: TERMINALS }, async (_, i) => {
        const { token, orderPrefix } = await world.device(world.stores[i % STORES]!, 'kiosk');
        return LoadKiosk.connect(world.url, token, orderPrefix!, world.menu, loopbackAddress(i % STORES));
      }),
    );
    const { db } = world.database;
    // What the orders cost PostgreSQL's disk, which sets the pace of every commit: its log's bytes.
    const wal = async () => ((await db.$queryRawUnsafe<Array<{ lsn: string }>>('SELECT pg_current_wal_lsn()::text AS lsn'))[0]!).lsn;
    const walBefore = await wal();
    let running = true;
    let applied = 0;
    const started = performance.now();
    setTimeout(() => (running = false), SECONDS * 1000);
    // A kiosk the server serves far more often than the others may meet its budget (a burst of
    // 2,500 orders): it stops, as a real one would wait, and the report says so.
    let budgetsMet = 0;
    await Promise.all(
      kiosks.map(async (kiosk) => {
        while (running) {
          try {
            const count = await kiosk.push(kiosk.build(BATCH));
            applied += count;
          } catch (error) {
            if (!(error instanceof PushRefused && error.error.code === 'RATE_LIMITED')) throw error;
            budgetsMet += 1;
            return;
          }
        }
      }),
    );
    const rate = applied / ((performance.now() - started) / 1000);
    kiosks.forEach((k) => k.close());
    const [{ bytes }] = (await db.$queryRawUnsafe<Array<{ bytes: number }>>('SELECT pg_wal_lsn_diff($1::pg_lsn, $2::pg_lsn)::float8 AS bytes', await wal(), walBefore)) as [{ bytes: number }];

    const [{ orders, distinct }] = (await db.$queryRawUnsafe<Array<{ orders: number; distinct: number }>>('SELECT count(*)::int AS orders, count(DISTINCT id)::int AS distinct FROM "Order"')) as [{ orders: number; distinct: number }];
    const gaps = await db.$queryRawUnsafe<Array<{ storeId: string }>>('SELECT "storeId" FROM "StoreChange" GROUP BY "storeId" HAVING count(*) <> max(seq)');
    const base = await baseline(await cluster.database(), Math.min(applied, 100_000));
    report([
      {
        name: `merged, durably committed, acknowledged orders from ${TERMINALS} connected terminals (${STORES} stores, ${BATCH} orders a push, ${SECONDS} s)`,
        value: `${rate.toFixed(0)} orders/s (${applied} orders; ${orders - distinct} duplicates, ${orders === applied ? 0 : Math.abs(orders - applied)} missing, ${gaps.length} stores with feed gaps; ${budgetsMet} kiosks met their budget; ${(bytes / applied).toFixed(0)} bytes of WAL an order)`,
        baseline: `raw multi-row PostgreSQL INSERT of the same rows, one connection: ${base.toFixed(0)} orders/s`,
        target: '≥ 20,000 orders/s, no duplicates, no gaps',
        verdict: rate >= 20_000 && orders === distinct && orders === applied && gaps.length === 0 ? 'met' : 'missed',
      },
    ]);
  } finally {
    await world.close();
  }
}
