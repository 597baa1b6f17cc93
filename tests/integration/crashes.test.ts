// Processes killed with SIGKILL at any instant — a terminal, the sync server, PostgreSQL itself —
// while orders are being placed and uploaded: once everything runs again, nothing is lost and
// nothing is doubled.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MenuView } from '#terminal-api/contract';
import { createTerminalCore, type TerminalCore } from '../../electron/core/terminalCore';
import { connectServerDatabase, createServerDb, type ServerDb } from '../../sync-server/db/client';
import { freePort, startEmbeddedPostgres } from '../../sync-server/db/embeddedPostgres';
import { migrateServerDatabase } from '../../sync-server/db/migrateServerDatabase';
import { registerDevice } from '../../sync-server/devices/deviceTokens';
import { createMenuVersion, publishMenuVersion } from '#menus/menuCatalog';
import { serverMigrationsDir } from '../../sync-server/runtime';
import { DEMO_STORE, loadDemoMenuDocument } from '../../sync-server/seed/seedDemo';
import { createServer } from '../../sync-server/server';
import { createStore } from '../../sync-server/stores/stores';
import { runTs } from '../support/childProcess';
import { readTerminal } from '../support/terminalState';
import { createTestDatabase } from '../support/testDatabase';
import { eventually, startTestStack, type TestStack } from '../support/testStack';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function seedStore(db: ServerDb) {
  const store = await createStore(db, DEMO_STORE);
  const version = await createMenuVersion(db, await loadDemoMenuDocument());
  await db.$transaction((tx) => publishMenuVersion(tx, version.id, [store.id]));
  return store.id;
}

async function core(databaseFile: string, serverUrl: string, deviceToken: string): Promise<TerminalCore> {
  const terminal = await createTerminalCore({ databaseFile, serverUrl, deviceToken });
  cleanups.push(() => terminal.close());
  return terminal;
}

