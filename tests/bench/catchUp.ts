// A kitchen display offline for a busy day — 20,000 orders and 500 menu and availability changes —
// catches up from its cursor. A real terminal core with its own SQLite file; the day's changes are
// made through the server like any other. Baseline: reading the same changes from PostgreSQL in one
// query plus writing the same rows into SQLite in one transaction, raw.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import pg from 'pg';
import { createTerminalCore } from '../../electron/core/terminalCore';
import { migrationsDir } from '../../prisma/schemaEngine';
import { migrateTerminalDatabase } from '../../electron/core/db/migrateTerminalDatabase';
import { adminClient } from '../support/adminClient';
import { readTerminal } from '../support/terminalState';
import { eventually } from '../support/testStack';
import { startWorld, type BenchCluster } from './benchStack';
import { LoadKiosk } from '../support/loadKiosk';
import { ms, report } from './stats';

const ORDERS = 20_000;
const MENU_CHANGES = 500;

async function baseline(databaseUrl: string, storeId: string, file: string): Promise<{ read: number; write: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  client.on('error', () => {}); // the cluster may stop under it when a run fails
  await client.connect();
  let started = performance.now();
  const { rows } = await client.query('SELECT seq, kind, payload, "createdAt" FROM "StoreChange" WHERE "storeId" = $1 ORDER BY seq', [storeId]);
  const read = performance.now() - started;
  await client.end();
  await migrateTerminalDatabase(file, migrationsDir('terminal'));
  const sqlite = new Database(file);
  const order = sqlite.prepare('INSERT INTO "Order" (id, deviceId, number, businessDay, placedAt, menuVersionId, currency, subtotalCents, taxCents, totalCents, status, statusHlc, syncState) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const line = sqlite.prepare('INSERT INTO OrderLine (orderId, lineNo, itemId, name, quantity, unitPriceCents, lineTotalCents, modifiers) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  started = performance.now();
  sqlite.transaction(() => {
    for (const row of rows) {
      if (row.kind !== 'order.placed') continue;
      const o = row.payload.order;
      order.run(o.id, o.deviceId, o.number, o.businessDay, o.placedAt, o.menuVersionId, o.currency, o.subtotalCents, o.taxCents, o.totalCents, o.status, o.statusHlc, 'synced');
      for (const l of o.lines) line.run(o.id, l.lineNo, l.itemId, l.name, l.quantity, l.unitPriceCents, l.lineTotalCents, JSON.stringify(l.modifiers));
    }
  })();
  const write = performance.now() - started;
  sqlite.close();
  return { read, write };
}

export async function catchUp(cluster: BenchCluster): Promise<void> {
  const world = await startWorld(cluster, 1);
  const storeId = world.stores[0]!;
  try {
    // The kitchen display, up to date at the start of the day, then switched off.
    const { token } = await world.device(storeId, 'kitchen');
    const file = join(cluster.dir, 'kitchen-offline.db');
    let kitchen = await createTerminalCore({ databaseFile: file, serverUrl: world.url, deviceToken: token });
    await eventually(async () => (await kitchen.api.getStatus()).connection === 'online', 30_000);
    await kitchen.close();

    // The busy day: 20,000 orders from ten kiosks (2,000 each, within a kiosk's budget), 500
    // sold-out toggles and menu publishes from head office.
    const kiosks = await Promise.all(Array.from({ length: 10 }, async () => {
      const { token: kioskToken, orderPrefix } = await world.device(storeId, 'kiosk');
      return LoadKiosk.connect(world.url, kioskToken, orderPrefix!, world.menu);
    }));
    await Promise.all(kiosks.map(async (kiosk) => {
      for (let sent = 0; sent < ORDERS / kiosks.length; sent += 100) await kiosk.push(kiosk.build(100));
    }));
    kiosks.forEach((k) => k.close());
    const admin = await adminClient(world.database.db, world.url);
    const items = [...world.menu.items.keys()];
    for (let i = 0; i < MENU_CHANGES; i++) {
      const answer = i % 100 === 99
        ? await admin.request('POST', `/api/menus/${world.menuVersionId}/publish`, { storeIds: [storeId] })
        : await admin.request('PUT', `/api/stores/${storeId}/items/${items[i % items.length]}/availability`, { available: i % 2 === 1 });
      if (answer.status !== 200) throw new Error(`admin change failed: ${JSON.stringify(answer.body)}`);
    }
    const head = (await world.database.db.store.findUniqueOrThrow({ where: { id: storeId } })).changeSeq;

    // Back on: from opening its file to caught up (it reports "online" only once caught up).
    const started = performance.now();
    kitchen = await createTerminalCore({ databaseFile: file });
    await new Promise<void>((resolve) => {
      const check = async () => {
        if ((await kitchen.api.getStatus()).connection === 'online') {
          stop();
          resolve();
        }
      };
      const stop = kitchen.onEvent((event) => void (event.type === 'status' && check()));
      void check();
    });
    const took = performance.now() - started;
    await kitchen.close();
    const state = readTerminal(file);
    const exactlyOnce = state.cursor === head && state.orders.size === ORDERS;
    const base = await baseline(world.databaseUrl, storeId, join(cluster.dir, 'baseline.db'));
    report([
      {
        name: `kitchen display offline for a day (${ORDERS} orders, ${MENU_CHANGES} menu and availability changes: ${head} changes) catches up`,
        value: `${ms(took)} (cursor ${state.cursor} of ${head}, ${state.orders.size} orders${exactlyOnce ? ', each change applied once' : ''})`,
        baseline: `raw: one PostgreSQL query for the same changes ${ms(base.read)} + one SQLite transaction writing the same orders ${ms(base.write)}`,
        target: '≤ 500 ms',
        verdict: took <= 500 && exactlyOnce ? 'met' : 'missed',
      },
    ]);
  } finally {
    await world.close();
  }
}
