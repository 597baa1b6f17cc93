// Invariant 1 across restores: a terminal whose SQLite file is put back from yesterday's backup, or
// a server whose database is, reconciles with the other side, and every order a customer was given
// a number for ends up on the server once.
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { MenuView } from '#terminal-api/contract';
import { createTerminalCore, type TerminalCore } from '../../electron/core/terminalCore';
import { connectServerDatabase } from '../../sync-server/db/client';
import { registerDevice } from '../../sync-server/devices/deviceTokens';
import { createMenuVersion, publishMenuVersion } from '#menus/menuCatalog';
import { DEMO_STORE, loadDemoMenuDocument } from '../../sync-server/seed/seedDemo';
import { createServer, type SyncServer } from '../../sync-server/server';
import { createStore } from '../../sync-server/stores/stores';
import { readTerminal } from '../support/terminalState';
import { createTestDatabase } from '../support/testDatabase';
import { eventually, startTestStack, type TestStack, type TestTerminal } from '../support/testStack';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const ESPRESSO = { lines: [{ itemId: 'espresso', quantity: 1, optionIds: [] }], expectedTotalCents: 260 };

async function placeSome(kiosk: TerminalCore, count: number): Promise<string[]> {
  const menu = (await eventually(() => kiosk.api.getMenu())) as MenuView;
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await kiosk.api.placeOrder({ menuVersionId: menu.versionId, ...ESPRESSO })).id);
  return ids;
}

const settled = (kiosk: TerminalCore) => eventually(async () => {
  const status = await kiosk.api.getStatus();
  return status.connection === 'online' && status.pendingUploads === 0;
}, 20_000);

/** A consistent copy of a terminal's SQLite file while it runs, as a backup tool would take it. */
async function backUp(file: string, to: string): Promise<void> {
  const source = new Database(file, { readonly: true });
  await source.backup(to);
  source.close();
}

describe('a terminal restored from a backup of its file', () => {
  let stack: TestStack;

  async function restoredKiosk(kiosk: TestTerminal, backup: string): Promise<TestTerminal> {
    await kiosk.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(kiosk.databaseFile + suffix, { force: true });
    const copy = new Database(backup, { readonly: true });
    await copy.backup(kiosk.databaseFile);
    copy.close();
    return stack.reopen(kiosk);
  }

  it('learns what it sold after the backup, numbers on past it, and loses nothing', async () => {
    stack = await startTestStack();
    cleanups.push(() => stack.close());
    const kiosk = await stack.terminal('kiosk');
    const before = await placeSome(kiosk.core, 5);
    await settled(kiosk.core);
    const backup = join(stack.dir, 'yesterday.db');
    await backUp(kiosk.databaseFile, backup);
    const afterBackup = await placeSome(kiosk.core, 5);
    await settled(kiosk.core);

    const restored = await restoredKiosk(kiosk, backup);
    await settled(restored.core);
    const afterRestore = await placeSome(restored.core, 5);
    await settled(restored.core);

    const placed = [...before, ...afterBackup, ...afterRestore].sort();
    const server = await stack.db.order.findMany({ select: { id: true, number: true } });
    expect(server.map((o) => o.id).sort()).toEqual(placed);
    // The kiosk holds every one of them again, and did not hand out a number twice.
    const local = readTerminal(kiosk.databaseFile);
    expect([...local.orders.keys()].sort()).toEqual(placed);
    expect([...local.orders.values()].every((o) => o.syncState === 'synced')).toBe(true);
    expect(new Set(server.map((o) => o.number)).size).toBe(15);
    expect((await restored.core.api.getStatus()).rejectedOrders).toEqual([]);
  });

  it('sends again what waited in its outbox when the backup was taken, and the server keeps it once', async () => {
    stack = await startTestStack();
    cleanups.push(() => stack.close());
    const kiosk = await stack.terminal('kiosk');
    await placeSome(kiosk.core, 2);
    await settled(kiosk.core);
    await stack.stopServer();
    const waiting = await placeSome(kiosk.core, 3);
    const backup = join(stack.dir, 'with-outbox.db');
    await backUp(kiosk.databaseFile, backup);
    expect(readTerminal(backup).outbox).toBe(3);
    await stack.startServer();
    await settled(kiosk.core);
    await placeSome(kiosk.core, 2);
    await settled(kiosk.core);

    const restored = await restoredKiosk(kiosk, backup);
    await settled(restored.core);
    expect(await stack.db.order.count()).toBe(7);
    for (const id of waiting) expect(readTerminal(kiosk.databaseFile).orders.get(id)?.syncState).toBe('synced');
    expect((await restored.core.api.getStatus()).rejectedOrders).toEqual([]);
  });
});

describe('a server restored from a backup of its database', () => {
  it('gets back the orders it lost from the terminals that placed them', { timeout: 90_000 }, async () => {
    const original = await createTestDatabase();
    cleanups.push(original.drop);
    const seed = connectServerDatabase(original.url);
    const store = await createStore(seed.db, DEMO_STORE);
    const version = await createMenuVersion(seed.db, await loadDemoMenuDocument());
    await seed.db.$transaction((tx) => publishMenuVersion(tx, version.id, [store.id]));
    const { token } = await registerDevice(seed.db, { storeId: store.id, role: 'kiosk', name: 'kiosk' });
    await seed.close();

    // The server, on whichever database it runs on now, always at the same address.
    let database = original.url;
    let running: { server: SyncServer; close(): Promise<void> } | null = null;
    let port = 0;
    const start = async () => {
      const connection = connectServerDatabase(database);
      const server = await createServer(connection);
      port = (await server.listen(port)).port;
      running = { server, close: async () => (await server.close(), await connection.close()) };
    };
    const stop = async () => {
      await running?.close();
      running = null;
    };
    cleanups.push(stop);
    await start();

    const kiosk = await createTerminalCore({ databaseFile: join(await mkTemp(), 'kiosk.db'), serverUrl: `http://127.0.0.1:${port}`, deviceToken: token });
    cleanups.push(() => kiosk.close());
    const kept = await placeSome(kiosk, 4);
    await settled(kiosk);

    // Last night's backup: a copy of the database as it is now.
    await stop();
    const admin = new pg.Client({ connectionString: original.url.replace(/\/[^/]+$/, '/postgres') });
    await admin.connect();
    const name = (url: string) => new URL(url).pathname.slice(1);
    const backup = `${name(original.url)}_backup`;
    await admin.query(`CREATE DATABASE ${backup} TEMPLATE ${name(original.url)}`);
    cleanups.push(async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${backup} WITH (FORCE)`);
      await admin.end();
    });
    await start();
    const lostWithTheDisk = await placeSome(kiosk, 4);
    await settled(kiosk);

    // The database is lost and put back from the backup: it never saw the last four orders.
    await stop();
    const restored = `${name(original.url)}_restored`;
    await admin.query(`CREATE DATABASE ${restored} TEMPLATE ${backup}`);
    cleanups.push(() => admin.query(`DROP DATABASE IF EXISTS ${restored} WITH (FORCE)`));
    database = original.url.replace(/\/[^/]+$/, `/${restored}`);
    await start();

    const placed = [...kept, ...lostWithTheDisk].sort();
    const check = new pg.Client({ connectionString: database });
    await check.connect();
    cleanups.push(() => check.end());
    await eventually(async () => (await check.query('SELECT count(*)::int AS n FROM "Order"')).rows[0].n === placed.length, 30_000);
    expect((await check.query('SELECT id FROM "Order" ORDER BY id')).rows.map((r: { id: string }) => r.id)).toEqual(placed);
  });
});

async function mkTemp(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tillsync-restore-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}