/** Places orders one after another until stopped; returns the ids the customers were shown. */
function keepOrdering(kiosk: TerminalCore, menuVersionId: string) {
  const placed: string[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      placed.push((await kiosk.api.placeOrder({ menuVersionId, lines: [{ itemId: 'espresso', quantity: 1, optionIds: [] }], expectedTotalCents: 260 })).id);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  return {
    placed,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

const idsIn = async (db: ServerDb) => (await db.order.findMany({ select: { id: true } })).map((o) => o.id).sort();

describe('killed with SIGKILL', () => {
  let stack: TestStack;

  it('a kiosk, in the middle of placing and uploading orders, three times', { timeout: 120_000 }, async () => {
    stack = await startTestStack();
    cleanups.push(() => stack.close());
    const { token } = await registerDevice(stack.db, { storeId: stack.storeId, role: 'kiosk', name: 'kiosk' });
    const file = join(stack.dir, 'kiosk.db');
    const env = { DB_FILE: file, SERVER_URL: stack.url, DEVICE_TOKEN: token };
    const shown: string[] = [];
    for (let round = 0; round < 3; round++) {
      const kiosk = runTs('tests/support/kioskProcess.ts', { ...env, ORDERS: '400', INTERVAL_MS: '2' });
      await kiosk.waitFor(/^ready$/);
      const killAfter = 15 + Math.floor(Math.random() * 60);
      await eventually(() => kiosk.lines.filter((l) => l.startsWith('placed ')).length >= killAfter, 30_000);
      await kiosk.kill('SIGKILL');
      shown.push(...kiosk.lines.filter((l) => l.startsWith('placed ')).map((l) => l.slice('placed '.length)));
    }
    const last = runTs('tests/support/kioskProcess.ts', { ...env, ORDERS: '0' });
    await last.waitFor(/^synced$/, 60_000);
    await last.exited;

    const local = readTerminal(file);
    // Every order a customer saw a number for is on the kiosk and on the server, exactly once.
    for (const id of shown) expect(local.orders.has(id)).toBe(true);
    expect(await idsIn(stack.db)).toEqual([...local.orders.keys()].sort());
    expect(local.outbox).toBe(0);
    expect(new Set([...local.orders.values()].map((o) => o.number)).size).toBe(local.orders.size);
  });

  it('the sync server, twice, while kiosks keep placing orders', { timeout: 120_000 }, async () => {
    const database = await createTestDatabase();
    cleanups.push(database.drop);
    const db = createServerDb(database.url);
    cleanups.push(() => db.$disconnect());
    const storeId = await seedStore(db);
    const port = await freePort();
    const serverEnv = { DATABASE_URL: database.url, PORT: String(port), HOST: '127.0.0.1' };
    let server = runTs('sync-server/main.ts', serverEnv);
    cleanups.push(() => server.kill('SIGKILL'));
    await server.waitFor(/"message":"ready"/);
    const url = `http://127.0.0.1:${port}`;
    const dir = await mkdtemp(join(tmpdir(), 'tillsync-crash-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const kiosks = await Promise.all([0, 1].map(async (i) => core(join(dir, `kiosk-${i}.db`), url, (await registerDevice(db, { storeId, role: 'kiosk', name: `k${i}` })).token)));
    await core(join(dir, 'kitchen.db'), url, (await registerDevice(db, { storeId, role: 'kitchen', name: 'kitchen' })).token);
    const menu = (await eventually(() => kiosks[0]!.api.getMenu())) as MenuView;
    await eventually(() => kiosks[1]!.api.getMenu());

    const ordering = kiosks.map((kiosk) => keepOrdering(kiosk, menu.versionId));
    for (let round = 0; round < 2; round++) {
      await new Promise((r) => setTimeout(r, 600 + Math.random() * 600));
      await server.kill('SIGKILL');
      await new Promise((r) => setTimeout(r, 300));
      server = runTs('sync-server/main.ts', serverEnv);
      await server.waitFor(/"message":"ready"/);
    }
    await new Promise((r) => setTimeout(r, 500));
    await Promise.all(ordering.map((o) => o.stop()));
    const shown = ordering.flatMap((o) => o.placed).sort();

    await eventually(async () => (await idsIn(db)).length === shown.length, 60_000);
    expect(await idsIn(db)).toEqual(shown);
    // The kitchen display holds every one of them (more than a screen shows at once: read its file).
    await eventually(() => readTerminal(join(dir, 'kitchen.db')).orders.size === shown.length, 30_000);
    expect([...readTerminal(join(dir, 'kitchen.db')).orders.keys()].sort()).toEqual(shown);
    await server.kill();
  });

  it('PostgreSQL itself, while the server is taking uploads', { timeout: 120_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tillsync-pgkill-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const port = await freePort();
    let postgres = await startEmbeddedPostgres({ dataDir: join(dir, 'cluster'), port, database: 'tillsync' });
    cleanups.push(() => postgres.stop());
    await migrateServerDatabase(postgres.url, serverMigrationsDir);
    const database = connectServerDatabase(postgres.url);
    const { db } = database;
    cleanups.push(database.close);
    const storeId = await seedStore(db);
    const server = await createServer(database);
    const { url } = await server.listen(0);
    cleanups.push(() => server.close());
    const kiosk = await core(join(dir, 'kiosk.db'), url, (await registerDevice(db, { storeId, role: 'kiosk', name: 'kiosk' })).token);
    const menu = (await eventually(() => kiosk.api.getMenu())) as MenuView;

    const ordering = keepOrdering(kiosk, menu.versionId);
    await new Promise((r) => setTimeout(r, 700));
    const pid = Number((await readFile(join(dir, 'cluster', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    process.kill(pid, 'SIGKILL');
    // The store keeps selling while the database is gone.
    const before = ordering.placed.length;
    await eventually(() => ordering.placed.length > before + 20);
    await eventually(() => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    });
    postgres = await startEmbeddedPostgres({ dataDir: join(dir, 'cluster'), port, database: 'tillsync' });
    await new Promise((r) => setTimeout(r, 500));
    await ordering.stop();

    const shown = ordering.placed.sort();
    await eventually(async () => (await idsIn(db).catch(() => [])).length === shown.length, 60_000);
    expect(await idsIn(db)).toEqual(shown);
    await eventually(async () => (await kiosk.api.getStatus()).pendingUploads === 0);
  });
});
