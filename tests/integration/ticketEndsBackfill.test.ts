// A database from before the merge kept where tickets end (Order.readyAt, OrderLine.firstDoneAt)
// gets them from the events it already holds when it is migrated: the first `ready` and the first
// bump done of each by the clock, whatever order they arrived in; nothing for what was never done.
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { migrateServerDatabase } from '../../sync-server/db/migrateServerDatabase';
import { formatHlc } from '../../sync-server/protocol/hlc';
import { serverMigrationsDir } from '../../sync-server/runtime';
import { createTestDatabase } from '../support/testDatabase';

const MIGRATION = 'ticket_ends_at_merge';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let client: pg.Client;
let before: string;
beforeAll(async () => {
  database = await createTestDatabase({ migrate: false });
  // Every migration up to the one under test.
  before = await mkdtemp(join(tmpdir(), 'tillsync-migrations-'));
  const names = (await readdir(serverMigrationsDir)).sort();
  const upTo = names.findIndex((n) => n.endsWith(MIGRATION));
  expect(upTo).toBeGreaterThan(0);
  for (const name of names.slice(0, upTo)) await cp(join(serverMigrationsDir, name), join(before, name), { recursive: true });
  await migrateServerDatabase(database.url, before);
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await database?.drop();
  await rm(before, { recursive: true, force: true });
});

it('fills each order’s first ready and each line’s first bump done from the events held', async () => {
  const [store, kitchen, otherKitchen, kiosk, menu] = Array.from({ length: 5 }, () => crypto.randomUUID());
  const [bumped, untouched] = [crypto.randomUUID(), crypto.randomUUID()];
  const placed = Date.parse('2026-11-30T11:00:00.000Z');
  const at = (seconds: number) => new Date(placed + seconds * 1000);
  const hlc = (seconds: number, device = kitchen!) => formatHlc({ millis: placed + seconds * 1000, counter: 0, deviceId: device });
  await client.query(`INSERT INTO "Store" (id, name, "timeZone", currency, "taxRateBp", "pricesIncludeTax") VALUES ($1, 'Backfill', 'Europe/Amsterdam', 'EUR', 900, true)`, [store]);
  for (const [id, number] of [[bumped, 'A001'], [untouched, 'A002']] as const) {
    await client.query(
      `INSERT INTO "Order" (id, "storeId", "deviceId", number, "businessDay", "placedAt", "menuVersionId", currency, "subtotalCents", "taxCents", "totalCents", status, digest)
       VALUES ($1, $2, $3, $4, '2026-11-30', $5, $6, 'EUR', 500, 41, 500, 'preparing', '\\x00')`,
      [id, store, kiosk, number, at(0), menu],
    );
    for (const lineNo of [1, 2]) {
      await client.query(
        `INSERT INTO "OrderLine" ("orderId", "lineNo", "itemId", name, quantity, "unitPriceCents", "lineTotalCents", modifiers, "stationId")
         VALUES ($1, $2, 'bagel', 'Bagel', 1, 250, 250, '[]', 'kitchen')`,
        [id, lineNo],
      );
    }
  }
  // As they arrived: made ready three times and line 1 bumped, recalled and bumped again, by two
  // screens, one offline for a while; line 2 only recalled, never done.
  for (const [seconds, device] of [[410, kitchen], [400, otherKitchen], [420, kitchen]] as const) {
    await client.query(`INSERT INTO "OrderStatusEvent" ("orderId", hlc, "deviceId", status) VALUES ($1, $2, $3, 'ready')`, [bumped, hlc(seconds, device), device]);
  }
  await client.query(`INSERT INTO "OrderStatusEvent" ("orderId", hlc, "deviceId", status) VALUES ($1, $2, $3, 'preparing')`, [bumped, hlc(100), kitchen]);
  for (const [seconds, lineNo, done, device] of [[350, 1, true, kitchen], [300, 1, true, otherKitchen], [310, 1, false, kitchen], [360, 1, true, kitchen], [200, 2, false, kitchen]] as const) {
    await client.query(`INSERT INTO "LineStatusEvent" ("orderId", "lineNo", hlc, "deviceId", done) VALUES ($1, $2, $3, $4, $5)`, [bumped, lineNo, hlc(seconds, device), device, done]);
  }

  await migrateServerDatabase(database.url, serverMigrationsDir);

  const orders = await client.query(`SELECT id, "readyAt" FROM "Order" ORDER BY number`);
  expect(orders.rows).toEqual([
    { id: bumped, readyAt: at(400) },
    { id: untouched, readyAt: null },
  ]);
  const lines = await client.query(`SELECT "orderId", "lineNo", "firstDoneAt" FROM "OrderLine" ORDER BY "orderId" = $1 DESC, "lineNo"`, [bumped]);
  expect(lines.rows).toEqual([
    { orderId: bumped, lineNo: 1, firstDoneAt: at(300) },
    { orderId: bumped, lineNo: 2, firstDoneAt: null },
    { orderId: untouched, lineNo: 1, firstDoneAt: null },
    { orderId: untouched, lineNo: 2, firstDoneAt: null },
  ]);
});
