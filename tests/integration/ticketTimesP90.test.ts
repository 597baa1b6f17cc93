// The ticket-times report's p90, found by narrowing in PostgreSQL (sync-server/reports/reports.ts),
// is the nearest-rank p90 of every ticket of the group, counted here one by one: over random
// days of random paces (a few tickets or hundreds, tight or spread over two hours, days unlike
// each other), each store alone and all of them together.
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServerDb, type ServerDb } from '../../sync-server/db/client';
import { OPEN_BUCKET, p90SecondsOf } from '../../sync-server/reports/dailyFacts';
import { ticketTimes } from '../../sync-server/reports/reports';
import { createTestDatabase } from '../support/testDatabase';

let db: ServerDb;
let drop: () => Promise<void>;
beforeAll(async () => {
  const database = await createTestDatabase();
  db = createServerDb(database.url);
  drop = database.drop;
});
afterAll(async () => {
  await db.$disconnect();
  await drop();
});

/** A day's tickets of one store: how many fell in each bucket. */
const dayOf = fc.oneof(
  // A store at its pace: tickets within a few minutes of each other.
  fc.record({ pace: fc.integer({ min: 0, max: OPEN_BUCKET - 60 }), counts: fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 60 }) }),
  // A day all over the place, the open bucket (two hours or more) included.
  fc.record({ pace: fc.constant(0), counts: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: OPEN_BUCKET + 1, maxLength: OPEN_BUCKET + 1 }) }),
);
const chainOf = fc.array(fc.array(dayOf, { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 3 });

/** The 90th ticket in a hundred (nearest rank), counted one by one: its bucket. */
function p90Bucket(histogram: Map<number, number>): number {
  const buckets = [...histogram.keys()].sort((a, b) => a - b);
  const total = buckets.reduce((sum, b) => sum + histogram.get(b)!, 0);
  let seen = 0;
  for (const bucket of buckets) {
    seen += histogram.get(bucket)!;
    if (seen >= Math.ceil(0.9 * total)) return bucket;
  }
  throw new Error('no tickets');
}

it('finds the p90 of every ticket of a store, and of a station over several stores, by narrowing', { timeout: 300_000 }, async () => {
  let run = 0;
  await fc.assert(
    fc.asyncProperty(chainOf, async (chain) => {
      run += 1;
      const storeIds: string[] = [];
      const byStore = new Map<string, Map<number, number>>();
      const everyStore = new Map<number, number>();
      for (const [s, days] of chain.entries()) {
        const { id } = await db.store.create({
          data: { id: crypto.randomUUID(), name: `Run ${run} store ${s}`, timeZone: 'Europe/Amsterdam', currency: 'EUR', taxRateBp: 900, pricesIncludeTax: true },
        });
        storeIds.push(id);
        const mine = new Map<number, number>();
        for (const [d, { pace, counts }] of days.entries()) {
          const businessDay = `2026-01-${String(d + 1).padStart(2, '0')}`;
          const filled = counts.flatMap((count, i) => (count > 0 ? [{ bucket: Math.min(pace + i, OPEN_BUCKET), count }] : []));
          await db.dailySummary.create({ data: { storeId: id, businessDay, upToDate: true } });
          if (filled.length === 0) continue;
          let upTo = 0;
          // One group of the store's tickets, and the same tickets as one station's: summed over stores.
          const row = { tickets: 0, totalMs: 0n, buckets: [] as number[], upTo: [] as number[] };
          for (const { bucket, count } of filled) {
            upTo += count;
            row.buckets.push(bucket);
            row.upTo.push(upTo);
            row.totalMs += BigInt(bucket * 10_000 * count);
            for (const histogram of [mine, everyStore]) histogram.set(bucket, (histogram.get(bucket) ?? 0) + count);
          }
          row.tickets = upTo;
          await db.dailyTicketTimes.createMany({ data: ['', 'grill'].map((stationId) => ({ storeId: id, businessDay, stationId, ...row })) });
        }
        byStore.set(id, mine);
      }
      const report = await ticketTimes(db, { storeIds, from: '2026-01-01', to: '2026-01-12' });
      const expected = [...byStore].filter(([, histogram]) => histogram.size > 0);
      expect(report.stores.map((r) => [r.storeId, r.p90Seconds]).sort()).toEqual(expected.map(([id, histogram]) => [id, p90SecondsOf(p90Bucket(histogram))]).sort());
      expect(report.stations.map((r) => [r.stationId, r.p90Seconds])).toEqual(everyStore.size > 0 ? [['grill', p90SecondsOf(p90Bucket(everyStore))]] : []);
    }),
    { numRuns: 60 },
  );
});
